"""Reflection: prompts with space to write; the answers are the learner's own.

The form helpers here (a labelled text area, ruled lines to write on, the
model-answer key) are shared with the plan and map kinds.
"""

from __future__ import annotations

from typing import Any, Iterable

import ipywidgets as w

from pvkit.content.models import FormField, Reflection
from pvkit.widgets import Static
from pvkit.widgets.answers_bar import TextAreasWidget, header
from pvkit.widgets.html import esc, inline, paragraphs

__all__ = ["ReflectionWidget", "field_box", "field_static", "live", "model_answers_key", "ruled_lines", "static"]


def field_box(field: FormField, cite: Any, tooltip: str = "") -> tuple[w.Textarea, w.VBox]:
    """A text area labelled with the field's label (``rows`` = its lines), and its hint below."""
    area = w.Textarea(value="", rows=max(1, field.lines), description=field.label, tooltip=tooltip or field.label,
                      style={"description_width": "fit-content"},  # label at the left, above the area
                      layout=w.Layout(width="auto", flex_flow="column", align_items="stretch"))
    parts: list[w.Widget] = [area]
    if field.hint:
        parts.append(w.HTML(f'<p class="pv-hint">{inline(field.hint, cite)}</p>'))
    box = w.VBox(parts)
    box.add_class("pv-field")
    return area, box


def ruled_lines(count: int) -> str:
    """``count`` ruled lines to write on by hand."""
    line = '<div class="pv-line" style="border-bottom:1px solid #777;height:2em"></div>'
    return f'<div class="pv-lines" aria-hidden="true">{line * max(1, count)}</div>'


def field_static(field: FormField, cite: Any) -> str:
    """A field on paper: its label, hint and ruled lines; never an answer."""
    hint = f'<p class="pv-hint"><em>{inline(field.hint, cite)}</em></p>' if field.hint else ""
    return f'<p class="pv-prompt"><strong>{inline(field.label, cite)}</strong></p>{hint}{ruled_lines(field.lines)}'


def model_answers_key(title: str, groups: Iterable[tuple[str, Iterable[FormField]]], cite: Any) -> str:
    """The facilitator's key: model answers of the fields that have one, by group; ``""`` if none."""
    parts = []
    for heading, fields in groups:
        items = "".join(f"<dt>{inline(f.label, cite)}</dt><dd>{paragraphs(f.model_answer, cite)}</dd>"
                        for f in fields if f.model_answer.strip())
        if items:
            parts.append((f"<h5>{esc(heading)}</h5>" if heading else "") + f"<dl>{items}</dl>")
    if not parts:
        return ""
    return (f'<section class="pv-key pv-model-answers" aria-label="Model answers: {esc(title)}">'
            f'<h4>Model answers: {esc(title)}</h4>{"".join(parts)}</section>')


class ReflectionWidget(TextAreasWidget):
    """Each prompt a labelled text area; every change is saved for the learner."""

    def __init__(self, reflection: Reflection, session: Any = None) -> None:
        cite = session.cite if session is not None else None
        areas: dict[str, w.Textarea] = {}
        boxes = []
        for field in reflection.prompts:
            areas[field.id], box = field_box(field, cite)
            boxes.append(box)
        super().__init__(reflection, session, boxes, areas)

    def set_answer(self, prompt_id: str, text: str) -> None:
        """Type ``text`` into one prompt (for tests and scripts)."""
        self.areas[prompt_id].value = text


def live(reflection: Reflection, session: Any) -> ReflectionWidget:
    """The live face."""
    return ReflectionWidget(reflection, session)


def static(reflection: Reflection, session: Any) -> Static:
    """Each prompt with ruled lines; the key holds model answers where any exist."""
    cite = session.cite if session is not None else None
    items = "".join(f"<li>{field_static(f, cite)}</li>" for f in reflection.prompts)
    learner = (f'<section class="pv-exercise pv-reflection" aria-label="{esc(reflection.title)}">'
               f'{header(reflection, cite)}<ol class="pv-prompts">{items}</ol></section>')
    return Static(learner, model_answers_key(reflection.title, [("", reflection.prompts)], cite))
