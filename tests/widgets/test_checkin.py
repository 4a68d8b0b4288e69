"""Check-in: a private state and intensity; the facilitator's room tally; printed boxes and scale."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pvkit.widgets import checkin as checkin_face
from tests.widgets.test_answers_bar import downloads, fresh_session

ID = "checkin-now"


@pytest.fixture
def facilitator_session(live_session):
    """A live facilitator session on the test kit; answers go to a temporary folder."""
    return live_session("facilitator")


def saved(session) -> dict:
    return json.loads(session.answers.path.read_text(encoding="utf-8"))["answers"]


def test_states_are_labelled_choices_with_blended_last(session):
    """The choices show label and description; blended states come after the main ones."""
    c = checkin_face.live(session.kit.exercise(ID), session)
    assert [value for _, value in c.radio.options] == ["ventral", "sympathetic", "dorsal", "play"]
    assert c.radio.options[0][0] == "Ventral vagal: safe and connected \u2014 Calm, curious, able to connect."
    assert c.radio.description == "My state now" and c.radio.value is None


def test_slider_runs_to_scale_max_with_its_words(session):
    """The intensity slider runs 0..scale_max and says what the ends mean."""
    c = checkin_face.live(session.kit.exercise(ID), session)
    assert (c.slider.options[0], c.slider.options[-1], c.slider.description) == (0, 5, "How strongly")
    words = c.slider.tooltip + " ".join(getattr(x, "value", "") for x in c.children[3].children[1:])
    assert "0 = a little" in words and "5 = a lot" in words


def test_private_note_is_shown(session):
    """The widget says the check-in is private."""
    c = checkin_face.live(session.kit.exercise(ID), session)
    assert "Private: not shared, not collected." in c.children[1].value


def test_choosing_saves_state_and_intensity(session):
    """Choosing a state and an intensity writes both to the answers file."""
    c = checkin_face.live(session.kit.exercise(ID), session)
    c.choose("sympathetic", 4)
    assert saved(session)[ID] == {"state": "sympathetic", "intensity": 4}


def test_check_in_comes_back_after_a_rerun(session):
    """A new session on the same folder shows the saved check-in."""
    checkin_face.live(session.kit.exercise(ID), session).choose("play", 2)
    again = fresh_session(session.answers.path.parent)
    c = checkin_face.live(again.kit.exercise(ID), again)
    assert (c.radio.value, c.slider.value) == ("play", 2)


def test_load_downloaded_file_into_fresh_session(session, tmp_path: Path):
    """The downloaded JSON loads into a fresh session and shows the check-in."""
    c = checkin_face.live(session.kit.exercise(ID), session)
    c.choose("dorsal", 1)
    data = downloads(c.bar)["pvkit-answers-mini.json"][1].encode("utf-8")
    other = fresh_session(tmp_path / "home")
    c2 = checkin_face.live(other.kit.exercise(ID), other)
    c2.bar.load_bytes(data)
    assert (c2.radio.value, c2.slider.value) == ("dorsal", 1)


def test_loaded_unknown_state_and_bad_intensity_are_ignored(session):
    """A file with a state the content no longer has, or a silly intensity, does not crash."""
    c = checkin_face.live(session.kit.exercise(ID), session)
    c.bar.load_bytes(json.dumps({"pvkit_answers": 1, "answers": {ID: {"state": "gone", "intensity": "x"}}}).encode())
    assert (c.radio.value, c.slider.value) == (None, 0)
    c.bar.load_bytes(json.dumps({"pvkit_answers": 1, "answers": {ID: {"state": "ventral", "intensity": 99}}}).encode())
    assert (c.radio.value, c.slider.value) == ("ventral", 5)


def test_delete_clears_the_check_in(session):
    """Deleting every answer clears the choice and the slider."""
    c = checkin_face.live(session.kit.exercise(ID), session)
    c.choose("ventral", 3)
    c.bar.delete()
    c.bar.confirm_delete()
    assert (c.radio.value, c.slider.value) == (None, 0) and not session.answers.path.exists()


def test_learners_get_no_tally(session):
    """The room tally is not part of a learner's widget."""
    c = checkin_face.live(session.kit.exercise(ID), session)
    assert c.tally == {} and not any("pv-tally" in x._dom_classes for x in c.children)
    with pytest.raises(RuntimeError, match="facilitator"):
        c.set_tally("ventral", 3)


