"""Answers bar: the privacy note, download links, loading a downloaded file, deleting, a corrupt file."""

from __future__ import annotations

import base64
import datetime
import json
import re
from pathlib import Path

from pvkit import live
from pvkit.widgets import reflection as reflection_face

LINK = re.compile(r'<a class="pv-download" download="([^"]+)" href="data:([^;]+);charset=utf-8;base64,([^"]*)"')


def downloads(bar) -> dict[str, tuple[str, str]]:
    """File name -> (MIME type, decoded content) of the bar's download links."""
    return {name: (mime, base64.b64decode(data).decode("utf-8")) for name, mime, data in LINK.findall(bar.links.value)}


def fresh_session(folder: Path):
    """A new live session whose answers live in ``folder`` (a re-run, or another machine)."""
    folder.mkdir(exist_ok=True)
    live.setup(workshop="mini", render="live", audience="learner", answers_dir=str(folder))
    return live.current()


def reflection(session):
    return reflection_face.live(session.kit.exercise("reflect-close"), session)


def test_note_names_the_file_and_says_nothing_is_sent(session):
    """The note names the answers file, says nothing is sent and warns about Binder."""
    note = reflection(session).bar.children[0].value
    assert "pvkit-answers-mini.json" in note and "nothing is sent anywhere" in note
    assert "On Binder the session is deleted when you close it" in note


def test_download_links_are_data_links_without_script(session):
    """Markdown and JSON downloads are data: links with a download name, and no script."""
    bar = reflection(session).bar
    files = downloads(bar)
    assert files["pvkit-answers-mini.md"][0] == "text/markdown"
    assert files["pvkit-answers-mini.json"][0] == "application/json"
    assert "<script" not in bar.links.value


def test_download_links_follow_every_save(session):
    """After typing, both downloads hold the new answer, under the exercise title in Markdown."""
    r = reflection(session)
    r.set_answer("next", "Slow down at the hatch")
    files = downloads(r.bar)
    assert json.loads(files["pvkit-answers-mini.json"][1])["answers"]["reflect-close"] == {
        "next": "Slow down at the hatch"}
    assert "## Reflection" in files["pvkit-answers-mini.md"][1]
    assert "- **What will you try next week?**: Slow down at the hatch" in files["pvkit-answers-mini.md"][1]


def test_a_save_refreshes_the_bars_of_other_widgets(session):
    """A second widget's download links also follow a save made in the first."""
    first, second = reflection(session), reflection(session)
    first.set_answer("next", "Breathe out longer")
    assert "Breathe out longer" in downloads(second.bar)["pvkit-answers-mini.json"][1]


def test_load_downloaded_file_into_fresh_session(session, tmp_path: Path):
    """A downloaded JSON file loads into a new session elsewhere, shows in the widget and is saved there."""
    r = reflection(session)
    r.set_answer("next", "Ask for a quiet room")
    data = downloads(r.bar)["pvkit-answers-mini.json"][1].encode("utf-8")
    other = fresh_session(tmp_path / "elsewhere")
    r2 = reflection(other)
    assert r2.areas["next"].value == ""
    assert r2.bar.load_bytes(data, "pvkit-answers-mini.json") == 1
    assert r2.areas["next"].value == "Ask for a quiet room"
    saved = json.loads((tmp_path / "elsewhere" / "pvkit-answers-mini.json").read_text(encoding="utf-8"))
    assert saved["answers"]["reflect-close"] == {"next": "Ask for a quiet room"}
    assert "Loaded your answers to 1 exercise(s)" in r2.bar.message.value


def test_upload_widget_loads_the_file(session, tmp_path: Path):
    """Choosing a file in the upload button loads it and clears the upload."""
    r = reflection(session)
    text = json.dumps({"pvkit_answers": 1, "workshop": "mini", "answers": {"reflect-close": {"next": "Pause"}}})
    r.bar.upload.value = ({"name": "mine.json", "type": "application/json", "size": len(text),
                           "content": memoryview(text.encode("utf-8")),
                           "last_modified": datetime.datetime.now()},)
    assert r.areas["next"].value == "Pause"
    assert r.bar.upload.value == ()
    assert "mine.json" in r.bar.message.value


