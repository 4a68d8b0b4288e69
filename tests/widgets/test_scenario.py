"""Scenario: choices with rated feedback, branching with Continue, the path, restart, static face."""

from __future__ import annotations

from dataclasses import replace

from pvkit.widgets import scenario as scenario_face


def _widget(session):
    return scenario_face.live(session.kit.exercise("scenario-hatch"), session)


def test_starts_at_the_first_step_with_setting_and_choices(session):
    """The widget opens on step 1: setting, step text and one button per choice."""
    sc = _widget(session)
    assert sc.current_step == "start" and sc.path == []
    assert "Medication hatch" in sc.children[0].value
    assert "A man shouts at the hatch." in sc.step_view.value
    assert [b.description for b in sc.choices.children] == ["(a) Lower your voice", "(b) Shout back"]


def test_choice_shows_feedback_with_rating_in_words(session):
    """Choosing shows what was chosen, the rating as a word and the feedback."""
    sc = _widget(session)
    sc.choose(1)
    fb = sc.feedback.value
    assert "You chose (b):" in fb and "Unhelpful." in fb and "This escalates." in fb
    assert sc.path == [("start", 1)]


def test_choice_that_ends_the_path_offers_no_continue(session):
    """A choice without a next step ends the path: Continue stays disabled and does nothing."""
    sc = _widget(session)
    sc.choose(1)
    assert sc.continue_button.disabled and "This path ends here." in sc.feedback.value
    sc.continue_()
    assert sc.current_step == "start"


def test_continue_follows_the_branch(session):
    """Continue after a choice with next moves to that step and clears the feedback."""
    sc = _widget(session)
    sc.choose(0)
    assert not sc.continue_button.disabled and "Helpful." in sc.feedback.value
    sc.continue_button.click()
    assert sc.current_step == "later" and "He is quieter now." in sc.step_view.value
    assert sc.feedback.value == ""


def test_path_is_shown_and_recorded(session):
    """The path lists the steps visited and the choices made."""
    sc = _widget(session)
    sc.choose(0)
    sc.continue_()
    sc.choose(1)
    assert sc.path == [("start", 0), ("later", 1)]
    assert "Path:</strong> Step 1 (a) \u2192 Step 2" in sc.path_view.value
    assert "Mixed." in sc.feedback.value and "He may feel dismissed." in sc.feedback.value


def test_one_choice_per_step(session):
    """After choosing, the step's buttons are disabled and a second choice is ignored."""
    sc = _widget(session)
    sc.choices.children[0].click()
    sc.choose(1)
    assert sc.path == [("start", 0)] and all(b.disabled for b in sc.choices.children)


def test_restart_goes_back_to_the_first_step(session):
    """Restart clears the path and the feedback and shows step 1 again."""
    sc = _widget(session)
    sc.choose(0)
    sc.continue_()
    sc.restart_button.click()
    assert sc.current_step == "start" and sc.path == [] and sc.feedback.value == ""
    assert not any(b.disabled for b in sc.choices.children)
    assert "Path:</strong> Step 1</p>" in sc.path_view.value


def test_end_of_path_shows_discussion(session):
    """At the end of a path the discussion questions are shown."""
    ex = replace(session.kit.exercise("scenario-hatch"), discussion=("What would you do next time?",))
    sc = scenario_face.live(ex, session)
    sc.choose(1)
    assert "To discuss" in sc.feedback.value and "What would you do next time?" in sc.feedback.value


def test_choices_save_the_path(session):
    """The path taken is saved to the learner's answers."""
    sc = _widget(session)
    sc.choose(0)
    assert session.answers.get("scenario-hatch") == {"path": ["start (a)"]}


def test_static_face_letters_choices_and_names_branches(handout_session):
    """The handout shows every step, lettered choices, where a step is reached from, and lines."""
    static = scenario_face.static(handout_session.kit.exercise("scenario-hatch"), handout_session)
    html = static.learner
    assert "Medication hatch" in html and 'type="a"' in html
    assert "Step 2" in html and "If you chose (a) at step 1:" in html
    assert "then go to step 2" in html and 'class="pv-lines"' in html
    assert "Helpful" not in html and "Calm prosody" not in html


def test_static_key_rates_every_choice(handout_session):
    """The key gives every choice's rating in words and its feedback."""
    key = scenario_face.static(handout_session.kit.exercise("scenario-hatch"), handout_session).key
    assert "(a) Lower your voice:" in key and "Helpful." in key and "Calm prosody helps." in key
    assert "Unhelpful." in key and "Mixed." in key and "<script" not in key


def test_static_discussion_questions_have_lines(handout_session):
    """Each discussion question prints with ruled lines to write on."""
    ex = replace(handout_session.kit.exercise("scenario-hatch"), discussion=("What helped?", "What next?"))
    html = scenario_face.static(ex, handout_session).learner
    assert "What helped?" in html and "What next?" in html and html.count('class="pv-lines"') == 2


def test_static_escapes_content(handout_session):
    """Markup in titles, settings and choices prints literally."""
    ex = handout_session.kit.exercise("scenario-hatch")
    step = replace(ex.steps[1], choices=(replace(ex.steps[1].choices[0], text="<b>x</b>"), ex.steps[1].choices[1]))
    evil = replace(ex, title="<script>alert(1)</script>", setting="a < b", steps=(ex.steps[0], step))
    static = scenario_face.static(evil, handout_session)
    assert "<script" not in static.learner + static.key and "&lt;script&gt;" in static.learner
    assert "a &lt; b" in static.learner and "&lt;b&gt;x&lt;/b&gt;" in static.learner + static.key
