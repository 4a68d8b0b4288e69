"""Sort: a labelled dropdown per item, per-item feedback, the count, retry, static face."""

from __future__ import annotations

from dataclasses import replace

from pvkit.widgets import sort as sort_face


def _widget(session):
    return sort_face.live(session.kit.exercise("sort-cues"), session)


def test_every_dropdown_is_labelled_with_its_item(session):
    """Each item's dropdown has the item's text as its label and starts unplaced."""
    s = _widget(session)
    assert [i.dropdown.description for i in s.items] == ["A warm greeting", "A slammed door"]
    assert all(i.dropdown.value == sort_face.NOT_PLACED for i in s.items)


def test_all_right_gives_ticks_and_full_count(session):
    """Every item in its bin: 'Right' with the feedback on each, and '2 of 2 placed correctly'."""
    s = _widget(session)
    s.place(0, "safety")
    s.place(1, "danger")
    assert s.check() == 2
    assert "Right" in s.items[0].feedback.value and "Friendly faces signal safety." in s.items[0].feedback.value
    assert "2 of 2 placed correctly" in s.score.value


def test_wrong_bin_says_so_in_words_and_names_the_right_bin(session):
    """A wrong placement says 'Not quite', what was chosen, and the right bin."""
    s = _widget(session)
    s.place(0, "danger")
    s.place(1, "danger")
    assert s.check() == 1
    fb = s.items[0].feedback.value
    assert "Not quite" in fb and "you chose Cue of danger" in fb and "belongs in <strong>Cue of safety" in fb
    assert "1 of 2 placed correctly" in s.score.value


def test_unplaced_item_counts_as_not_right(session):
    """An item left unplaced is reported as not placed yet and not counted."""
    s = _widget(session)
    s.place(1, "danger")
    assert s.check() == 1
    assert "Not placed yet." in s.items[0].feedback.value


def test_check_saves_the_score(session):
    """Checking saves the count to the learner's answers."""
    s = _widget(session)
    s.place(0, "safety")
    s.check()
    assert session.answers.get("sort-cues") == {"score": 1, "out_of": 2}


def test_check_button_click(session):
    """Clicking Check is the same as calling check()."""
    s = _widget(session)
    s.place(0, "safety")
    s.check_button.click()
    assert "1 of 2 placed correctly" in s.score.value


def test_try_again_clears_everything(session):
    """Try again takes every item out of its bin and clears feedback and count."""
    s = _widget(session)
    s.place(0, "danger")
    s.check()
    s.retry_button.click()
    assert all(i.dropdown.value == sort_face.NOT_PLACED and i.feedback.value == "" for i in s.items)
    assert s.score.value == "" and s.retry_button.disabled


def test_static_face_is_a_table_with_boxes_and_separate_key(handout_session):
    """The handout is a captioned table with scoped headers and boxes; the key is separate."""
    static = sort_face.static(handout_session.kit.exercise("sort-cues"), handout_session)
    html = static.learner
    assert "<caption>" in html and '<th scope="col">Cue of safety</th>' in html
    assert '<th scope="row">A warm greeting</th>' in html and html.count("\u2610") == 4
    assert "Friendly faces" not in html and "Answer key" not in html
    assert "A warm greeting</strong> \u2192 Cue of safety: Friendly faces signal safety." in static.key
    assert "<script" not in html + static.key


def test_static_escapes_content(handout_session):
    """Markup in titles, bins and items prints literally."""
    ex = handout_session.kit.exercise("sort-cues")
    evil = replace(ex, title="<script>alert(1)</script>",
                   items=(replace(ex.items[0], text="a < b & c"), *ex.items[1:]))
    static = sort_face.static(evil, handout_session)
    assert "<script" not in static.learner + static.key and "&lt;script&gt;" in static.learner
    assert "a &lt; b &amp; c" in static.learner
