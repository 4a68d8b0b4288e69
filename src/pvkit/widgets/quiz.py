"""Quiz: single- and multi-answer questions, feedback on every option, score and retry."""

from __future__ import annotations

import random
from typing import Any

import ipywidgets as w

from pvkit.content.models import Question, Quiz
from pvkit.widgets import Static
from pvkit.widgets.answers_bar import save_answers
from pvkit.widgets.html import esc, inline, paragraphs

__all__ = ["QuizWidget", "live", "option_order", "static"]

BOX = "\u2610"  # a box to tick on paper


def option_order(quiz: Quiz, index: int) -> list[int]:
    """The order options of question ``index`` are shown in: shuffled with the quiz's seed, or as written."""
    order = list(range(len(quiz.questions[index].options)))
    if quiz.shuffle:
        random.Random(f"{quiz.id}:{quiz.seed}:{index}").shuffle(order)
    return order


def _header(quiz: Quiz, cite: Any) -> str:
    return f'<h3 class="pv-title">{esc(quiz.title)}</h3>{paragraphs(quiz.prompt, cite)}'


class _QuestionView(w.VBox):
    """One question: its options as radio buttons or checkboxes, and its feedback."""

    def __init__(self, number: int, question: Question, order: list[int], cite: Any) -> None:
        self.question = question
        self.order = order
        self.cite = cite
        labels = [question.options[i].text for i in order]
        hint = " (select all that apply)" if question.multiple else ""
        text = w.HTML(f'<p class="pv-question"><strong>{number}.</strong> {inline(question.text, cite)}'
                      f"<em>{hint}</em></p>")
        if question.multiple:
            self.choices: list[w.Checkbox] = [w.Checkbox(value=False, description=label, indent=False,
                                                         layout=w.Layout(width="auto")) for label in labels]
            control: w.Widget = w.VBox(self.choices)
        else:
            self.radio = w.RadioButtons(options=[(label, i) for i, label in enumerate(labels)], value=None,
                                        layout=w.Layout(width="auto"))
            self.radio.description = ""
            control = self.radio
        self.feedback = w.HTML("")
        super().__init__([text, control, self.feedback])
        self.add_class("pv-quiz-question")

    def selected(self) -> set[int]:
        """Indices (into the question's own option list) the learner chose."""
        if self.question.multiple:
            return {self.order[i] for i, box in enumerate(self.choices) if box.value}
        return set() if self.radio.value is None else {self.order[self.radio.value]}

    def select(self, *option_indices: int) -> None:
        """Choose options by their index in the question's own list (for tests and scripts)."""
        if self.question.multiple:
            for i, box in enumerate(self.choices):
                box.value = self.order[i] in option_indices
        else:
            self.radio.value = self.order.index(option_indices[0]) if option_indices else None

    def check(self) -> bool:
        """Show feedback on every option; return whether the answer is right."""
        chosen = self.selected()
        right = set(self.question.correct_indices)
        ok = chosen == right
        verdict = ("\u2713 Correct." if ok else
                   "No answer chosen yet." if not chosen else "\u2717 Not quite.")
        rows = []
        for i in self.order:
            option = self.question.options[i]
            marks = []
            if i in chosen:
                marks.append("your choice")
            if option.correct:
                marks.append("correct answer")
            mark = f' <span class="pv-mark">({", ".join(marks)})</span>' if marks else ""
            rows.append(f"<li><strong>{esc(option.text)}</strong>{mark}: {inline(option.feedback, self.cite)}</li>")
        self.feedback.value = (f'<div class="pv-feedback" role="status"><p><strong>{verdict}</strong></p>'
                               f'<ul>{"".join(rows)}</ul></div>')
        return ok

    def reset(self) -> None:
        """Clear the choice and the feedback."""
        self.select()
        self.feedback.value = ""


class QuizWidget(w.VBox):
    """A quiz: check answers for feedback and a score; try again to start over."""

    def __init__(self, quiz: Quiz, session: Any = None) -> None:
        self.quiz = quiz
        self.session = session
        cite = session.cite if session is not None else None
        self.questions = [_QuestionView(i + 1, q, option_order(quiz, i), cite) for i, q in enumerate(quiz.questions)]
        self.check_button = w.Button(description="Check answers", button_style="primary", icon="check")
        self.retry_button = w.Button(description="Try again", icon="refresh", disabled=True)
        self.score = w.HTML("")
        self.check_button.on_click(lambda _: self.check())
        self.retry_button.on_click(lambda _: self.retry())
        super().__init__([w.HTML(_header(quiz, cite)), *self.questions,
                          w.HBox([self.check_button, self.retry_button]), self.score])
        self.add_class("pv-exercise")
        self.add_class("pv-quiz")

    def check(self) -> int:
        """Show feedback for every question and the score; return the number right."""
        right = sum(q.check() for q in self.questions)
        total = len(self.questions)
        self.score.value = f'<p class="pv-score" role="status"><strong>Score: {right} of {total}</strong></p>'
        self.retry_button.disabled = False
        if self.session is not None and self.session.answers is not None:
            save_answers(self.session.answers, self.quiz.id, {"score": right, "out_of": total})
        return right

    def retry(self) -> None:
        """Clear every answer, the feedback and the score."""
        for q in self.questions:
            q.reset()
        self.score.value = ""
        self.retry_button.disabled = True


def live(quiz: Quiz, session: Any) -> QuizWidget:
    """The live face."""
    return QuizWidget(quiz, session)


def static(quiz: Quiz, session: Any) -> Static:
    """Questions with boxes to tick; the key lists the answer and feedback on every option."""
    cite = session.cite if session is not None else None
    items = []
    keys = []
    for i, q in enumerate(quiz.questions):
        order = option_order(quiz, i)
        hint = " <em>(tick all that apply)</em>" if q.multiple else " <em>(tick one)</em>"
        options = "".join(f'<li><span class="pv-tick" aria-hidden="true">{BOX}</span> '
                          f"{esc(q.options[j].text)}</li>" for j in order)
        items.append(f'<li class="pv-question">{inline(q.text, cite)}{hint}<ol class="pv-options" type="a">{options}</ol></li>')
        letters = "abcdefghijklmnopqrstuvwxyz"
        right = ", ".join(f"({letters[order.index(j)]}) {esc(q.options[j].text)}" for j in q.correct_indices)
        why = "".join(f"<li>({letters[n]}) {esc(q.options[j].text)}: {inline(q.options[j].feedback, cite)}</li>"
                      for n, j in enumerate(order))
        keys.append(f"<li><p><strong>Answer:</strong> {right}</p><ul>{why}</ul></li>")
    learner = (f'<section class="pv-exercise pv-quiz" aria-label="{esc(quiz.title)}">{_header(quiz, cite)}'
               f'<ol class="pv-questions">{"".join(items)}</ol></section>')
    key = (f'<section class="pv-key pv-quiz-key" aria-label="Answer key: {esc(quiz.title)}">'
           f'<h4>Answer key: {esc(quiz.title)}</h4><ol>{"".join(keys)}</ol></section>')
    return Static(learner, key)
