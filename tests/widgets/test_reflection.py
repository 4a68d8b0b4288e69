"""Reflection: labelled text areas saved as the learner types; static face with ruled lines."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from pvkit.content.models import FormField
from pvkit.widgets import reflection as reflection_face
from tests.widgets.test_answers_bar import downloads, fresh_session

ID = "reflect-close"


def saved(session) -> dict:
    return json.loads(session.answers.path.read_text(encoding="utf-8"))["answers"]


def test_each_prompt_is_a_labelled_text_area(session):
    """Each prompt is a text area labelled with the prompt, rows = lines."""
    ex = session.kit.exercise(ID)
    ex = replace(ex, prompts=(*ex.prompts, FormField(id="why", label="Why?", lines=5, hint="One reason.")))
    r = reflection_face.live(ex, session)
    assert r.areas["next"].description == "What will you try next week?" and r.areas["next"].rows == 3
    assert r.areas["why"].rows == 5
    assert "One reason." in r.children[2].children[1].value


def test_typing_saves_to_the_answers_file(session):
    """Every change is written to pvkit-answers-mini.json."""
    r = reflection_face.live(session.kit.exercise(ID), session)
    r.areas["next"].value = "Notice my shoulders"
    assert session.answers.path.name == "pvkit-answers-mini.json"
    assert saved(session)[ID] == {"next": "Notice my shoulders"}


def test_clearing_a_prompt_removes_its_answer(session):
    """An emptied prompt is not kept in the file."""
    r = reflection_face.live(session.kit.exercise(ID), session)
    r.set_answer("next", "Something")
    r.set_answer("next", "  ")
    assert saved(session)[ID] == {}


def test_answers_come_back_after_a_rerun(session):
    """A new session on the same folder (a re-run or kernel restart) shows the saved answer."""
    reflection_face.live(session.kit.exercise(ID), session).set_answer("next", "Ask a colleague")
    again = fresh_session(session.answers.path.parent)
    assert reflection_face.live(again.kit.exercise(ID), again).areas["next"].value == "Ask a colleague"


def test_load_downloaded_file_into_fresh_session(session, tmp_path: Path):
    """The downloaded JSON loads into a fresh session and fills the prompt."""
    r = reflection_face.live(session.kit.exercise(ID), session)
    r.set_answer("next", "Name one glimmer")
    data = downloads(r.bar)["pvkit-answers-mini.json"][1].encode("utf-8")
    other = fresh_session(tmp_path / "home")
    r2 = reflection_face.live(other.kit.exercise(ID), other)
    r2.bar.load_bytes(data)
    assert r2.areas["next"].value == "Name one glimmer" and saved(other)[ID] == {"next": "Name one glimmer"}


def test_delete_clears_the_prompt(session):
    """Deleting every answer clears the text area and removes the file."""
    r = reflection_face.live(session.kit.exercise(ID), session)
    r.set_answer("next", "Temporary")
    r.bar.delete()
    r.bar.confirm_delete()
    assert r.areas["next"].value == "" and not session.answers.path.exists()


def test_a_loaded_file_with_odd_values_does_not_crash(session):
    """A number where text belongs leaves the prompt empty instead of failing."""
    r = reflection_face.live(session.kit.exercise(ID), session)
    r.bar.load_bytes(json.dumps({"pvkit_answers": 1, "answers": {ID: {"next": 42}}}).encode())
    assert r.areas["next"].value == ""


def test_static_has_ruled_lines_and_no_learner_answers(session):
    """The handout has a ruled line per line of the prompt, and never the learner's saved answer."""
    ex = session.kit.exercise(ID)
    reflection_face.live(ex, session).set_answer("next", "MY PRIVATE ANSWER")
    static = reflection_face.static(ex, session)
    assert "What will you try next week?" in static.learner
    assert static.learner.count('class="pv-line"') == 3
    assert "MY PRIVATE ANSWER" not in static.learner + static.key
    assert "<script" not in static.learner + static.key


def test_key_is_empty_without_model_answers(handout_session):
    """Without model answers there is no key."""
    assert reflection_face.static(handout_session.kit.exercise(ID), handout_session).key == ""


def test_key_holds_only_model_answers(handout_session):
    """The key prints model answers, never in the learner's sheet."""
    ex = handout_session.kit.exercise(ID)
    ex = replace(ex, prompts=(replace(ex.prompts[0], model_answer="One small, concrete step."),
                              FormField(id="other", label="Anything else?")))
    static = reflection_face.static(ex, handout_session)
    assert "One small, concrete step." in static.key and "One small, concrete step." not in static.learner
    assert "What will you try next week?" in static.key and "Anything else?" not in static.key


def test_model_answer_never_in_the_live_face(session):
    """The live widget does not show model answers."""
    ex = session.kit.exercise(ID)
    ex = replace(ex, prompts=(replace(ex.prompts[0], model_answer="SECRET MODEL"),))
    r = reflection_face.live(ex, session)
    texts = [getattr(c, "value", "") for c in r.children] + [r.areas["next"].placeholder]
    assert not any("SECRET MODEL" in str(t) for t in texts)


def test_static_escapes_content(handout_session):
    """Markup in labels and titles prints literally."""
    ex = handout_session.kit.exercise(ID)
    evil = replace(ex, title="<script>x</script>", prompts=(replace(ex.prompts[0], label="a < b"),))
    html = reflection_face.static(evil, handout_session).learner
    assert "<script>" not in html and "&lt;script&gt;" in html and "a &lt; b" in html
