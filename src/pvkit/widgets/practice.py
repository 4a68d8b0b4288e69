"""Practice: a guided, optional regulation practice with a CSS breathing pacer and non-breath alternatives.

The pacer is drawn by the browser alone: Start puts a CSS animation into an
HTML widget (a circle that grows over the in-breath and shrinks over the
out-breath, with "Breathe in" / "Breathe out" switched by the same timing),
Stop puts back a still circle.  No JavaScript, no threads, no kernel loop.
With ``prefers-reduced-motion: reduce`` the circle stays still and only the
words change, slowly.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from pvkit.content.models import Practice
from pvkit.widgets import Static
from pvkit.widgets.html import esc, inline, paragraphs

__all__ = ["PracticeWidget", "live", "pacer_html", "pacing", "static", "still_html"]

_STAGE = "position: relative; width: 10em; height: 10em; margin: 0.5em 0"
_CIRCLE = "position: absolute; inset: 0; border-radius: 50%; border: 3px solid; transform: scale(0.5)"
_WORDS = ("position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; "
          "font-weight: bold")


def _secs(seconds: float) -> str:
    """4.0 -> "4", 4.5 -> "4.5"."""
    return f"{seconds:g}"


def pacing(inhale: float, exhale: float, rounds: int | None = None) -> str:
    """The pacing in words: "in for 4 s, out for 6 s" (and the rounds, when given)."""
    text = f"in for {_secs(inhale)} s, out for {_secs(exhale)} s"
    return text if rounds is None else f"{text}, {rounds} rounds"


def _name(inhale: float, exhale: float, rounds: int) -> str:
    """A CSS name made from the pace alone, so two pacers with one name always share the same rules."""
    return f"pv-pace-{round(inhale * 10)}-{round(exhale * 10)}-{rounds}"


def still_html(label: str) -> str:
    """A circle that does not move, with a word in it."""
    return (f'<div class="pv-pacer"><div class="pv-pacer-stage" role="img" aria-label="Breathing pacer: '
            f'{esc(label)}" style="{_STAGE}"><div class="pv-pacer-circle" style="{_CIRCLE}"></div>'
            f'<span style="{_WORDS}">{esc(label)}</span></div></div>')


def _keyframes(name: str, share: float) -> str:
    """Keyframes for the circle and the words; ``share`` is the in-breath's part of one cycle, in %."""
    turn = f"{share:.2f}%"
    after = f"{min(share + 0.01, 100.0):.2f}%"
    return (
        f"@keyframes {name}-circle {{ 0% {{ transform: scale(0.5); }} {turn} {{ transform: scale(1); }} "
        f"100% {{ transform: scale(0.5); }} }}"
        f"@keyframes {name}-in {{ 0%, {turn} {{ opacity: 1; }} {after}, 100% {{ opacity: 0; }} }}"
        f"@keyframes {name}-out {{ 0%, {turn} {{ opacity: 0; }} {after}, 100% {{ opacity: 1; }} }}"
        f"@keyframes {name}-done {{ to {{ opacity: 1; }} }}"
    )


def _styles(name: str, inhale: float, exhale: float, rounds: int) -> str:
    """The pacer's style sheet: ``rounds`` cycles; with reduced motion, only the words change."""
    cycle = inhale + exhale
    each = f"animation-duration: {_secs(cycle)}s; animation-iteration-count: {rounds};"
    return (
        f"<style>{_keyframes(name, 100.0 * inhale / cycle)}"
        f".{name} .pv-pacer-circle {{ animation-name: {name}-circle; {each} "
        f"animation-timing-function: ease-in-out; --pv-inhale: {_secs(inhale)}s; --pv-exhale: {_secs(exhale)}s; }}"
        f".{name} .pv-pacer-in {{ animation-name: {name}-in; {each} animation-timing-function: linear; }}"
        f".{name} .pv-pacer-out {{ animation-name: {name}-out; {each} animation-timing-function: linear; }}"
        f".{name} .pv-pacer-done {{ animation: {name}-done 0.01s linear {_secs(cycle * rounds)}s 1 forwards; }}"
        f"@media (prefers-reduced-motion: reduce) {{ .{name} .pv-pacer-circle {{ animation: none; }} }}"
        "</style>"
    )


