"""Plan: sections of labelled text areas saved as the learner types; static face with ruled lines."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from pvkit.widgets import plan as plan_face
from tests.widgets.test_answers_bar import downloads, fresh_session

ID = "plan-next"


def saved(session) -> dict:
    return json.loads(session.answers.path.read_text(encoding="utf-8"))["answers"]


def test_sections_have_headings_hints_and_labelled_fields(session):
    """Each section has its heading and hint; each field is a labelled text area with rows = lines."""
    p = plan_face.live(session.kit.exercise(ID), session)
    heading = p.children[1].children[0].value
    assert "Start small" in heading and "Pick something you can do this week." in heading
    assert p.areas["start-small.what"].description == "What will you try?" and p.areas["start-small.what"].rows == 2
    assert p.areas["support.who"].description == "Who can help you?" and p.areas["support.who"].rows == 3


def test_typing_saves_under_section_and_field(session):
    """Answers are saved as section.field in the answers file."""
    p = plan_face.live(session.kit.exercise(ID), session)
    p.set_answer("start-small", "what", "Greet by name")
    p.areas["support.who"].value = "My supervisor"
    assert saved(session)[ID] == {"start-small.what": "Greet by name", "support.who": "My supervisor"}


def test_answers_come_back_after_a_rerun(session):
    """A new session on the same folder shows the saved plan."""
    plan_face.live(session.kit.exercise(ID), session).set_answer("start-small", "when", "Monday handover")
    again = fresh_session(session.answers.path.parent)
    p = plan_face.live(again.kit.exercise(ID), again)
    assert p.areas["start-small.when"].value == "Monday handover" and p.areas["support.who"].value == ""


def test_load_downloaded_file_into_fresh_session(session, tmp_path: Path):
    """The downloaded JSON loads into a fresh session and fills the plan."""
    p = plan_face.live(session.kit.exercise(ID), session)
    p.set_answer("support", "who", "The team lead")
    data = downloads(p.bar)["pvkit-answers-mini.json"][1].encode("utf-8")
    other = fresh_session(tmp_path / "home")
    p2 = plan_face.live(other.kit.exercise(ID), other)
    p2.bar.load_bytes(data)
    assert p2.areas["support.who"].value == "The team lead"


def test_delete_clears_every_field(session):
    """Deleting every answer clears the plan and removes the file."""
    p = plan_face.live(session.kit.exercise(ID), session)
    p.set_answer("start-small", "what", "Something")
    p.bar.delete()
    p.bar.confirm_delete()
    assert all(a.value == "" for a in p.areas.values()) and not session.answers.path.exists()


def test_static_has_sections_with_ruled_lines_and_no_learner_answers(session):
    """The handout prints the sections with ruled lines, never the learner's answers."""
    ex = session.kit.exercise(ID)
    plan_face.live(ex, session).set_answer("start-small", "what", "MY PRIVATE PLAN")
    static = plan_face.static(ex, session)
    assert "Start small" in static.learner and "Support" in static.learner
    assert static.learner.count('class="pv-line"') == 2 + 3 + 3
    assert "MY PRIVATE PLAN" not in static.learner + static.key
    assert "<script" not in static.learner + static.key


def test_key_holds_model_answers_only(handout_session):
    """The key lists the model answer of the field that has one, and nothing else."""
    static = plan_face.static(handout_session.kit.exercise(ID), handout_session)
    assert "Greet each client by name at the hatch." in static.key
    assert "Greet each client by name" not in static.learner
    assert "Who can help you?" not in static.key and "When and where?" not in static.key


def test_key_is_empty_without_model_answers(handout_session):
    """A plan without model answers has no key."""
    ex = handout_session.kit.exercise(ID)
    bare = replace(ex, sections=tuple(replace(s, fields=tuple(replace(f, model_answer="") for f in s.fields))
                                      for s in ex.sections))
    assert plan_face.static(bare, handout_session).key == ""


def test_static_escapes_content(handout_session):
    """Markup in section titles and hints prints literally."""
    ex = handout_session.kit.exercise(ID)
    evil = replace(ex, sections=(replace(ex.sections[0], title="<i>x</i>", hint="a < b"), *ex.sections[1:]))
    html = plan_face.static(evil, handout_session).learner
    assert "<i>x</i>" not in html and "&lt;i&gt;x&lt;/i&gt;" in html and "a &lt; b" in html
