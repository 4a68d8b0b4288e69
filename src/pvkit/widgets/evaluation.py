"""Evaluation: an anonymous end-of-workshop form, downloaded as one response file for the trainer.

Live, the learner rates the reaction statements, rates their confidence in
each objective of the modules run, before the workshop (looking back) and
now, may include their knowledge-check score, and answers the free-text
questions.  Their answers are saved like other personal answers, so they
survive a re-run.  The response file (see :mod:`pvkit.report.response`) is a
``data:`` download link: no name, no machine data, nothing sent anywhere.  The
learner sends it by whatever channel the trainer names.

On paper (the handout) it is the same form with boxes to tick and numbers to
circle; the facilitator's key says how to type paper forms into the CSV layout.

Stdlib and ipywidgets only: this runs under Pyodide too.
"""

from __future__ import annotations

import base64
from typing import Any, Optional

import ipywidgets as w

from pvkit.content.models import Evaluation, Objective
from pvkit.report.response import new_response_id, response_json
from pvkit.widgets import Static
from pvkit.widgets.answers_bar import PersonalWidget, header, text_of
from pvkit.widgets.html import esc, inline
from pvkit.widgets.reflection import field_box, field_static

__all__ = ["ANONYMOUS", "EvaluationWidget", "live", "objectives_of", "static"]

BOX = "\u2610"  # a box to tick on paper
ANONYMOUS = ("Anonymous: this form asks for no name, and the response file holds no name and nothing about "
             "your computer. Only the file you choose to send is shared.")
_INITIAL = {"description_width": "initial"}
#: The download is the point of the form: make it look like the action it is.
_LINK_STYLE = ("display:inline-block;padding:0.35em 0.9em;border:2px solid #1d4f7a;border-radius:4px;"
               "color:#1d4f7a;font-weight:bold;text-decoration:underline")


def objectives_of(evaluation: Evaluation, session: Any) -> tuple[Objective, ...]:
    """The objectives to rate: those of the session's modules (all modules when no subset is set)."""
    if session is None:
        return ()
    return evaluation.objectives(session.workshop, tuple(session.modules))


def _rating(value: Any, top: int, low: int = 1) -> Optional[int]:
    """``value`` if it is a whole number from ``low`` to ``top``, else ``None`` (a loaded file may hold anything)."""
    ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= top
    return int(value) if ok else None


def _mapping(answers: dict[str, Any], key: str) -> dict[str, Any]:
    value = answers.get(key)
    return value if isinstance(value, dict) else {}


def _choices(labels: tuple[str, ...]) -> list[tuple[str, Optional[int]]]:
    return [("(no answer)", None), *((f"{i} = {label}", i) for i, label in enumerate(labels, start=1))]


def _show(dropdown: w.Dropdown, value: Optional[int]) -> None:
    if value is None:
        dropdown.index = 0
    else:
        dropdown.value = value


