"""Plan: a structured form in sections (such as a follow-up plan); the answers are the learner's own."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from pvkit.content.models import Plan, PlanSection
from pvkit.widgets import Static
from pvkit.widgets.answers_bar import TextAreasWidget, header
from pvkit.widgets.html import esc, inline
from pvkit.widgets.reflection import field_box, field_static, model_answers_key

__all__ = ["PlanWidget", "answer_key", "live", "static"]


def answer_key(section_id: str, field_id: str) -> str:
    """Where a field's answer is saved (field ids are unique within a section only)."""
    return f"{section_id}.{field_id}"


def _section_heading(section: PlanSection, cite: Any) -> str:
    hint = f'<p class="pv-hint">{inline(section.hint, cite)}</p>' if section.hint else ""
    return f'<h4 class="pv-section">{esc(section.title)}</h4>{hint}'


class PlanWidget(TextAreasWidget):
    """Sections with headings and hints, each field a labelled text area; every change is saved."""

    def __init__(self, plan: Plan, session: Any = None) -> None:
        cite = session.cite if session is not None else None
        self.areas: dict[str, w.Textarea] = {}
        sections = []
        for section in plan.sections:
            boxes = []
            for field in section.fields:
                key = answer_key(section.id, field.id)
                self.areas[key], box = field_box(field, cite, tooltip=f"{section.title}: {field.label}")
                boxes.append(box)
            group = w.VBox([w.HTML(_section_heading(section, cite)), *boxes])
            group.add_class("pv-plan-section")
            sections.append(group)
        super().__init__(plan, session, sections, self.areas)

    def set_answer(self, section_id: str, field_id: str, text: str) -> None:
        """Type ``text`` into one field (for tests and scripts)."""
        self.areas[answer_key(section_id, field_id)].value = text


def live(plan: Plan, session: Any) -> PlanWidget:
    """The live face."""
    return PlanWidget(plan, session)


def static(plan: Plan, session: Any) -> Static:
    """The sections with ruled lines to fill in; the key holds model answers where present."""
    cite = session.cite if session is not None else None
    sections = "".join(
        f'<div class="pv-plan-section">{_section_heading(s, cite)}'
        f'{"".join(field_static(f, cite) for f in s.fields)}</div>'
        for s in plan.sections
    )
    learner = (f'<section class="pv-exercise pv-plan" aria-label="{esc(plan.title)}">'
               f"{header(plan, cite)}{sections}</section>")
    key = model_answers_key(plan.title, [(s.title, s.fields) for s in plan.sections], cite)
    return Static(learner, key)
