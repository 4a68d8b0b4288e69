"""Timer: default minutes, start/pause/reset, ticks, an asyncio countdown, the run sheet, static face."""

from __future__ import annotations

import asyncio

from pvkit.content.models import Timer
from pvkit.widgets import Static
from pvkit.widgets import timer as timer_face


def _timer(**fields) -> Timer:
    base = {"id": "timer-close", "workshop": "mini", "module": "close", "title": "Closing round",
            "prompt": "Time the closing round."}
    return Timer(**{**base, **fields})


def test_minutes_default_to_the_module(session):
    """Without its own minutes, the timer takes its module's minutes."""
    t = timer_face.live(_timer(), session)
    assert t.minutes.value == 15 and t.remaining == 900 and "15:00" in t.time_view.value


def test_own_minutes_win(session):
    """The exercise's own minutes override the module's."""
    t = timer_face.live(_timer(minutes=3), session)
    assert t.remaining == 180 and "03:00" in t.time_view.value


def test_without_a_session_a_default_is_used():
    """With no session to look the module up in, the default minutes apply."""
    assert timer_face.live(_timer(), None).remaining == timer_face.DEFAULT_MINUTES * 60


def test_minutes_input_is_labelled(session):
    """The minutes input has a visible label."""
    assert timer_face.live(_timer(), session).minutes.description == "Minutes"


def test_tick_counts_down_only_while_running(session):
    """tick() takes seconds off while running and does nothing before Start."""
    t = timer_face.live(_timer(minutes=1), session)
    t.tick()
    assert t.remaining == 60
    t.start_button.click()
    t.tick()
    assert t.running and t.remaining == 59 and "00:59" in t.time_view.value


def test_pause_stops_and_start_resumes(session):
    """Pause keeps the time left; Start goes on from there."""
    t = timer_face.live(_timer(minutes=1), session)
    t.start()
    t.tick(10)
    t.pause_button.click()
    t.tick(5)
    assert not t.running and t.remaining == 50 and "Paused." in t.status.value
    t.start()
    t.tick()
    assert t.remaining == 49


def test_reset_goes_back_to_full_time(session):
    """Reset stops the timer and shows the full time again."""
    t = timer_face.live(_timer(minutes=2), session)
    t.start()
    t.tick(30)
    t.reset_button.click()
    assert not t.running and t.remaining == 120 and "02:00" in t.time_view.value


def test_time_up_stops_and_says_so(session):
    """At zero the timer stops and says 'Time is up.' in words."""
    t = timer_face.live(_timer(minutes=1), session)
    t.start()
    t.tick(75)
    assert t.remaining == 0 and not t.running
    assert "00:00" in t.time_view.value and "Time is up." in t.status.value


def test_start_after_time_up_starts_over(session):
    """Start at zero starts again from the full time."""
    t = timer_face.live(_timer(minutes=1), session)
    t.start()
    t.tick(60)
    t.start()
    assert t.running and t.remaining == 60


def test_new_minutes_reset_when_stopped(session):
    """Changing the minutes while stopped sets the time to the new minutes."""
    t = timer_face.live(_timer(), session)
    t.minutes.value = 7
    assert t.remaining == 420 and "07:00" in t.time_view.value


def test_new_minutes_adjust_a_running_timer(session):
    """Changing the minutes while running adds or takes off the difference."""
    t = timer_face.live(_timer(minutes=5), session)
    t.start()
    t.tick(60)
    t.minutes.value = 7
    assert t.running and t.remaining == 360


def test_countdown_runs_as_an_asyncio_task_without_blocking(session):
    """Inside an event loop, Start returns at once and a task ticks until Pause."""

    async def scenario() -> tuple[int, int, int]:
        t = timer_face.live(_timer(minutes=1), session)
        t.interval = 0.01
        t.start()
        after_start = t.remaining  # start() returned without waiting for a tick
        await asyncio.sleep(0.2)
        t.pause()
        paused_at = t.remaining
        await asyncio.sleep(0.05)
        return after_start, paused_at, t.remaining

    after_start, paused_at, later = asyncio.run(scenario())
    assert after_start == 60 and paused_at < 60 and later == paused_at


def test_countdown_task_ends_at_zero(session):
    """The asyncio task stops itself when the time is up."""

    async def scenario() -> timer_face.TimerWidget:
        t = timer_face.live(_timer(minutes=1), session)
        t.interval = 0.001
        t.start()
        t.tick(58)
        await asyncio.sleep(0.2)
        return t

    t = asyncio.run(scenario())
    assert t.remaining == 0 and not t.running and "Time is up." in t.status.value


def test_agenda_shows_the_run_sheet(session):
    """With agenda: true the run sheet with clock times is shown and this module is marked."""
    t = timer_face.live(_timer(agenda=True), session)
    sheet = t.run_sheet.value
    assert t.children[-1] is t.run_sheet
    assert "<caption>Run sheet from 09:00</caption>" in sheet and '<th scope="col">Time</th>' in sheet
    assert "09:25\u201309:40" in sheet and "Close <strong>(this part)</strong>" in sheet


def test_no_agenda_by_default(session):
    """Without agenda: true there is no run sheet."""
    t = timer_face.live(_timer(), session)
    assert t.run_sheet is None


def test_static_is_a_key_line_only(handout_session):
    """On paper learners get nothing; the facilitator's key says 'Timer: N minutes'."""
    static = timer_face.static(_timer(), handout_session)
    assert static == Static(learner="", key=static.key)
    assert "Timer: 15 minutes" in static.key and "<script" not in static.key


def test_static_escapes_the_title(handout_session):
    """Markup in the title prints literally in the key."""
    key = timer_face.static(_timer(title="<script>alert(1)</script>", minutes=4), handout_session).key
    assert "<script" not in key and "&lt;script&gt;" in key and "Timer: 4 minutes" in key


def test_clock_format():
    """Seconds show as mm:ss, with minutes past 99 kept whole."""
    assert [timer_face.clock(s) for s in (0, 59, 61, 6000)] == ["00:00", "00:59", "01:01", "100:00"]