def pacer_html(inhale: float, exhale: float, rounds: int) -> str:
    """The moving pacer: ``rounds`` cycles of ``inhale`` seconds in and ``exhale`` seconds out."""
    name = _name(inhale, exhale, rounds)
    pace = pacing(inhale, exhale, rounds)
    hidden = f"{_WORDS}; opacity: 0"
    return (
        f'{_styles(name, inhale, exhale, rounds)}<div class="pv-pacer {name}">'
        f'<div class="pv-pacer-stage" role="img" aria-label="Breathing pacer: {pace}" style="{_STAGE}">'
        f'<div class="pv-pacer-circle" style="{_CIRCLE}"></div>'
        f'<span class="pv-pacer-in" style="{hidden}">Breathe in</span>'
        f'<span class="pv-pacer-out" style="{hidden}">Breathe out</span>'
        f'<span class="pv-pacer-done" style="{hidden}">Done</span></div>'
        f'<p class="pv-pacer-text">Pacing: {pace}. If the circle does not move, follow the words.</p></div>'
    )


def _header(practice: Practice, cite: Any) -> str:
    """Title, prompt and numbered steps."""
    steps = "".join(f"<li>{inline(step, cite)}</li>" for step in practice.steps)
    return (f'<h3 class="pv-title">{esc(practice.title)}</h3>{paragraphs(practice.prompt, cite)}'
            f'<ol class="pv-steps">{steps}</ol>')


def _choice(practice: Practice, cite: Any) -> str:
    """The opt-out note and the other ways to take part."""
    alternatives = "".join(f"<li><strong>{esc(a.title)}:</strong> {inline(a.text, cite)}</li>"
                           for a in practice.alternatives)
    return (f'<section class="pv-box pv-opt-out" role="note" aria-label="You can opt out">'
            f"<p><strong>You can opt out.</strong> {inline(practice.opt_out, cite)}</p></section>"
            f'<section class="pv-box pv-alternatives" role="note" aria-label="Other ways to take part">'
            f"<p><strong>Other ways to take part:</strong></p>"
            f"<ul>{alternatives}</ul></section>")


class PracticeWidget(w.VBox):
    """The practice: steps, the opt-out and alternatives always in view, then pace sliders and the pacer."""

    def __init__(self, practice: Practice, session: Any = None) -> None:
        self.practice = practice
        self.session = session
        self.running = False
        cite = session.cite if session is not None else None
        # Labelled number boxes, not sliders: ipywidgets' slider handle has no accessible name (axe-core).
        number = {"min": 1.0, "step": 0.5, "style": {"description_width": "initial"},
                  "layout": w.Layout(width="16em")}
        self.inhale = w.BoundedFloatText(value=practice.inhale, max=max(10.0, practice.inhale),
                                         description="Breathe in (seconds)", **number)
        self.exhale = w.BoundedFloatText(value=practice.exhale, max=max(10.0, practice.exhale),
                                         description="Breathe out (seconds)", **number)
        self.start_button = w.Button(description="Start", icon="play", button_style="primary")
        self.stop_button = w.Button(description="Stop", icon="stop", disabled=True)
        self.pacer = w.HTML(still_html("Ready"))
        self.start_button.on_click(lambda _: self.start())
        self.stop_button.on_click(lambda _: self.stop())
        self.inhale.observe(self._on_pace, names="value")
        self.exhale.observe(self._on_pace, names="value")
        super().__init__([w.HTML(_header(practice, cite)), w.HTML(_choice(practice, cite)),
                          self.inhale, self.exhale, w.HBox([self.start_button, self.stop_button]), self.pacer])
        self.add_class("pv-exercise")
        self.add_class("pv-practice")

    def start(self) -> None:
        """Show the moving pacer for the practice's rounds at the paces set on the sliders.

        Pressed again (for instance after the rounds are over), it starts the rounds afresh.
        """
        if self.running:
            self.pacer.value = still_html("Starting again")  # a new value, so the browser restarts the animation
        self.running = True
        self.pacer.value = pacer_html(self.inhale.value, self.exhale.value, self.practice.rounds)
        self.stop_button.disabled = False

    def stop(self) -> None:
        """Put back a still circle."""
        self.running = False
        self.pacer.value = still_html("Stopped")
        self.stop_button.disabled = True

    def _on_pace(self, _: Any) -> None:
        """A new pace while running starts the pacer again at that pace."""
        if self.running:
            self.start()


def live(practice: Practice, session: Any) -> PracticeWidget:
    """The live face."""
    return PracticeWidget(practice, session)


def static(practice: Practice, session: Any) -> Static:
    """Steps, the pacing in words, the alternatives and the opt-out, for print; no key."""
    cite = session.cite if session is not None else None
    pace = pacing(practice.inhale, practice.exhale, practice.rounds)
    learner = (f'<section class="pv-exercise pv-practice" aria-label="{esc(practice.title)}">'
               f"{_header(practice, cite)}<p class=\"pv-pacing\"><strong>Pacing:</strong> {pace}.</p>"
               f"{_choice(practice, cite)}</section>")
    return Static(learner)
