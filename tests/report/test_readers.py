"""Reading response files: a table of good and bad files; bad ones are listed and skipped, never counted."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pvkit.report.readers import read_responses
from tests.report.conftest import response

GOOD = response({"useful": 4, "relevant": 5}, {"states.1": {"before": 2, "now": 4}}, 3, {"best": "The pacing."})
HEADER = "workshop,reaction.useful,before.states.1,now.states.1,knowledge.score,knowledge.out_of,comment.best\n"


def _json(data) -> bytes:
    return json.dumps(data).encode("utf-8")


def _with(**changes) -> bytes:
    return _json({**GOOD, **changes})


# (file name, file bytes, expected skip-reason fragment; None: counted)
CASES = [
    pytest.param("r.json", _json(GOOD), None, id="good-json"),
    pytest.param("r.json", _json(response({"useful": 1})), None, id="good-json-one-answer"),
    pytest.param("r.json", _json(response(comments={"best": "Only a comment"})), None, id="good-json-only-comment"),
    pytest.param("r.csv", (HEADER + "mini,4,2,4,3,4,The pacing.\n").encode(), None, id="good-csv"),
    pytest.param("r.csv", ("\ufeff" + HEADER.replace(",", ";") + "mini;4;2;4;;;\n").encode("utf-8"), None,
                 id="good-csv-excel-semicolon-bom"),
    pytest.param("r.json", b"{oops", "not valid JSON", id="not-json"),
    pytest.param("r.json", _json([1, 2]), "not a pvkit evaluation response", id="json-list"),
    pytest.param("r.json", _json({"hello": "world"}), "not a pvkit evaluation response", id="foreign-json"),
    pytest.param("r.json", _json({"pvkit_answers": 1, "workshop": "mini", "answers": {}}),
                 "private answers file", id="learners-answers-file"),
    pytest.param("r.json", _with(name="Sam Carter"), "unknown key 'name'", id="has-a-name"),
    pytest.param("r.json", _with(hostname="laptop-7"), "no names or other identifying data", id="has-machine-data"),
    pytest.param("r.json", _with(workshop="intro"), "workshop 'intro', which is not evaluated", id="foreign-workshop"),
    pytest.param("r.json", _with(pvkit_evaluation=2), "newer pvkit", id="newer-schema"),
    pytest.param("r.json", _with(exercise="evaluation-other"), "not this workshop's evaluation",
                 id="other-exercise"),
    pytest.param("r.json", _with(reactions={"useful": 6}), "reactions.useful: 6 is not a rating from 1 to 5",
                 id="rating-off-scale"),
    pytest.param("r.json", _with(reactions={"useful": True}), "not a rating", id="rating-is-bool"),
    pytest.param("r.json", _with(reactions={"usefull": 4}), "did you mean 'useful'", id="unknown-reaction"),
    pytest.param("r.json", _with(objectives={"states.9": {"now": 3}}), "has no such objective",
                 id="unknown-objective"),
    pytest.param("r.json", _with(objectives={"states.1": {"after": 3}}), "unknown key 'after'",
                 id="objective-unknown-when"),
    pytest.param("r.json", _with(scales={"agreement": 7, "confidence": 5}), "the form had 7 points",
                 id="other-scale"),
    pytest.param("r.json", _with(knowledge_check={"quiz": "quiz-mini-check", "score": 5, "out_of": 4}),
                 "not a whole number from 0 to 4", id="score-too-high"),
    pytest.param("r.json", _with(knowledge_check={"quiz": "quiz-mini-check", "score": 2, "out_of": 3}),
                 "the quiz has 4 questions", id="score-out-of-wrong"),
    pytest.param("r.json", _with(comments={"best": 3}), "comments.best: expected text", id="comment-not-text"),
    pytest.param("r.json", _with(comments={"best": "x" * 5001}), "at most 5000", id="comment-too-long"),
    pytest.param("r.json", _json(response()), "nothing is answered", id="empty-response"),
    pytest.param("r.json", b"\xff\xfe\x00\x01", "not a UTF-8 text file", id="binary"),
    pytest.param("r.docx", b"PK\x03\x04", "not a .json or .csv file", id="wrong-extension"),
    pytest.param("r.csv", b"", "empty: no header row", id="csv-empty"),
    pytest.param("r.csv", b"reaction.useful,now.states.1\n4,3\n", "no 'workshop' column", id="csv-no-workshop"),
    pytest.param("r.csv", b"name,email\nSam,sam@example.org\n", "not a pvkit evaluation CSV", id="csv-foreign"),
    pytest.param("r.csv", b"workshop,reaction.usefull\nmini,4\n", "did you mean 'reaction.useful'",
                 id="csv-typo-column"),
    pytest.param("r.csv", b"workshop,reaction.useful,reaction.useful\nmini,4,5\n", "more than once",
                 id="csv-duplicate-column"),
    pytest.param("r.csv", b"workshop,reaction.useful\nmini,four\n", "'four' is not a whole number",
                 id="csv-not-a-number"),
    pytest.param("r.csv", b"workshop,reaction.useful\nmini,4.5\n", "not a whole number", id="csv-decimal"),
    pytest.param("r.csv", b"workshop,reaction.useful\nmini,4,5\n", "more cells than the header",
                 id="csv-extra-cells"),
]


@pytest.mark.parametrize(("name", "content", "fragment"), CASES)
def test_response_file(name: str, content: bytes, fragment: str | None, forms, tmp_path: Path):
    """A good file is counted once; a bad one is skipped with a reason, and nothing of it is counted."""
    path = tmp_path / name
    path.write_bytes(content)
    result = read_responses([path], forms)
    if fragment is None:
        assert [s.reason for s in result.skipped] == [] and len(result.responses) == 1
    else:
        assert result.responses == [] and len(result.skipped) == 1
        assert fragment in result.skipped[0].reason
        assert result.skipped[0].source.startswith(path.as_posix())


def test_bad_row_is_skipped_and_the_other_rows_count(forms, tmp_path: Path):
    """One bad CSV row is listed as file:row and skipped; the good rows count."""
    path = tmp_path / "forms.csv"
    path.write_text(HEADER + "mini,4,,,,,\nmini,9,,,,,\n\nmini,5,,,,,\n", encoding="utf-8")
    result = read_responses([path], forms)
    assert [r.reactions["useful"] for r in result.responses] == [4, 5]
    assert [s.source for s in result.skipped] == [f"{path.as_posix()}:3"]


def test_missing_file_is_listed_not_raised(forms, tmp_path: Path):
    """A path that does not exist is skipped with a reason."""
    result = read_responses([tmp_path / "nope.json"], forms)
    assert "cannot be read" in result.skipped[0].reason


def test_a_folder_reads_every_file_in_it(forms, tmp_path: Path):
    """A folder stands for the files in it; hidden files are left out."""
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text(json.dumps(GOOD), encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    result = read_responses([tmp_path], forms)
    assert len(result.responses) == 2 and result.skipped == []


def test_a_response_sent_twice_counts_once(forms, tmp_path: Path):
    """Two files with the same response id count once, and the second is listed."""
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text(json.dumps({**GOOD, "response_id": "abc123"}), encoding="utf-8")
    result = read_responses([tmp_path], forms)
    assert len(result.responses) == 1
    assert "sent twice" in result.skipped[0].reason and result.skipped[0].source.endswith("b.json")


def test_a_form_timestamp_column_is_not_read_and_is_reported(forms, tmp_path: Path):
    """A column outside the layout (a form's Timestamp) is never read; a note says so."""
    path = tmp_path / "export.csv"
    path.write_text("Timestamp,workshop,reaction.useful\n2027-03-16 16:02,mini,4\n", encoding="utf-8")
    result = read_responses([path], forms)
    assert len(result.responses) == 1 and result.responses[0].reactions == {"useful": 4}
    assert any("'Timestamp' is not part of the layout" in note for note in result.notes)


def test_csv_template_columns_read_back(forms, tmp_path: Path):
    """The CSV layout's own header, with one typed row, reads as a valid response."""
    columns = forms["mini"].csv_columns()
    assert columns == ["workshop", "response_id", "reaction.useful", "reaction.relevant", "reaction.facilitation",
                       "before.states.1", "now.states.1", "before.close.1", "now.close.1",
                       "knowledge.score", "knowledge.out_of", "comment.best", "comment.change"]
    row = {"workshop": "mini", "reaction.useful": "5", "now.close.1": "4", "comment.change": "More, please"}
    path = tmp_path / "typed.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([columns, [row.get(c, "") for c in columns]])
    [r] = read_responses([path], forms).responses
    assert (r.reactions, r.now, r.before, r.comments) == ({"useful": 5}, {"close.1": 4}, {}, {"change": "More, please"})
