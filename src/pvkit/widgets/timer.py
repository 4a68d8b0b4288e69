"""Timer: a facilitator's countdown that never blocks the kernel, optionally with the run sheet.

The countdown runs as an asyncio task on the kernel's own event loop (the
running loop of ipykernel, or Pyodide's browser loop in JupyterLite): no
threads and no blocking sleep, so the notebook stays usable while it counts.
"""

from __future__ import annotations

import asyncio
from typing import Any

import ipywidgets as w

from pvkit.content.models import Timer
from pvkit.runsheet import run_sheet
from pvkit.widgets import Static
from pvkit.widgets.html import esc, paragraphs

__all__ = ["DEFAULT_MINUTES", "TimerWidget", "clock", "default_minutes", "live", "static"]

#: Minutes used when neither the timer nor its module says how long.
DEFAULT_MINUTES = 5


def default_minutes(timer: Timer, session: Any) -> int:
    """The timer's own minutes, else its module's minutes, else ``DEFAULT_MINUTES``."""
    if timer.minutes is not None:
        return timer.minutes
    try:
        return int(session.workshop.module(timer.module).minutes)
    except (AttributeError, KeyError):
        return DEFAULT_MINUTES


def clock(seconds: int) -> str:
    """Seconds as "mm:ss" (minutes may run past 99)."""
    minutes, secs = divmod(max(0, int(seconds)), 60)
    return f"{minutes:02d}:{secs:02d}"


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop the kernel runs on, or ``None`` outside a running loop (plain scripts, tests)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _run_sheet(timer: Timer, session: Any) -> str:
    """The run sheet with clock times; this timer's module is marked "(this part)"."""
    rows = run_sheet(session.workshop, session.start, session.modules, session.breaks)
    body = "".join(
        f"<tr><td>{r.start}\u2013{r.end}</td><td>{r.minutes}</td><td>{esc(r.title)}"
        f"{' <em>(break)</em>' if r.is_break else ''}"
        f"{' <strong>(this part)</strong>' if r.module_id == timer.module else ''}</td></tr>"
        for r in rows
    )
    return (f'<table class="pv-agenda"><caption>Run sheet from {esc(session.start)}</caption>'
            '<thead><tr><th scope="col">Time</th><th scope="col">Minutes</th><th scope="col">Part</th>'
            f"</tr></thead><tbody>{body}</tbody></table>")


class TimerWidget(w.VBox):
    """A countdown with Start, Pause and Reset, and adjustable minutes.

    Attributes
    ----------
    remaining : int
        Seconds left.
    running : bool
        True while counting down.
    interval : float
        Seconds the loop waits between ticks of one second (tests make it small).
    run_sheet : ipywidgets.HTML or None
        The run sheet with clock times, when the timer asks for the agenda.
    """

    interval = 1.0

    def __init__(self, timer: Timer, session: Any = None) -> None:
        self.timer = timer
        self.session = session
        self.remaining = 0
        self.running = False
        self._task: asyncio.Task[None] | None = None
        cite = session.cite if session is not None else None
        self.minutes = w.BoundedIntText(value=default_minutes(timer, session), min=1, max=600,
                                        description="Minutes", layout=w.Layout(width="12em"))
        self.time_view = w.HTML("")
        self.status = w.HTML("")
        self.start_button = w.Button(description="Start", icon="play", button_style="primary")
        self.pause_button = w.Button(description="Pause", icon="pause")
        self.reset_button = w.Button(description="Reset", icon="undo")
        self.start_button.on_click(lambda _: self.start())
        self.pause_button.on_click(lambda _: self.pause())
        self.reset_button.on_click(lambda _: self.reset())
        self.minutes.observe(self._on_minutes, names="value")
        parts: list[w.Widget] = [
            w.HTML(f'<h3 class="pv-title">{esc(timer.title)}</h3>{paragraphs(timer.prompt, cite)}'),
            self.time_view, self.status, self.minutes,
            w.HBox([self.start_button, self.pause_button, self.reset_button]),
        ]
        self.run_sheet = w.HTML(_run_sheet(timer, session)) if timer.agenda and session is not None else None
        if self.run_sheet is not None:
            parts.append(self.run_sheet)
        super().__init__(parts)
        self.add_class("pv-exercise")
        self.add_class("pv-timer")
        self.reset()

    # -- actions -------------------------------------------------------------
    def start(self) -> None:
        """Start (or resume) counting down; from zero, start again from the full time."""
        if self.running:
            return
        if self.remaining <= 0:
            self.reset()
        self.running = True
        loop = _running_loop()
        if loop is not None:
            self._task = loop.create_task(self._count())
        self._show("Running." if loop is not None else "Running (no event loop here: the time moves only on tick()).")

    def pause(self) -> None:
        """Stop counting; Start goes on from here."""
        if not self.running:
            return
        self._stop()
        self._show("Paused.")

    def reset(self) -> None:
        """Stop and go back to the full time set in Minutes."""
        self._stop()
        self.remaining = int(self.minutes.value) * 60
        self._show("Ready. Press Start.")

    def tick(self, seconds: int = 1) -> None:
        """Count ``seconds`` off while running; at zero, stop and say the time is up."""
        if not self.running:
            return
        self.remaining = max(0, self.remaining - seconds)
        if self.remaining == 0:
            self._stop()
            self._show("Time is up.")
        else:
            self._show("Running.")

    # -- internals -----------------------------------------------------------
    def _on_minutes(self, change: dict[str, Any]) -> None:
        """New minutes: while running, add or take off the difference; otherwise start over from them."""
        if self.running:
            self.remaining = max(0, self.remaining + (int(change["new"]) - int(change["old"])) * 60)
            self.tick(0)
        else:
            self.reset()

    async def _count(self) -> None:
        """The countdown task: one tick per ``interval`` until paused or done."""
        while self.running:
            await asyncio.sleep(self.interval)
            self.tick()

    def _stop(self) -> None:
        """Stop counting and cancel the countdown task (unless it is the one calling); callers then _show."""
        self.running = False
        task, self._task = self._task, None
        if task is not None and not task.done() and task is not _current_task():
            task.cancel()

    def _show(self, status: str) -> None:
        """Show the time left and the state in words."""
        self.time_view.value = (f'<p class="pv-timer-display" role="timer" aria-label="Time left" '
                                'style="font-size: 2.5em; font-variant-numeric: tabular-nums; margin: 0">'
                                f"<strong>{clock(self.remaining)}</strong></p>")
        self.status.value = f'<p class="pv-timer-status" role="status">{esc(status)}</p>'
        self.start_button.disabled = self.running
        self.pause_button.disabled = not self.running


def _current_task() -> asyncio.Task[Any] | None:
    """The task running now, if any."""
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None


def live(timer: Timer, session: Any) -> TimerWidget:
    """The live face."""
    return TimerWidget(timer, session)


def static(timer: Timer, session: Any) -> Static:
    """Nothing for learners (a timer is a facilitator's tool); one line for the facilitator's key."""
    minutes = default_minutes(timer, session)
    key = (f'<section class="pv-key pv-timer-key" aria-label="Timer: {esc(timer.title)}">'
           f"<p><strong>Timer: {minutes} minutes</strong> ({esc(timer.title)})</p></section>")
    return Static("", key)
