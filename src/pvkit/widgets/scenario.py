"""Scenario: a branching case vignette; every choice gets rated feedback, the path taken is shown."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from pvkit.content.models import Choice, Scenario, ScenarioStep
from pvkit.widgets import Static
from pvkit.widgets.answers_bar import save_answers
from pvkit.widgets.html import esc, inline, paragraphs

__all__ = ["RATINGS", "ScenarioWidget", "letter", "live", "static"]

BOX = "\u2610"  # a box to tick on paper
LINES = 4  # lines to write on per discussion question
ARROW = " \u2192 "
#: Choice rating -> (mark, word); the word always carries the meaning.
RATINGS = {
    "helpful": ("\u2713", "Helpful"),
    "mixed": ("~", "Mixed"),
    "unhelpful": ("\u2717", "Unhelpful"),
}


def letter(index: int) -> str:
    """The letter of choice ``index``: a, b, c ..."""
    return "abcdefghijklmnopqrstuvwxyz"[index]


def _rating(choice: Choice) -> str:
    mark, word = RATINGS[choice.rating]
    return f'<strong class="pv-rating pv-rating-{esc(choice.rating)}"><span aria-hidden="true">{mark}</span> {word}.</strong>'


def _header(scenario: Scenario, cite: Any) -> str:
    return (f'<h3 class="pv-title">{esc(scenario.title)}</h3>{paragraphs(scenario.prompt, cite)}'
            f'<p class="pv-setting"><strong>Setting:</strong> {inline(scenario.setting, cite)}</p>')


def _discussion(scenario: Scenario, cite: Any, lines: int = 0) -> str:
    """The discussion questions, each followed by ``lines`` lines to write on."""
    if not scenario.discussion:
        return ""
    ruled = _lines(lines) if lines else ""
    items = "".join(f"<li>{inline(q, cite)}{ruled}</li>" for q in scenario.discussion)
    return f'<div class="pv-discussion"><h4>To discuss</h4><ol>{items}</ol></div>'


def _lines(count: int) -> str:
    """Ruled lines to write on, for print."""
    line = '<div class="pv-line" style="border-bottom:1px solid #777;height:2em"></div>'
    return f'<div class="pv-lines" aria-hidden="true">{line * count}</div>'


class ScenarioWidget(w.VBox):
    """A branching scenario: choose, read the feedback, continue along the branch or restart."""

    def __init__(self, scenario: Scenario, session: Any = None) -> None:
        self.scenario = scenario
        self.session = session
        self.cite = session.cite if session is not None else None
        self.numbers = _numbers(scenario)
        self._step_id = scenario.steps[0].id
        self._path: list[tuple[str, int]] = []
        self.choice_buttons = {step.id: self._buttons(step) for step in scenario.steps}
        self.path_view = w.HTML("")
        self.step_view = w.HTML("")
        self.choices = w.VBox([])
        self.feedback = w.HTML("")
        self.continue_button = w.Button(description="Continue", icon="arrow-right", button_style="primary")
        self.restart_button = w.Button(description="Restart", icon="refresh")
        self.continue_button.on_click(lambda _: self.continue_())
        self.restart_button.on_click(lambda _: self.restart())
        super().__init__([w.HTML(_header(scenario, self.cite)), self.path_view, self.step_view, self.choices,
                          self.feedback, w.HBox([self.continue_button, self.restart_button])])
        self.add_class("pv-exercise")
        self.add_class("pv-scenario")
        self.restart()

    def _buttons(self, step: ScenarioStep) -> list[w.Button]:
        """One button per choice of ``step``, built once."""
        buttons = []
        for i, choice in enumerate(step.choices):
            button = w.Button(description=f"({letter(i)}) {choice.text}", tooltip=choice.text,
                              layout=w.Layout(width="auto", height="auto"))
            button.add_class("pv-choice")
            button.on_click(lambda _, i=i: self.choose(i))
            buttons.append(button)
        return buttons

    # -- state ---------------------------------------------------------------
    @property
    def current_step(self) -> str:
        """The id of the step shown now."""
        return self._step_id

    @property
    def path(self) -> list[tuple[str, int]]:
        """The choices made so far: ``(step_id, choice_index)`` pairs, in order."""
        return list(self._path)

    @property
    def chosen(self) -> Choice | None:
        """The choice made at the current step, or ``None`` before choosing."""
        if self._path and self._path[-1][0] == self._step_id:
            return self.scenario.step(self._step_id).choices[self._path[-1][1]]
        return None

    # -- actions -------------------------------------------------------------
    def choose(self, choice_index: int) -> None:
        """Make choice ``choice_index`` at the current step and show its feedback (once per step)."""
        if self.chosen is not None:
            return
        self._path.append((self._step_id, choice_index))
        self._show_step()
        self._save()

    def continue_(self) -> None:
        """Go on to the step the current choice leads to (nothing happens when it leads nowhere)."""
        choice = self.chosen
        if choice is None or not choice.next:
            return
        self._step_id = choice.next
        self._show_step()

    def restart(self) -> None:
        """Forget the path and go back to the first step."""
        self._step_id = self.scenario.steps[0].id
        self._path = []
        self._show_step()

    # -- views ---------------------------------------------------------------
    def _show_step(self) -> None:
        """Render the current step, its choices, the feedback and the path."""
        step = self.scenario.step(self._step_id)
        number = self.numbers[step.id]
        self.step_view.value = (f'<div class="pv-step"><h4>Step {number}</h4>'
                                f"{paragraphs(step.text, self.cite)}</div>")
        chosen = self.chosen
        buttons = self.choice_buttons[step.id]
        for button in buttons:
            button.disabled = chosen is not None
        self.choices.children = buttons
        self.feedback.value = "" if chosen is None else self._feedback(chosen)
        self.continue_button.disabled = chosen is None or not chosen.next
        visited = [f"Step {self.numbers[step_id]} ({letter(i)})" for step_id, i in self._path]
        if not self._path or self._path[-1][0] != self._step_id:
            visited.append(f"Step {number}")
        self.path_view.value = f'<p class="pv-path"><strong>Path:</strong> {ARROW.join(map(esc, visited))}</p>'

    def _feedback(self, choice: Choice) -> str:
        """What the learner chose, its rating in words, the feedback and what comes next."""
        index = self._path[-1][1]
        if choice.next:
            then = "<p>Press <strong>Continue</strong> to see what happens next.</p>"
        else:
            then = ("<p><strong>This path ends here.</strong> Press <strong>Restart</strong> to try "
                    f"another path.</p>{_discussion(self.scenario, self.cite)}")
        return (f'<div class="pv-feedback" role="status"><p><strong>You chose ({letter(index)}):</strong> '
                f"{esc(choice.text)}</p><p>{_rating(choice)} {inline(choice.feedback, self.cite)}</p>{then}</div>")

    def _save(self) -> None:
        if self.session is not None and self.session.answers is not None:
            save_answers(self.session.answers, self.scenario.id,
                                     {"path": [f"{step_id} ({letter(i)})" for step_id, i in self._path]})


def live(scenario: Scenario, session: Any) -> ScenarioWidget:
    """The live face."""
    return ScenarioWidget(scenario, session)


def _numbers(scenario: Scenario) -> dict[str, int]:
    """Step id -> its number, counting from 1 in the order written."""
    return {step.id: n for n, step in enumerate(scenario.steps, start=1)}


def _reached_from(scenario: Scenario, numbers: dict[str, int]) -> dict[str, list[str]]:
    """Step id -> the choices that lead to it, as "(b) at step 1"."""
    sources: dict[str, list[str]] = {}
    for step in scenario.steps:
        for i, choice in enumerate(step.choices):
            if choice.next:
                sources.setdefault(choice.next, []).append(f"({letter(i)}) at step {numbers[step.id]}")
    return sources


def _where(choice: Choice, numbers: dict[str, int]) -> str:
    """Where a choice leads, for readers on paper."""
    return f"then go to step {numbers[choice.next]}" if choice.next else "the path ends here"


def _static_step(step: ScenarioStep, numbers: dict[str, int], sources: list[str], cite: Any) -> str:
    """One step on paper: where it is reached from, its text and its lettered choices."""
    condition = f'<p class="pv-condition"><em>If you chose {" or ".join(sources)}:</em></p>' if sources else ""
    choices = "".join(f'<li><span class="pv-tick" aria-hidden="true">{BOX}</span> {esc(c.text)} '
                      f"<em>({_where(c, numbers)})</em></li>" for c in step.choices)
    return (f'<div class="pv-step"><h4>Step {numbers[step.id]}</h4>{condition}{paragraphs(step.text, cite)}'
            f'<ol class="pv-options" type="a">{choices}</ol></div>')


def _key_step(number: int, step: ScenarioStep, cite: Any) -> str:
    """The key for one step: every choice's rating in words and its feedback."""
    rated = "".join(f"<li>({letter(i)}) {esc(c.text)}: {_rating(c)} {inline(c.feedback, cite)}</li>"
                    for i, c in enumerate(step.choices))
    return f"<li><p><strong>Step {number}</strong></p><ul>{rated}</ul></li>"


def static(scenario: Scenario, session: Any) -> Static:
    """Every step with lettered choices and where each leads; discussion with lines; the key rates every choice."""
    cite = session.cite if session is not None else None
    numbers = _numbers(scenario)
    sources = _reached_from(scenario, numbers)
    steps = "".join(_static_step(step, numbers, sources.get(step.id, []), cite) for step in scenario.steps)
    notes = _discussion(scenario, cite, LINES) or f'<div class="pv-discussion"><h4>Notes</h4>{_lines(LINES)}</div>'
    learner = (f'<section class="pv-exercise pv-scenario" aria-label="{esc(scenario.title)}">'
               f"{_header(scenario, cite)}{steps}{notes}</section>")
    keys = "".join(_key_step(numbers[step.id], step, cite) for step in scenario.steps)
    key = (f'<section class="pv-key pv-scenario-key" aria-label="Answer key: {esc(scenario.title)}">'
           f"<h4>Answer key: {esc(scenario.title)}</h4><ol>{keys}</ol></section>")
    return Static(learner, key)
