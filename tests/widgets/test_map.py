"""Map: per state an answer for each aspect, then the lists; drawn back as a ladder; blank ladder on paper."""

from __future__ import annotations

import json
from pathlib import Path

from pvkit.widgets import autonomic_map as map_face
from tests.widgets.test_answers_bar import downloads, fresh_session

ID = "map-ladder"


def saved(session) -> dict:
    return json.loads(session.answers.path.read_text(encoding="utf-8"))["answers"]


def test_one_labelled_area_per_state_and_aspect_then_lists(session):
    """Every state has a labelled area per aspect, top state first; the lists follow."""
    m = map_face.live(session.kit.exercise(ID), session)
    assert list(m.areas) == ["ventral.body", "ventral.thoughts", "ventral.behaviour",
                             "sympathetic.body", "sympathetic.thoughts", "sympathetic.behaviour",
                             "dorsal.body", "dorsal.thoughts", "dorsal.behaviour", "glimmers", "triggers"]
    assert m.areas["dorsal.body"].description == "In my body"
    assert m.areas["dorsal.body"].tooltip == "Dorsal vagal: shut down: In my body"
    assert m.areas["glimmers"].description == "Glimmers that help me feel safe" and m.areas["glimmers"].rows == 2
    assert "1 (top). Ventral vagal" in m.children[1].children[0].value


def test_answers_and_lists_are_saved(session):
    """Aspect answers save as state.aspect, lists under their own id."""
    m = map_face.live(session.kit.exercise(ID), session)
    m.set_answer("sympathetic", "body", "Tight jaw")
    m.set_list("glimmers", "Morning light")
    assert saved(session)[ID] == {"sympathetic.body": "Tight jaw", "glimmers": "Morning light"}


def test_answers_come_back_after_a_rerun(session):
    """A new session on the same folder shows the saved map."""
    m = map_face.live(session.kit.exercise(ID), session)
    m.set_answer("dorsal", "thoughts", "What's the point")
    m.set_list("triggers", "Raised voices")
    again = fresh_session(session.answers.path.parent)
    m2 = map_face.live(again.kit.exercise(ID), again)
    assert m2.areas["dorsal.thoughts"].value == "What's the point" and m2.areas["triggers"].value == "Raised voices"


def test_load_downloaded_file_into_fresh_session(session, tmp_path: Path):
    """The downloaded JSON loads into a fresh session and fills the map."""
    m = map_face.live(session.kit.exercise(ID), session)
    m.set_answer("ventral", "behaviour", "I make jokes")
    data = downloads(m.bar)["pvkit-answers-mini.json"][1].encode("utf-8")
    other = fresh_session(tmp_path / "home")
    m2 = map_face.live(other.kit.exercise(ID), other)
    m2.bar.load_bytes(data)
    assert m2.areas["ventral.behaviour"].value == "I make jokes"


def test_ladder_has_one_rung_per_state_top_first(session):
    """The ladder lists the states as rungs, the first state at the top, with the learner's words."""
    m = map_face.live(session.kit.exercise(ID), session)
    m.set_answer("ventral", "body", "Warm chest")
    m.set_answer("dorsal", "body", "Heavy limbs")
    html = m.ladder_html()
    assert html.count('class="pv-rung"') == 3
    assert html.index("Rung 1 (top) \u2014 Ventral vagal") < html.index("Rung 2 \u2014 Sympathetic") \
        < html.index("Rung 3 (bottom) \u2014 Dorsal vagal")
    assert html.index("Warm chest") < html.index("Heavy limbs")
    assert "(nothing written yet)" in html and "<script" not in html


def test_ladder_escapes_the_learners_text(session):
    """Markup typed by a learner appears as text in the ladder."""
    m = map_face.live(session.kit.exercise(ID), session)
    m.set_answer("ventral", "thoughts", "<b>I can</b> & will")
    m.set_list("glimmers", "<script>alert(1)</script>")
    html = m.ladder_html()
    assert "&lt;b&gt;I can&lt;/b&gt; &amp; will" in html and "<b>I can</b>" not in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_ladder_keeps_line_breaks(session):
    """Each line the learner typed stays a line in the ladder."""
    m = map_face.live(session.kit.exercise(ID), session)
    m.set_list("glimmers", "Tea\nMy dog")
    assert "Tea<br>My dog" in m.ladder_html()


def test_show_button_draws_the_ladder_and_keeps_it_current(session):
    """Show my map draws the ladder, which then follows every change."""
    m = map_face.live(session.kit.exercise(ID), session)
    assert m.ladder.value == ""
    m.show_button.click()
    assert "Rung 1 (top)" in m.ladder.value
    m.set_answer("sympathetic", "behaviour", "Pace the corridor")
    assert "Pace the corridor" in m.ladder.value


def test_delete_clears_the_map_and_its_ladder(session):
    """Deleting every answer clears the areas and the drawn ladder."""
    m = map_face.live(session.kit.exercise(ID), session)
    m.show_map()
    m.set_answer("ventral", "body", "Soft eyes")
    m.bar.delete()
    m.bar.confirm_delete()
    assert all(a.value == "" for a in m.areas.values()) and "Soft eyes" not in m.ladder.value
    assert not session.answers.path.exists()


def test_static_is_a_blank_ladder_without_learner_answers(session):
    """The handout is a table per state with ruled lines per aspect, then the lists; no answers."""
    ex = session.kit.exercise(ID)
    map_face.live(ex, session).set_answer("ventral", "body", "MY PRIVATE MAP")
    static = map_face.static(ex, session)
    assert static.learner.count('<table class="pv-map-state"') == 3
    assert static.learner.count('class="pv-line"') == 3 * 3 * 3 + 2 + 2
    assert static.learner.index("Ventral vagal") < static.learner.index("Dorsal vagal") \
        < static.learner.index("Glimmers that help me feel safe")
    assert "MY PRIVATE MAP" not in static.learner + static.key
    assert static.key == "" and "<script" not in static.learner


def test_static_escapes_content(handout_session):
    """Markup in state labels prints literally."""
    from dataclasses import replace

    ex = handout_session.kit.exercise(ID)
    evil = replace(ex, states=(replace(ex.states[0], label="<u>Top</u>"), *ex.states[1:]))
    html = map_face.static(evil, handout_session).learner
    assert "<u>Top</u>" not in html and "&lt;u&gt;Top&lt;/u&gt;" in html