class EvaluationWidget(PersonalWidget):
    """The evaluation form, saved as the learner types, with the anonymous response file to download."""

    def __init__(self, evaluation: Evaluation, session: Any = None) -> None:
        self.evaluation = evaluation
        self.objectives = objectives_of(evaluation, session)
        self.response_id = new_response_id()
        cite = session.cite if session is not None else None
        layout = w.Layout(width="auto")

        self.reactions = {r.id: w.Dropdown(options=_choices(evaluation.agreement), value=None, description=r.label,
                                           style=_INITIAL, layout=layout) for r in evaluation.reactions}
        self.before: dict[str, w.Dropdown] = {}
        self.now: dict[str, w.Dropdown] = {}
        objective_rows: list[w.Widget] = []
        module_id = None
        for o in self.objectives:
            if o.module.id != module_id:
                module_id = o.module.id
                objective_rows.append(w.HTML(f'<h5 class="pv-eval-module">{esc(o.module.title)}</h5>'))
            number = o.id.rsplit(".", 1)[1]
            self.before[o.id] = w.Dropdown(options=_choices(evaluation.confidence), value=None,
                                           description="Before today", tooltip=f"Before today: {o.text}",
                                           style=_INITIAL, layout=layout)
            self.now[o.id] = w.Dropdown(options=_choices(evaluation.confidence), value=None, description="Now",
                                        tooltip=f"Now: {o.text}", style=_INITIAL, layout=layout)
            objective_rows.append(w.VBox([
                w.HTML(f'<p class="pv-objective"><strong>{esc(number)}.</strong> {inline(o.text, cite)}</p>'),
                w.HBox([self.before[o.id], self.now[o.id]], layout=w.Layout(flex_flow="row wrap")),
            ]))
        self.comments: dict[str, w.Textarea] = {}
        comment_boxes = []
        for field in evaluation.comments:
            self.comments[field.id], box = field_box(field, cite)
            comment_boxes.append(box)
        self.include_score = w.Checkbox(value=True, description="Include my knowledge-check score", indent=False,
                                        layout=layout)
        self.score_note = w.HTML("")
        self.update_button = w.Button(description="Update my response file", icon="refresh",
                                      tooltip="Read the knowledge-check score again and rebuild the file",
                                      layout=layout)
        self.update_button.on_click(lambda _: self.changed())
        self.link = w.HTML("")

        body: list[w.Widget] = [
            w.HTML(f'<p class="pv-private" role="note"><strong>{esc(ANONYMOUS)}</strong></p>'),
            w.HTML("<h4>The workshop</h4>"), *self.reactions.values(),
            w.HTML("<h4>Your confidence in each objective</h4><p>For each objective: how confident were you "
                   "<em>before today</em> (looking back), and how confident are you <em>now</em>?</p>"),
            *objective_rows,
        ]
        if evaluation.knowledge_check:
            body += [w.HTML("<h4>Knowledge check</h4>"), self.score_note, self.include_score]
        body += [w.HTML("<h4>Comments</h4>"), *comment_boxes]
        response = w.VBox([
            w.HTML("<h4>Send your response</h4><p>Download your response file and send it as your facilitator "
                   "asks (for example, to a shared folder). It holds only the answers above.</p>"),
            self.link, self.update_button,
        ])
        response.add_class("pv-eval-response")
        body.append(response)
        super().__init__(evaluation, session, body)
        for control in (*self.reactions.values(), *self.before.values(), *self.now.values(),
                        *self.comments.values(), self.include_score):
            control.observe(self.save, names="value")

    # -- saved answers ---------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """Every answer given, the choice about the score, and this response's random id."""
        def given(controls: dict[str, w.Dropdown]) -> dict[str, int]:
            return {key: c.value for key, c in controls.items() if c.value is not None}

        return {
            "response_id": self.response_id,
            "reactions": given(self.reactions),
            "before": given(self.before),
            "now": given(self.now),
            "comments": {key: area.value for key, area in self.comments.items() if area.value.strip()},
            "include_score": self.include_score.value,
        }

    def fill(self, answers: dict[str, Any]) -> None:
        """Show saved answers; clear the rest.  A saved response id is kept, so a re-sent file counts once."""
        rid = answers.get("response_id")
        if isinstance(rid, str) and 0 < len(rid) <= 64:
            self.response_id = rid
        for key, (controls, top) in {"reactions": (self.reactions, len(self.evaluation.agreement)),
                                     "before": (self.before, len(self.evaluation.confidence)),
                                     "now": (self.now, len(self.evaluation.confidence))}.items():
            saved = _mapping(answers, key)
            for item_id, control in controls.items():
                _show(control, _rating(saved.get(item_id), top))
        texts = _mapping(answers, "comments")
        for key, area in self.comments.items():
            area.value = text_of(texts.get(key))
        include = answers.get("include_score")
        self.include_score.value = include if isinstance(include, bool) else True

    # -- the response file -----------------------------------------------------------
    def knowledge(self) -> Optional[dict[str, int]]:
        """The knowledge-check score saved by the quiz in this session, if it was taken."""
        if not self.evaluation.knowledge_check:
            return None
        saved = self.store.get(self.evaluation.knowledge_check)
        score, out_of = _rating(saved.get("score"), 10_000, low=0), _rating(saved.get("out_of"), 10_000)
        if score is None or out_of is None or score > out_of:
            return None
        return {"score": score, "out_of": out_of}

    def response_text(self) -> str:
        """The anonymous response file as it would be downloaded now."""
        score = self.knowledge() if self.include_score.value else None
        return response_json(self.evaluation, self.objectives, self.values(), score, self.response_id)

    @property
    def file_name(self) -> str:
        """The download's name: a random part, so that files dropped in one folder do not clash."""
        return f"pvkit-evaluation-{self.evaluation.workshop}-{self.response_id[:6]}.json"

    def changed(self) -> None:
        """Rebuild the score note and the download link from the answers now."""
        score = self.knowledge()
        if not self.evaluation.knowledge_check:
            self.score_note.value = ""
        elif score is None:
            self.score_note.value = ("<p>You have not done the knowledge check in this notebook yet; that is fine. "
                                     "If you do it, press <strong>Update my response file</strong>.</p>")
        else:
            self.score_note.value = (f"<p>Your knowledge-check score: <strong>{score['score']} of "
                                     f"{score['out_of']}</strong>. Untick the box to leave it out.</p>")
        data = base64.b64encode(self.response_text().encode("utf-8")).decode("ascii")
        self.link.value = (f'<p class="pv-downloads"><a class="pv-download pv-eval-download" '
                           f'download="{esc(self.file_name)}" href="data:application/json;charset=utf-8;base64,{data}" '
                           f'style="{_LINK_STYLE}">\u2b07 Download my anonymous response file (JSON)</a></p>')

    # -- for tests and scripts ---------------------------------------------------------
    def rate(self, item_id: str, value: Optional[int]) -> None:
        """Rate one reaction statement."""
        _show(self.reactions[item_id], value)

    def rate_objective(self, objective_id: str, before: Optional[int], now: Optional[int]) -> None:
        """Rate confidence in one objective, before today and now."""
        _show(self.before[objective_id], before)
        _show(self.now[objective_id], now)

    def comment(self, comment_id: str, text: str) -> None:
        """Type a free-text answer."""
        self.comments[comment_id].value = text


