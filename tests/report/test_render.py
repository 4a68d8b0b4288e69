"""The cohort report: sections, charts with alt text, suppression, escaping, PDF, and CSV = JSON."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pvkit.cohort import load_cohorts
from pvkit.report.build import write_reports
from pvkit.report.readers import read_responses
from pvkit.report.response import EvaluationForm
from tests.handouts.conftest import parse_html
from tests.report.conftest import SMALL_SET, response, write_json
from tests.report.make_responses import to_csv, write_responses

SECTIONS = ["responses", "reaction", "confidence", "knowledge", "comments", "method"]


def build(kit, kit_dir: Path, paths: list[Path], out: Path, formats=("html",)) -> dict[str, bytes]:
    """Write the mini cohort's report from ``paths``; return its files' bytes by format."""
    [cohort] = load_cohorts([kit_dir / "cohorts" / "good.yaml"], kit)
    read = read_responses(paths, {"mini": EvaluationForm.of(kit, "mini")})
    written = write_reports(cohort, kit, read, out, formats)
    return {f.format: f.path.read_bytes() for f in written.files}


@pytest.fixture
def small_report(kit, eval_kit: Path, tmp_path: Path) -> str:
    """The HTML report of the hand-worked small set, plus one hostile comment to check escaping."""
    extra = response({"useful": 2}, comments={"best": "<script>alert('x')</script> & more"})
    paths = write_json(tmp_path / "in", [*SMALL_SET, extra])
    return build(kit, eval_kit, paths, tmp_path / "out")["html"].decode("utf-8")


def charts(html: str) -> list[dict]:
    _, tags = parse_html(html)
    return [attrs for tag, attrs in tags if tag == "img" and (attrs.get("src") or "").startswith("data:image/svg+xml")]


def test_report_has_every_section(small_report: str):
    """Responses, reaction, confidence, knowledge check, comments and method each have a section."""
    _, tags = parse_html(small_report)
    ids = [attrs.get("id") for tag, attrs in tags if tag == "section"]
    assert [i for i in ids if i in SECTIONS] == SECTIONS


def test_report_states_n_and_the_anonymity_rule(small_report: str):
    """The report gives n and says that groups under 3 are not shown, and how many were hidden."""
    text, _ = parse_html(small_report)
    assert "n = 5 anonymous responses counted." in text
    assert "Any group of fewer than 3 answers" in text and "3 groups are not shown" in text


def test_one_chart_per_reported_group_each_with_alt_text(small_report: str):
    """Reaction, the one module with data and the knowledge check each get a chart with real alt text."""
    found = charts(small_report)
    assert len(found) == 3
    assert all(attrs["alt"].startswith("Chart: ") for attrs in found)
    assert "The workshop was useful.: mean 3.6 of 5 (0 Strongly disagree, 1 Disagree" in found[0]["alt"]
    assert "1 before: mean 2.0 of 5" in found[1]["alt"]
    assert "Scores out of 4: 1 scored 2, 1 scored 3, 1 scored 4." in found[2]["alt"]


def test_suppressed_comments_and_ratings_are_absent(small_report: str):
    """Comments of a question with 2 answers never appear; suppressed rows say why."""
    text, _ = parse_html(small_report)
    assert "Whisky" not in text and "X-ray" not in text
    assert "Alpha" in text and "Fewer than 3 comments: not shown." in text
    assert "fewer than 3 paired ratings: not shown" in text and "fewer than 3 answers: not shown" in text


def test_comments_are_escaped(small_report: str):
    """A comment holding HTML is shown as text, never as markup."""
    assert "<script>" not in small_report
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more" in small_report


def test_no_file_names_or_ids_in_the_report(small_report: str):
    """The report names no response file and no response id."""
    assert "response-01" not in small_report and ".json" not in small_report


def test_report_pdf_is_made(kit, eval_kit: Path, tmp_path: Path):
    """The PDF has pages with the report's title and sections (read back with pypdf)."""
    from pypdf import PdfReader

    paths = write_json(tmp_path / "in", SMALL_SET)
    pdf = build(kit, eval_kit, paths, tmp_path / "out", ("html", "pdf"))["pdf"]
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2
    for words in ("Evaluation report", "Reaction", "Knowledge check", "Comments", "Riverside Outreach"):
        assert words in text, words


def test_rebuild_gives_identical_html(kit, eval_kit: Path, tmp_path: Path):
    """The same responses give byte-identical HTML, charts included."""
    paths = write_json(tmp_path / "in", SMALL_SET)
    first = build(kit, eval_kit, paths, tmp_path / "a")["html"]
    assert build(kit, eval_kit, list(reversed(paths)), tmp_path / "b")["html"] == first


def test_csv_and_json_inputs_give_the_same_report(kit, eval_kit: Path, tmp_path: Path):
    """Twelve synthetic responses as JSON files, or as one CSV, give byte-identical reports."""
    json_paths = write_responses(kit, "mini", tmp_path / "json", count=12, seed=3)
    csv_path = tmp_path / "csv" / "responses.csv"
    csv_path.parent.mkdir()
    csv_path.write_text(to_csv(EvaluationForm.of(kit, "mini"), [p.read_text("utf-8") for p in json_paths]),
                        encoding="utf-8", newline="")
    from_json = build(kit, eval_kit, json_paths, tmp_path / "a")["html"]
    from_csv = build(kit, eval_kit, [csv_path], tmp_path / "b")["html"]
    assert from_json == from_csv
    assert "n = 12 anonymous responses counted." in parse_html(from_json.decode("utf-8"))[0]