def test_bad_file_is_refused_with_a_message(session):
    """A file that is not a pvkit answers file is refused with a message; the answers stay."""
    r = reflection(session)
    r.set_answer("next", "Keep me")
    assert r.bar.load_bytes(b'{"hello": 1}', "notes.json") is None
    assert "notes.json could not be loaded" in r.bar.message.value and "not changed" in r.bar.message.value
    assert r.areas["next"].value == "Keep me"
    assert session.answers.get("reflect-close") == {"next": "Keep me"}


def test_binary_file_is_refused_with_a_message(session):
    """A file that is not text gives a plain message, not a crash."""
    bar = reflection(session).bar
    assert bar.load_bytes(b"\xff\xfe\x00\x9c", "photo.json") is None
    assert "not a text file" in bar.message.value


def test_message_escapes_the_file_name(session):
    """A file name with markup is shown as text."""
    bar = reflection(session).bar
    bar.load_bytes(b"nope", "<b>x</b>.json")
    assert "&lt;b&gt;x&lt;/b&gt;.json" in bar.message.value and "<b>x</b>" not in bar.message.value


def test_delete_asks_to_confirm_first(session):
    """Delete only shows the confirmation; nothing is erased yet."""
    r = reflection(session)
    r.set_answer("next", "Still here")
    r.bar.delete_button.click()
    assert r.bar.confirm.layout.display == "flex"
    assert session.answers.path.exists() and r.areas["next"].value == "Still here"


def test_cancel_hides_the_confirmation(session):
    """Cancel hides the confirmation and erases nothing."""
    r = reflection(session)
    r.set_answer("next", "Still here")
    r.bar.delete()
    r.bar.cancel_button.click()
    assert r.bar.confirm.layout.display == "none" and session.answers.path.exists()


def test_confirmed_delete_removes_file_and_clears_widgets(session):
    """Yes, delete removes the file and clears every personal widget."""
    first, second = reflection(session), reflection(session)
    first.set_answer("next", "Gone soon")
    second.refresh()
    second.bar.delete()
    second.bar.yes_button.click()
    assert not session.answers.path.exists()
    assert first.areas["next"].value == "" and second.areas["next"].value == ""
    assert "deleted" in second.bar.message.value
    assert json.loads(downloads(first.bar)["pvkit-answers-mini.json"][1])["answers"] == {}


def test_corrupt_file_is_set_aside_with_a_notice(session, tmp_path: Path):
    """A corrupt answers file is kept under another name, and the bar says so."""
    folder = session.answers.path.parent
    session.answers.path.write_text("{ not json", encoding="utf-8")
    other = fresh_session(folder)
    aside = list(folder.glob("pvkit-answers-mini.unreadable-*.json"))
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == "{ not json"
    assert not other.answers.path.exists()
    r = reflection(other)
    assert aside[0].name in r.bar.notice.value and 'role="status"' in r.bar.notice.value
    r.set_answer("next", "Fresh start")
    assert json.loads(other.answers.path.read_text(encoding="utf-8"))["answers"]["reflect-close"] == {
        "next": "Fresh start"}


def test_markdown_download_names_the_question_of_every_answer(session):
    """Each kind's saved keys read as the questions they answer, in the learner's own download."""
    from pvkit.widgets.answers_bar import answer_labels

    store = session.answers
    for exercise in session.kit.exercises:
        labels = answer_labels(exercise)
        if exercise.kind in ("reflection", "plan", "map", "checkin", "quiz", "sort", "scenario"):
            assert labels and all(labels.values()), exercise.id
    plan = next(e for e in session.kit.exercises if e.kind == "plan")
    section, field = plan.sections[0], plan.sections[0].fields[0]
    store.set(plan.id, {f"{section.id}.{field.id}": "Greet people by name", "old.key": "kept"})
    text = store.to_markdown({plan.id: plan.title}, {plan.id: answer_labels(plan)})
    assert f"- **{section.title}: {field.label}**: Greet people by name" in text
    assert "- **old.key**: kept" in text, "an answer with no question left is still shown"


def test_a_quiz_score_reaches_the_download_links_at_once(session):
    """Checking a quiz refreshes every answers bar: the download holds the score without another save."""
    from pvkit.widgets import quiz as quiz_face

    r = reflection(session)
    q = quiz_face.live(session.kit.exercise("quiz-states"), session)
    q.check()
    markdown = downloads(r.bar)["pvkit-answers-mini.md"][1]
    assert f"## {session.kit.exercise('quiz-states').title}" in markdown
    assert "- **Out of**: " in markdown
