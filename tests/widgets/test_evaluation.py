"""Evaluation: the live form saves answers, offers one anonymous response file, and prints as a paper form."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from pvkit import live
from pvkit.report.response import RESPONSE_KEYS, RESPONSE_SCHEMA, EvaluationForm, check_response
from pvkit.widgets import evaluation as evaluation_face
from pvkit.widgets import quiz as quiz_face
from tests.report.conftest import add_evaluation

ID = "evaluation-mini"
LINK = re.compile(r'download="([^"]+)" href="data:application/json;charset=utf-8;base64,([^"]*)"')
IDENTIFYING = ("name", "email", "user", "host", "machine", "date", "time", "path", "ip", "platform", "version")


def _setup(kit_dir: Path, folder: Path, monkeypatch, **options):
    add_evaluation(kit_dir)
    monkeypatch.chdir(kit_dir)
    folder.mkdir(exist_ok=True)
    live.setup(workshop="mini", answers_dir=str(folder), **options)
    return live.current()


@pytest.fixture
def eval_session(kit_dir: Path, tmp_path: Path, monkeypatch):
    """A live learner session on the test kit with an evaluation; answers go to a temporary folder."""
    return _setup(kit_dir, tmp_path / "answers", monkeypatch)


def form(session):
    return evaluation_face.live(session.kit.exercise(ID), session)


def download(widget) -> tuple[str, dict]:
    """The response file's name and its decoded JSON."""
    name, data = LINK.search(widget.link.value).groups()
    return name, json.loads(base64.b64decode(data))


def fill_in(widget) -> None:
    widget.rate("useful", 5)
    widget.rate("facilitation", 3)
    widget.rate_objective("states.1", 2, 4)
    widget.rate_objective("close.1", None, 3)
    widget.comment("best", "The pacing.")


def keys(value) -> list[str]:
    """Every key in a nested JSON value."""
    if isinstance(value, dict):
        return [k for key, v in value.items() for k in (key, *keys(v))]
    return []


def test_objectives_come_from_the_workshop_modules(eval_session):
    """Each module objective gets a before and a now rating, ids <module>.<n>."""
    widget = form(eval_session)
    assert list(widget.before) == list(widget.now) == ["states.1", "close.1"]
    assert widget.before["states.1"].tooltip == "Before today: Name the three states."


def test_cohort_module_subset_limits_the_objectives(kit_dir: Path, tmp_path: Path, monkeypatch):
    """With a modules subset, only the objectives of those modules are asked."""
    session = _setup(kit_dir, tmp_path / "a", monkeypatch, modules=["close"])
    assert list(form(session).before) == ["close.1"]


def test_ratings_offer_the_scale_with_no_answer_first(eval_session):
    """Every rating is a drop-down: no answer, then 1..5 with the scale's words."""
    widget = form(eval_session)
    assert widget.reactions["useful"].options[:2] == (("(no answer)", None), ("1 = Strongly disagree", 1))
    assert widget.now["close.1"].options[-1] == ("5 = Very confident", 5)


def test_download_has_the_schema_version_and_the_answers(eval_session):
    """The response file holds the schema version and exactly the answers given, and passes the report's check."""
    widget = form(eval_session)
    fill_in(widget)
    _, data = download(widget)
    assert data["pvkit_evaluation"] == RESPONSE_SCHEMA and data["workshop"] == "mini" and data["exercise"] == ID
    assert data["reactions"] == {"useful": 5, "facilitation": 3}
    assert data["objectives"] == {"states.1": {"before": 2, "now": 4}, "close.1": {"now": 3}}
    assert data["comments"] == {"best": "The pacing."}
    checked = check_response(data, {"mini": EvaluationForm.of(eval_session.kit, "mini")})
    assert checked.before == {"states.1": 2} and checked.now == {"states.1": 4, "close.1": 3}


def test_download_holds_no_name_or_machine_data(eval_session):
    """Only the documented keys are in the file: nothing about the person, the machine or the time."""
    widget = form(eval_session)
    fill_in(widget)
    name, data = download(widget)
    assert set(data) <= set(RESPONSE_KEYS)
    assert not [k for k in keys(data) if any(word in k.lower() for word in IDENTIFYING)]
    assert str(Path.home()) not in json.dumps(data) and str(eval_session.answers.path) not in json.dumps(data)
    assert re.fullmatch(r"pvkit-evaluation-mini-[0-9a-f]{6}\.json", name)