def live(evaluation: Evaluation, session: Any) -> EvaluationWidget:
    """The live face."""
    return EvaluationWidget(evaluation, session)


def _scale_head(labels: tuple[str, ...]) -> str:
    return "".join(f'<th scope="col" class="pv-scale-point">{i}<br><small>{esc(label)}</small></th>'
                   for i, label in enumerate(labels, start=1))


def static(evaluation: Evaluation, session: Any) -> Static:
    """The paper form: boxes to tick, numbers to circle, lines to write on; never anyone's answers."""
    cite = session.cite if session is not None else None
    e = evaluation
    ticks = "".join(f'<td class="pv-tick" style="text-align:center">{BOX}</td>' for _ in e.agreement)
    reaction_rows = "".join(f'<tr><th scope="row" style="text-align:left;font-weight:normal">{inline(r.label, cite)}'
                            f"</th>{ticks}</tr>"
                            for r in e.reactions)
    reactions = (f'<table class="pv-eval-reactions"><thead><tr><th scope="col">Tick one box per line</th>'
                 f"{_scale_head(e.agreement)}</tr></thead><tbody>{reaction_rows}</tbody></table>")
    numbers = " ".join(str(i) for i in range(1, len(e.confidence) + 1))
    circle = f'<td style="white-space:nowrap;word-spacing:0.7em">{numbers}</td>'
    scale_words = "; ".join(f"{i} = {esc(label)}" for i, label in enumerate(e.confidence, start=1))
    parts = []
    module_id = None
    rows: list[str] = []
    for o in objectives_of(e, session):
        if o.module.id != module_id:
            if rows:
                parts.append("".join(rows) + "</tbody></table>")
                rows = []
            module_id = o.module.id
            rows.append(f'<h5 class="pv-eval-module">{esc(o.module.title)}</h5>'
                        '<table class="pv-eval-objectives" style="width:100%"><thead><tr><th scope="col">Objective</th>'
                        '<th scope="col" style="width:8.5em">Before today (circle one)</th>'
                        '<th scope="col" style="width:8.5em">Now (circle one)</th></tr></thead><tbody>')
        rows.append(f'<tr><th scope="row" style="text-align:left;font-weight:normal">{inline(o.text, cite)} '
                    f'<small class="pv-code" style="color:#555">({esc(o.id)})</small></th>'
                    f"{circle}{circle}</tr>")
    if rows:
        parts.append("".join(rows) + "</tbody></table>")
    section = 3
    knowledge = ""
    if e.knowledge_check:
        quiz = None
        if session is not None:
            try:
                quiz = session.kit.exercise(e.knowledge_check)
            except KeyError:
                quiz = None
        out_of = len(getattr(quiz, "questions", ())) or "__"
        knowledge = (f"<h4>{section}. Knowledge check</h4><p>If you did the knowledge check and want to include "
                     f"your score: ______ of {out_of} (optional).</p>")
        section += 1
    comments = "".join(f"<li>{field_static(f, cite)}</li>" for f in e.comments)
    learner = (
        f'<section class="pv-exercise pv-evaluation" aria-label="{esc(e.title)}">{header(e, cite)}'
        f'<p class="pv-private"><strong>Anonymous: do not write your name on this form.</strong></p>'
        f"<h4>1. The workshop</h4>{reactions}"
        f"<h4>2. Your confidence in each objective</h4><p>For each objective, circle how confident you were "
        f"<em>before today</em> (looking back) and how confident you are <em>now</em>: {scale_words}.</p>"
        f'{"".join(parts)}{knowledge}'
        f'<h4>{section}. Comments</h4><ol class="pv-prompts">{comments}</ol></section>'
    )
    key = (
        f'<section class="pv-key pv-evaluation-key" aria-label="Collecting responses: {esc(e.title)}">'
        f"<h4>Collecting responses: {esc(e.title)}</h4>"
        "<p>Learners using the workbook download one anonymous response file each (JSON) and send it to you. "
        "To type paper forms in, run <code>pvkit report COHORT.yaml --csv-template</code>: it writes the "
        "CSV header for this cohort. Type one form per row: <code>workshop</code> is "
        f"<code>{esc(e.workshop)}</code>; <code>reaction.&lt;id&gt;</code> columns hold the ticked box "
        f"(1 to {len(e.agreement)}, from the left); <code>before.&lt;code&gt;</code> and "
        "<code>now.&lt;code&gt;</code> hold the circled numbers, where the code is printed after each "
        "objective; <code>knowledge.score</code> and <code>knowledge.out_of</code> the score; "
        "<code>comment.&lt;id&gt;</code> the comments, word for word. Leave a cell empty when nothing is "
        "marked. Then run <code>pvkit report COHORT.yaml FILES...</code> with the JSON files and the CSV.</p>"
        "</section>"
    )
    return Static(learner, key)
