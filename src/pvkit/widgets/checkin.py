"""Check-in: where am I now, a state and how strongly; private, with a facilitator's room tally.

The learner's choice is saved for them only.  In a facilitator session the
widget also has a tally: the facilitator types the room's counts from a show
of hands, and a bar chart (plain HTML, the count written beside every bar)
shows them.  Nobody's own answer is ever part of the tally.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

import ipywidgets as w

from pvkit.content.models import Checkin, CheckinState
from pvkit.widgets import Static
from pvkit.widgets.answers_bar import PersonalWidget, header
from pvkit.widgets.html import esc, inline

__all__ = ["CheckinWidget", "live", "ordered_states", "static", "tally_chart"]

BOX = "\u2610"  # a box to tick on paper
PRIVATE = "Private: not shared, not collected."
_INITIAL = {"description_width": "initial"}


def ordered_states(states: Sequence[CheckinState]) -> list[CheckinState]:
    """The main states in content order, then the blended ones."""
    return [s for s in states if not s.blended] + [s for s in states if s.blended]


#: What facilitators see instead of the tally where ``room_tally: false``.
NO_TALLY = ('<p class="pv-no-tally"><strong>No room tally for this check-in.</strong> Do not ask for a show '
            "of hands or for anyone's answer: this one stays private.</p>")


def tally_chart(counts: Sequence[tuple[str, int]]) -> str:
    """A horizontal bar chart of ``(label, count)`` rows, each count written beside its bar."""
    total = sum(n for _, n in counts)
    most = max((n for _, n in counts), default=0) or 1
    summary = "; ".join(f"{label}, {n}" for label, n in counts)
    rows = "".join(
        '<div class="pv-tally-row" style="display:flex;align-items:center;gap:0.5em;margin:0.2em 0">'
        f'<span class="pv-tally-label" style="flex:0 0 40%">{esc(label)}</span>'
        '<span class="pv-tally-track" style="flex:1 1 auto">'
        f'<span class="pv-tally-bar" style="display:inline-block;height:1.1em;width:{100 * n / most:.0f}%;'
        'min-width:2px;background:#4a6785;vertical-align:middle"></span></span>'
        f'<span class="pv-tally-count" style="flex:0 0 3em"><strong>{n}</strong></span></div>'
        for label, n in counts
    )
    return (f'<div class="pv-tally-chart" role="img" aria-label="{esc(f"Room tally, {total} in total: {summary}")}">'
            f'<p><strong>Room tally: {total} in total</strong></p>{rows}</div>')


class CheckinWidget(PersonalWidget):
    """Choose a state and an intensity (saved privately); facilitators also get the room tally."""

    def __init__(self, checkin: Checkin, session: Any = None) -> None:
        self.states = ordered_states(checkin.states)
        self.radio = w.RadioButtons(options=[(f"{s.label} \u2014 {s.description}", s.id) for s in self.states],
                                    value=None, description="My state now", style=_INITIAL,
                                    layout=w.Layout(width="auto"))
        top = checkin.scale_max
        # A labelled drop-down, not a slider: ipywidgets' slider handle has no accessible name (axe-core).
        self.slider = w.Dropdown(options=list(range(top + 1)), value=0, description="How strongly",
                                 style=_INITIAL, layout=w.Layout(width="auto"),
                                 tooltip=f"0 = {checkin.scale_low}, {top} = {checkin.scale_high}")
        scale = w.HBox([self.slider, w.Label(f"(0 = {checkin.scale_low}, {top} = {checkin.scale_high})")],
                       layout=w.Layout(flex_flow="row wrap", align_items="center"))
        private = w.HTML(f'<p class="pv-private" role="note"><strong>{esc(PRIVATE)}</strong></p>')
        body: list[w.Widget] = [private, self.radio, scale]
        self.tally: dict[str, w.BoundedIntText] = {}
        self.chart = w.HTML("")
        if session is not None and session.facilitator:
            body.append(self._tally_box() if checkin.room_tally else w.HTML(NO_TALLY))
        super().__init__(checkin, session, body)
        self.radio.observe(self.save, names="value")
        self.slider.observe(self.save, names="value")

    # -- the learner's own check-in ----------------------------------------------
    def values(self) -> dict[str, Any]:
        """The chosen state (if any) and the intensity."""
        out: dict[str, Any] = {"intensity": self.slider.value}
        if self.radio.value is not None:
            out["state"] = self.radio.value
        return out

    def fill(self, answers: dict[str, Any]) -> None:
        """Show a saved check-in; clear it when there is none."""
        state = answers.get("state")
        self.radio.value = state if state in {s.id for s in self.states} else None
        intensity = answers.get("intensity")
        ok = isinstance(intensity, int) and not isinstance(intensity, bool)
        self.slider.value = min(max(intensity, 0), self.exercise.scale_max) if ok else 0

    def choose(self, state_id: Optional[str], intensity: int = 0) -> None:
        """Choose a state and an intensity (for tests and scripts)."""
        self.radio.value = state_id
        self.slider.value = intensity

    # -- the facilitator's tally -------------------------------------------------
    def _tally_box(self) -> w.VBox:
        for s in self.states:
            count = w.BoundedIntText(value=0, min=0, max=9999, description=f"Room count: {s.label}",
                                     style=_INITIAL, layout=w.Layout(width="auto"))
            count.observe(self._draw, names="value")
            self.tally[s.id] = count
        self._draw()
        note = w.HTML('<h4 class="pv-tally-title">Room tally (facilitator)</h4>'
                      "<p>Ask for a show of hands for each state, if people want to, and type the counts. "
                      "No names, and nobody's own answer, are recorded.</p>")
        box = w.VBox([note, *self.tally.values(), self.chart])
        box.add_class("pv-tally")
        return box

    def set_tally(self, state_id: str, count: int) -> None:
        """Enter the room's count for one state."""
        if not self.tally:
            raise RuntimeError("the room tally is only in facilitator sessions")
        self.tally[state_id].value = count

    def chart_html(self) -> str:
        """The tally as a bar chart with the counts written out."""
        return tally_chart([(s.label, self.tally[s.id].value if self.tally else 0) for s in self.states])

    def _draw(self, _change: Any = None) -> None:
        self.chart.value = self.chart_html()


