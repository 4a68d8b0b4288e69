"""Map (kind ``map``): a personal autonomic map; the answers are the learner's own.

For each state, top of the ladder first, the learner writes what it is like
(body, thoughts, behaviour...), then the lists (glimmers, triggers).  "Show
my map" draws the answers back as a ladder: one rung per state, in words.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from pvkit.content.models import Map
from pvkit.widgets import Static
from pvkit.widgets.answers_bar import TextAreasWidget, header
from pvkit.widgets.html import esc, inline
from pvkit.widgets.reflection import field_box, field_static, ruled_lines

__all__ = ["MapWidget", "answer_key", "live", "static"]

_RAIL = "6px solid #6b6b6b"
_RUNG = "4px solid #6b6b6b"


def answer_key(state_id: str, aspect_id: str) -> str:
    """Where one state's aspect is saved; a list is saved under its own id."""
    return f"{state_id}.{aspect_id}"


def _place(number: int, count: int) -> str:
    return " (top)" if number == 1 else " (bottom)" if number == count else ""


def _written(text: str) -> str:
    """The learner's words, escaped, line breaks kept; a plain mark when empty."""
    if not text.strip():
        return "<em>(nothing written yet)</em>"
    return esc(text.strip()).replace("\n", "<br>")


class MapWidget(TextAreasWidget):
    """Per state a labelled text area for each aspect, then the lists; "Show my map" draws the ladder."""

    def __init__(self, autonomic_map: Map, session: Any = None) -> None:
        cite = session.cite if session is not None else None
        self.areas: dict[str, w.Textarea] = {}
        count = len(autonomic_map.states)
        body: list[w.Widget] = []
        for number, state in enumerate(autonomic_map.states, start=1):
            boxes = []
            for aspect in autonomic_map.aspects:
                key = answer_key(state.id, aspect.id)
                self.areas[key], box = field_box(aspect, cite, tooltip=f"{state.label}: {aspect.label}")
                boxes.append(box)
            title = w.HTML(f'<h4 class="pv-rung-title">{number}{_place(number, count)}. {esc(state.label)}</h4>'
                           f'<p class="pv-state-description">{inline(state.description, cite)}</p>')
            rung = w.VBox([title, *boxes])
            rung.add_class("pv-map-state")
            body.append(rung)
        for field in autonomic_map.lists:
            self.areas[field.id], box = field_box(field, cite)
            body.append(box)
        self.show_button = w.Button(description="Show my map", icon="eye",
                                    tooltip="Draw my answers as a ladder, top state first")
        self.ladder = w.HTML("")
        self._shown = False
        self.show_button.on_click(lambda _: self.show_map())
        body += [self.show_button, self.ladder]
        super().__init__(autonomic_map, session, body, self.areas)

    def changed(self) -> None:
        """Keep the ladder up to date once it is shown."""
        if self._shown:
            self.ladder.value = self.ladder_html()

    def set_answer(self, state_id: str, aspect_id: str, text: str) -> None:
        """Type ``text`` for one aspect of one state (for tests and scripts)."""
        self.areas[answer_key(state_id, aspect_id)].value = text

    def set_list(self, list_id: str, text: str) -> None:
        """Type ``text`` into one list (for tests and scripts)."""
        self.areas[list_id].value = text

    def show_map(self) -> None:
        """Draw the ladder, and keep it up to date from now on."""
        self._shown = True
        self.changed()

    def ladder_html(self) -> str:
        """The answers as a ladder: one rung per state, top state first, the learner's words escaped."""
        m: Map = self.exercise
        count = len(m.states)
        rungs = []
        for number, state in enumerate(m.states, start=1):
            aspects = "".join(
                f"<dt><strong>{esc(a.label)}</strong></dt>"
                f'<dd style="margin:0 0 0.3em 1em">{_written(self.areas[answer_key(state.id, a.id)].value)}</dd>'
                for a in m.aspects
            )
            rungs.append(
                f'<li class="pv-rung" style="border-top:{_RUNG};padding:0.4em 0.6em">'
                f"<p><strong>Rung {number}{_place(number, count)} \u2014 {esc(state.label)}</strong></p>"
                f'<dl style="margin:0">{aspects}</dl></li>'
            )
        lists = "".join(f"<h4>{esc(f.label)}</h4><p>{_written(self.areas[f.id].value)}</p>" for f in m.lists)
        return (f'<section class="pv-ladder" aria-label="My map: {esc(m.title)}">'
                f"<h4>My map, top of the ladder first</h4>"
                f'<ol class="pv-rungs" style="list-style:none;margin:0;padding:0;border-left:{_RAIL};'
                f'border-right:{_RAIL};border-bottom:{_RUNG};max-width:42em">{"".join(rungs)}</ol>'
                f'<div class="pv-map-lists">{lists}</div></section>')


def live(autonomic_map: Map, session: Any) -> MapWidget:
    """The live face."""
    return MapWidget(autonomic_map, session)


def static(autonomic_map: Map, session: Any) -> Static:
    """A blank ladder to fill by hand: a table per state, ruled lines per aspect, then the lists."""
    cite = session.cite if session is not None else None
    count = len(autonomic_map.states)
    tables = []
    for number, state in enumerate(autonomic_map.states, start=1):
        rows = "".join(
            f'<tr><th scope="row" style="text-align:left;vertical-align:top;width:30%">{inline(a.label, cite)}'
            f'{"<br><em>" + inline(a.hint, cite) + "</em>" if a.hint else ""}</th>'
            f"<td>{ruled_lines(a.lines)}</td></tr>"
            for a in autonomic_map.aspects
        )
        tables.append(
            f'<table class="pv-map-state" style="width:100%;border-top:{_RUNG};margin-bottom:0.8em">'
            f"<caption style=\"text-align:left\"><strong>{number}{_place(number, count)}. {esc(state.label)}"
            f"</strong>: {inline(state.description, cite)}</caption><tbody>{rows}</tbody></table>"
        )
    lists = "".join(field_static(f, cite) for f in autonomic_map.lists)
    learner = (f'<section class="pv-exercise pv-map" aria-label="{esc(autonomic_map.title)}">'
               f'{header(autonomic_map, cite)}{"".join(tables)}{lists}</section>')
    return Static(learner)
