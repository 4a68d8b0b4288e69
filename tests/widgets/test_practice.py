"""Practice: opt-out and alternatives always shown, labelled pace sliders, the CSS pacer, static face."""

from __future__ import annotations

from dataclasses import replace

import ipywidgets as w

from pvkit.widgets import practice as practice_face


def _widget(session, **fields):
    return practice_face.live(replace(session.kit.exercise("practice-exhale"), **fields), session)


def _text(p) -> str:
    return "".join(c.value for c in p.children if isinstance(c, w.HTML))


def test_opt_out_and_alternatives_come_before_the_pacer(session):
    """The opt-out note and the non-breath alternatives are visible above the sliders and pacer."""
    p = _widget(session)
    notes = p.children[1].value
    assert "You can opt out." in notes and "You can sit this out." in notes
    assert "Orienting:" in notes and "Look around the room slowly." in notes
    assert p.children.index(p.pacer) > p.children.index(p.inhale) > 1


def test_steps_are_numbered(session):
    """The prompt and steps are shown as a numbered list."""
    p = _widget(session)
    assert '<ol class="pv-steps"><li>Sit comfortably.</li></ol>' in p.children[0].value


def test_sliders_are_labelled_and_start_at_the_model_pace(session):
    """In and out sliders have labels, run 1 to 10 s in half seconds, and start at the model's values."""
    p = _widget(session, inhale=3.5, exhale=7.0)
    assert "in" in p.inhale.description.lower() and "out" in p.exhale.description.lower()
    assert (p.inhale.value, p.exhale.value) == (3.5, 7.0)
    assert (p.inhale.min, p.inhale.max, p.inhale.step) == (1.0, 10.0, 0.5)


def test_pacer_is_still_before_start(session):
    """Before Start the pacer is a still circle with no animation."""
    p = _widget(session)
    assert not p.running and "animation" not in p.pacer.value and "Ready" in p.pacer.value


def test_start_shows_the_animated_pacer_with_the_durations(session):
    """Start puts in a CSS animation: one cycle of inhale + exhale seconds, repeated for the rounds."""
    p = _widget(session)
    p.start_button.click()
    html = p.pacer.value
    assert p.running and "@keyframes" in html
    assert "animation-duration: 10s" in html and "animation-iteration-count: 6" in html
    assert "--pv-inhale: 4s" in html and "--pv-exhale: 6s" in html
    assert "in for 4 s, out for 6 s, 6 rounds" in html
    assert "Breathe in" in html and "Breathe out" in html


def test_inhale_share_sets_the_turning_point(session):
    """The circle grows for the in-breath's share of the cycle: 4 of 10 s turns at 40%."""
    p = _widget(session)
    p.start()
    assert "40.00% { transform: scale(1); }" in p.pacer.value


def test_slider_values_are_used(session):
    """Start uses the paces set on the sliders."""
    p = _widget(session)
    p.inhale.value = 5.0
    p.exhale.value = 7.5
    p.start()
    assert "animation-duration: 12.5s" in p.pacer.value and "in for 5 s, out for 7.5 s" in p.pacer.value


def test_changing_pace_while_running_restarts_the_pacer(session):
    """A new pace while running puts in a pacer at the new pace."""
    p = _widget(session)
    p.start()
    p.exhale.value = 8.0
    assert p.running and "--pv-exhale: 8s" in p.pacer.value


def test_stop_puts_back_a_still_circle(session):
    """Stop replaces the animation with a still circle."""
    p = _widget(session)
    p.start()
    p.stop_button.click()
    assert not p.running and "animation" not in p.pacer.value and "Stopped" in p.pacer.value
    assert not p.start_button.disabled and p.stop_button.disabled


def test_start_again_restarts_the_rounds(session):
    """Start while running swaps in a still circle first, so the browser starts the animation afresh."""
    p = _widget(session)
    p.start()
    seen = []
    p.pacer.observe(lambda change: seen.append(change["new"]), names="value")
    p.start_button.click()
    assert len(seen) == 2 and "animation" not in seen[0] and "@keyframes" in seen[1] and p.running


def test_reduced_motion_keeps_the_circle_still(session):
    """Under prefers-reduced-motion the circle's animation is switched off; the words remain."""
    p = _widget(session)
    p.start()
    assert "@media (prefers-reduced-motion: reduce)" in p.pacer.value
    assert "If the circle does not move, follow the words." in p.pacer.value


def test_no_javascript_in_the_live_face(session):
    """The live face contains no script and no event handler attributes."""
    p = _widget(session)
    p.start()
    html = _text(p).lower()
    assert "<script" not in html and "onload" not in html and "javascript:" not in html


def test_static_face_has_steps_pacing_alternatives_and_opt_out(handout_session):
    """The handout gives the steps, the pacing in words, the alternatives and the opt-out."""
    static = practice_face.static(handout_session.kit.exercise("practice-exhale"), handout_session)
    html = static.learner
    assert "Sit comfortably." in html and "in for 4 s, out for 6 s" in html
    assert "Look around the room slowly." in html and "You can sit this out." in html
    assert "@keyframes" not in html and "<script" not in html and static.key == ""


def test_static_escapes_content(handout_session):
    """Markup in titles, steps and alternatives prints literally."""
    ex = handout_session.kit.exercise("practice-exhale")
    evil = replace(ex, title="<script>alert(1)</script>", steps=("a < b",),
                   alternatives=(replace(ex.alternatives[0], title="<i>x</i>"),))
    html = practice_face.static(evil, handout_session).learner
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "a &lt; b" in html and "&lt;i&gt;x&lt;/i&gt;" in html