def test_knowledge_check_score_is_included_when_taken(eval_session):
    """After the quiz is checked, Update puts its score in the file; unticking the box leaves it out."""
    widget = form(eval_session)
    assert "knowledge_check" not in download(widget)[1]
    quiz = quiz_face.live(eval_session.kit.exercise("quiz-mini-check"), eval_session)
    quiz.questions[0].select(0)
    quiz.check()
    widget.update_button.click()
    assert download(widget)[1]["knowledge_check"] == {"quiz": "quiz-mini-check", "score": 1, "out_of": 4}
    assert "1 of 4" in widget.score_note.value
    widget.include_score.value = False
    assert "knowledge_check" not in download(widget)[1]


def test_answers_come_back_after_a_rerun(eval_session, tmp_path: Path):
    """A new session on the same folder shows the saved answers, and keeps the same response id."""
    widget = form(eval_session)
    fill_in(widget)
    first_name, first = download(widget)
    live.setup(workshop="mini", answers_dir=str(eval_session.answers.path.parent))
    again = form(live.current())
    assert again.reactions["useful"].value == 5 and again.now["close.1"].value == 3
    assert again.comments["best"].value == "The pacing."
    assert download(again) == (first_name, first)


def test_empty_form_offers_an_empty_response(eval_session):
    """Before anything is answered the file holds no answers (the report would skip it)."""
    _, data = download(form(eval_session))
    assert (data["reactions"], data["objectives"], data["comments"]) == ({}, {}, {})


def test_static_face_is_a_paper_form_without_answers(eval_session):
    """The printed form has boxes, numbers to circle, every objective with its code, and nobody's answers."""
    fill_in(form(eval_session))
    live.setup(workshop="mini", render="handout", audience="facilitator")
    session = live.current()
    static = evaluation_face.static(session.kit.exercise(ID), session)
    assert "The pacing." not in static.learner + static.key
    assert static.learner.count("\u2610") == 3 * 5
    assert "Name the three states." in static.learner and "(states.1)" in static.learner
    assert "Plan one next step." in static.learner and "(close.1)" in static.learner
    assert static.learner.count("1 2 3 4 5") == 2 * 2
    assert "do not write your name" in static.learner
    assert "______ of 4" in static.learner and "What should change?" in static.learner
    assert "--csv-template" in static.key and "Collecting responses" in static.key


def test_static_face_follows_the_cohort_modules(kit_dir: Path, tmp_path: Path, monkeypatch):
    """A handout for a cohort that runs only some modules lists only their objectives."""
    session = _setup(kit_dir, tmp_path / "a", monkeypatch, render="handout", modules=["states"])
    learner = evaluation_face.static(session.kit.exercise(ID), session).learner
    assert "(states.1)" in learner and "(close.1)" not in learner


def test_evaluation_runs_from_a_bundle_without_build_tools(kit_dir: Path, tmp_path: Path):
    """Showing the evaluation live and on paper from a bundle imports no build-time package (Pyodide-safe)."""
    import os
    import subprocess
    import sys

    from pvkit.content import bundle
    from pvkit.kitfolder import load_kit

    path = tmp_path / "pvkit-content.json"
    path.write_text(bundle.dumps(load_kit(add_evaluation(kit_dir))), encoding="utf-8")
    code = (
        "import sys, pvkit\n"
        "for render in ('live', 'handout'):\n"
        f"    pvkit.setup(workshop='mini', render=render)\n    pvkit.show({ID!r})\n"
        "bad = [m for m in ('pydantic', 'ruamel', 'yaml', 'papermill', 'nbconvert', 'matplotlib', 'jinja2',"
        " 'weasyprint', 'rich', 'nbformat', 'pvkit.report.readers', 'pvkit.report.render') if m in sys.modules]\n"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path,
                         env={**os.environ, "PVKIT_ANSWERS_DIR": str(tmp_path)}).stdout
    assert out.strip().splitlines()[-1] == "[]"