def test_facilitator_tally_has_a_labelled_count_per_state(facilitator_session):
    """Facilitators get one labelled count per state, starting at 0."""
    c = checkin_face.live(facilitator_session.kit.exercise(ID), facilitator_session)
    assert list(c.tally) == ["ventral", "sympathetic", "dorsal", "play"]
    assert c.tally["dorsal"].description == "Room count: Dorsal vagal: shut down"
    assert all(t.value == 0 for t in c.tally.values())


def test_tally_chart_writes_every_count(facilitator_session):
    """The chart writes each count beside its bar and sums them in its label."""
    c = checkin_face.live(facilitator_session.kit.exercise(ID), facilitator_session)
    c.set_tally("ventral", 6)
    c.set_tally("sympathetic", 3)
    html = c.chart_html()
    assert re.findall(r'class="pv-tally-count"[^>]*><strong>(\d+)</strong>', html) == ["6", "3", "0", "0"]
    assert 'role="img"' in html and "Room tally, 9 in total: Ventral vagal: safe and connected, 6;" in html
    assert "width:100%" in html and "width:50%" in html
    assert c.chart.value == html and "<script" not in html


def test_tally_is_not_saved_with_answers(facilitator_session):
    """Room counts are not the facilitator's own answers: they are not written to the file."""
    c = checkin_face.live(facilitator_session.kit.exercise(ID), facilitator_session)
    c.set_tally("ventral", 4)
    assert not facilitator_session.answers.path.exists()


def test_tally_chart_escapes_labels():
    """State labels with markup are shown as text in the chart."""
    html = checkin_face.tally_chart([("<b>Calm</b>", 2)])
    assert "&lt;b&gt;Calm&lt;/b&gt;" in html and "<b>Calm</b>" not in html


def test_static_has_boxes_and_scale_without_answers(session):
    """The handout ticks boxes and circles 0..N; it never shows the learner's check-in."""
    ex = session.kit.exercise(ID)
    checkin_face.live(ex, session).choose("dorsal", 5)
    static = checkin_face.static(ex, session)
    assert static.learner.count("\u2610") == 4 and "Circle one: 0 = a little, 5 = a lot" in static.learner
    assert re.findall(r">(\d+)</td>", static.learner) == ["0", "1", "2", "3", "4", "5"]
    assert "Private: not shared, not collected." in static.learner
    assert "\u2611" not in static.learner and "<script" not in static.learner + static.key


def test_static_key_is_a_blank_tally_table(handout_session):
    """The facilitator's key is a tally table with a row per state and a total, all blank."""
    key = checkin_face.static(handout_session.kit.exercise(ID), handout_session).key
    assert key.count('<th scope="row"') == 5 and "Total" in key and "Dorsal vagal: shut down" in key
    assert not re.search(r"<td[^>]*>\s*\d", key)


def test_a_check_in_without_room_tally_tells_facilitators_not_to_ask(facilitator_session, handout_session):
    """``room_tally: false``: no counts to fill in, live or printed; the facilitator is told why."""
    import dataclasses

    private = dataclasses.replace(facilitator_session.kit.exercise(ID), room_tally=False)
    c = checkin_face.live(private, facilitator_session)
    assert c.tally == {}
    assert any("No room tally for this check-in" in str(getattr(x, "value", "")) for x in c.children)
    key = checkin_face.static(private, handout_session).key
    assert "No room tally for this check-in" in key and "<table" not in key
