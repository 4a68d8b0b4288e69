"""``pvkit report`` end to end: synthetic responses in, HTML and PDF out; exit codes and the skip list."""

from __future__ import annotations

import json
from pathlib import Path

from pvkit.kitfolder import load_kit
from tests.conftest import REPO
from tests.handouts.conftest import parse_html
from tests.report.make_responses import write_responses

DEMO = REPO / "cohorts" / "demo.yaml"


def test_report_end_to_end_on_a_synthetic_cohort(tmp_path: Path, run_cli):
    """Twelve synthetic intro responses and one foreign file: reports written, the foreign file listed, exit 0."""
    responses = tmp_path / "responses"
    write_responses(load_kit(REPO), "intro", responses, count=12, seed=8)
    (responses / "notes.json").write_text(json.dumps({"name": "Sam"}), encoding="utf-8")
    out = tmp_path / "reports"
    result = run_cli("report", "--root", str(REPO), str(DEMO), str(responses), "-o", str(out))
    err = result.err
    assert result.code == 0, err
    folder = out / "harbourside-autumn"
    assert sorted(p.name for p in folder.iterdir()) == ["intro-evaluation.html", "intro-evaluation.pdf"]
    assert f"skipped: {(responses / 'notes.json').as_posix()}: not a pvkit evaluation response" in err
    assert "intro: 12 response(s) counted" in result.out
    assert "advanced: no responses; no report written" in result.out
    assert "1 file(s) or row(s) skipped, not counted (listed on stderr)" in result.out
    text, tags = parse_html((folder / "intro-evaluation.html").read_text(encoding="utf-8"))
    assert "n = 12 anonymous responses counted. 1 file or row was not counted" in text
    images = [a for t, a in tags if t == "img"]
    assert len(images) == 11 and all(a["alt"] for a in images)  # reaction + 9 modules + knowledge check
    assert (folder / "intro-evaluation.pdf").read_bytes().startswith(b"%PDF")


def test_no_valid_response_exits_2(tmp_path: Path, run_cli):
    """When every file is bad, each is listed and the command exits 2 without writing a report."""
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = run_cli("report", "--root", str(REPO), str(DEMO), str(bad), "-o", str(tmp_path / "out"))
    assert result.code == 2
    assert "not valid JSON" in result.err
    assert "no valid response among the 1 file(s) or row(s) given" in result.err
    assert not (tmp_path / "out").exists()


def test_bad_cohort_exits_2(kit_dir: Path, tmp_path: Path, run_cli):
    """An invalid cohort file is refused with exit 2 before any response is read."""
    cohort = tmp_path / "bad.yaml"
    cohort.write_text("name: X\nworkshops: [intro]\n", encoding="utf-8")
    result = run_cli("report", "--root", str(REPO), str(cohort), str(tmp_path))
    assert result.code == 2 and "required field 'date' is missing" in result.err


def test_no_response_files_is_a_usage_error(tmp_path: Path, run_cli):
    """Without response files the command says how to call it and exits 2."""
    result = run_cli("report", "--root", str(REPO), str(DEMO), "-o", str(tmp_path))
    assert result.code == 2 and "no response files given" in result.err


def test_workshop_without_evaluation_is_a_usage_error(kit_dir: Path, run_cli):
    """A cohort whose workshops have no evaluation exercise cannot be reported on."""
    result = run_cli("report", "--root", str(kit_dir), str(kit_dir / "cohorts" / "good.yaml"), str(kit_dir))
    assert result.code == 2 and "has an evaluation exercise" in result.err


def test_csv_template_writes_the_header_per_workshop(tmp_path: Path, run_cli):
    """--csv-template writes the CSV layout's header for each of the cohort's workshops."""
    result = run_cli("report", "--root", str(REPO), str(DEMO), "--csv-template", "-o", str(tmp_path))
    assert result.code == 0, result.err
    header = (tmp_path / "harbourside-autumn" / "intro-evaluation-template.csv").read_text("utf-8").strip()
    columns = header.split(",")
    assert columns[:3] == ["workshop", "response_id", "reaction.useful"]
    assert "before.welcome.1" in columns and "now.close.3" in columns and columns[-1] == "comment.change"
    assert (tmp_path / "harbourside-autumn" / "advanced-evaluation-template.csv").exists()
