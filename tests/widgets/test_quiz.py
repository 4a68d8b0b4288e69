"""Quiz: feedback on every option, score, retry, shuffle, static face."""

from __future__ import annotations

from dataclasses import replace

from pvkit.widgets import quiz as quiz_face


def test_right_answer_gets_correct_feedback_and_score(session):
    """Choosing the right option shows 'Correct', its feedback and the score."""
    q = quiz_face.live(session.kit.exercise("quiz-states"), session)
    q.questions[0].select(0)
    assert q.check() == 1
    assert "Correct." in q.questions[0].feedback.value
    assert "the map links it with safety" in q.questions[0].feedback.value
    assert "Score: 1 of 1" in q.score.value


def test_wrong_answer_explains_every_option(session):
    """A wrong choice says so and explains both the chosen and the right option."""
    q = quiz_face.live(session.kit.exercise("quiz-states"), session)
    q.questions[0].select(1)
    assert q.check() == 0
    fb = q.questions[0].feedback.value
    assert "Not quite." in fb and "your choice" in fb and "correct answer" in fb
    assert "Dorsal is linked with shutting down." in fb


def test_retry_clears_answers_and_feedback(session):
    """Try again clears the choice, the feedback and the score."""
    q = quiz_face.live(session.kit.exercise("quiz-states"), session)
    q.questions[0].select(1)
    q.check()
    q.retry_button.click()
    assert q.questions[0].selected() == set() and q.questions[0].feedback.value == "" and q.score.value == ""


def test_check_button_click(session):
    """Clicking the button is the same as calling check()."""
    q = quiz_face.live(session.kit.exercise("quiz-states"), session)
    q.questions[0].select(0)
    q.check_button.click()
    assert "Score: 1 of 1" in q.score.value


def test_shuffle_is_fixed_by_seed(session):
    """Shuffled options come in the same order for the same seed, and a different one for another seed."""
    base = session.kit.exercise("quiz-states")
    options = base.questions[0].options * 3
    many = replace(base, shuffle=True, questions=(replace(base.questions[0], multiple=True, options=options),))
    orders = {tuple(quiz_face.option_order(replace(many, seed=s), 0)) for s in range(5)}
    assert quiz_face.option_order(many, 0) == quiz_face.option_order(many, 0)
    assert len(orders) > 1


def test_static_face_has_boxes_and_separate_key(handout_session):
    """The handout prints boxes to tick; the answer key is separate and explains every option."""
    static = quiz_face.static(handout_session.kit.exercise("quiz-states"), handout_session)
    assert "\u2610" in static.learner and "Which state is linked" in static.learner
    assert "Answer key" not in static.learner and "the map links it" not in static.learner
    assert "Answer:</strong> (a) Ventral vagal" in static.key and "Dorsal is linked" in static.key
    assert "<script" not in static.learner + static.key


def test_static_escapes_content(handout_session):
    """Markup in content text prints literally."""
    ex = handout_session.kit.exercise("quiz-states")
    evil = replace(ex, title="<script>alert(1)</script>", questions=(replace(ex.questions[0], text="a < b & **c**"),))
    html = quiz_face.static(evil, handout_session).learner
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "a &lt; b &amp; <strong>c</strong>" in html


def test_citation_labels():
    """In-text labels: one author, two authors, et al., and an explicit label."""
    from pvkit.widgets.html import citation_label

    assert citation_label("Dana, D.", 2018) == "Dana 2018"
    assert citation_label("Grossman, P., & Taylor, E. W.", 2007) == "Grossman & Taylor 2007"
    assert citation_label("Ogden, P., Minton, K., & Pain, C.", 2006) == "Ogden et al. 2006"
    assert citation_label("Shao et al.", 2024) == "Shao et al. 2024"
    assert citation_label("Substance Abuse and Mental Health Services Administration", 2014, "SAMHSA") == "SAMHSA 2014"
    assert citation_label("NCTSN", None) == "NCTSN n.d."