def live(checkin: Checkin, session: Any) -> CheckinWidget:
    """The live face."""
    return CheckinWidget(checkin, session)


def static(checkin: Checkin, session: Any) -> Static:
    """The states with boxes to tick and a scale to circle; the key is a blank room tally table."""
    cite = session.cite if session is not None else None
    states = ordered_states(checkin.states)
    items = "".join(f'<li><span class="pv-tick" aria-hidden="true">{BOX}</span> <strong>{esc(s.label)}</strong>'
                    f" \u2014 {inline(s.description, cite)}</li>" for s in states)
    top = checkin.scale_max
    cells = "".join(f'<td style="padding:0 0.6em;text-align:center">{n}</td>' for n in range(top + 1))
    scale = (f'<p class="pv-scale-label"><strong>How strongly?</strong> Circle one: 0 = {esc(checkin.scale_low)}, '
             f"{top} = {esc(checkin.scale_high)}</p>"
             f'<table class="pv-scale" aria-label="Scale from 0 to {top}"><tbody><tr>{cells}</tr></tbody></table>')
    learner = (f'<section class="pv-exercise pv-checkin" aria-label="{esc(checkin.title)}">{header(checkin, cite)}'
               f'<p class="pv-private"><strong>{esc(PRIVATE)}</strong></p>'
               f'<ul class="pv-states" style="list-style:none;padding-left:0">{items}</ul>{scale}</section>')
    if not checkin.room_tally:
        return Static(learner, f'<section class="pv-key pv-checkin-key" aria-label="No room tally: {esc(checkin.title)}">'
                               f"{NO_TALLY}</section>")
    blank = '<td style="min-width:8em;border-bottom:1px solid #777">&nbsp;</td>'
    rows = "".join(f'<tr><th scope="row" style="text-align:left">{esc(s.label)}</th>{blank}</tr>' for s in states)
    key = (f'<section class="pv-key pv-checkin-key" aria-label="Room tally: {esc(checkin.title)}">'
           f"<h4>Room tally: {esc(checkin.title)}</h4><p>Count a show of hands for each state; no names.</p>"
           f'<table class="pv-tally-table"><thead><tr><th scope="col">State</th><th scope="col">Count</th></tr>'
           f'</thead><tbody>{rows}<tr><th scope="row" style="text-align:left">Total</th>{blank}</tr></tbody></table>'
           "</section>")
    return Static(learner, key)
