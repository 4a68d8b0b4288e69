"""The command line, called in-process through main(argv)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_validate_ok(kit_dir: Path, run_cli):
    """A valid kit and cohort exit 0 with a one-line summary."""
    result = run_cli("validate", "--root", str(kit_dir), str(kit_dir / "cohorts" / "good.yaml"))
    assert result.code == 0, result.err
    assert result.out.startswith("valid: 1 workshops, ") and "1 cohort files" in result.out


def test_list_json_contract(kit_dir: Path, run_cli):
    """`pvkit list --json` prints the documented object."""
    result = run_cli("list", "--json", "--root", str(kit_dir))
    data = json.loads(result.out)
    assert data["workshops"] == [{
        "id": "mini", "title": "Test workshop", "minutes": 40,
        "modules": [{"id": "states", "title": "Three states", "minutes": 25},
                    {"id": "close", "title": "Close", "minutes": 15}],
    }]
    assert {"id": "sort-cues", "kind": "sort", "workshop": "mini", "module": "states",
            "title": "Cue sort"} in data["exercises"]


def test_list_text(kit_dir: Path, run_cli):
    """The human listing shows modules with minutes and exercises by kind."""
    result = run_cli("list", "--root", str(kit_dir))
    assert "mini: Test workshop (40 min)" in result.out
    assert "scenario   scenario-hatch" in result.out


def test_new_cohort_writes_a_file_that_validates(kit_dir: Path, run_cli):
    """The template new-cohort writes passes validation as it is."""
    target = kit_dir / "cohorts" / "new.yaml"
    assert run_cli("new-cohort", "--root", str(kit_dir), str(target)).code == 0
    text = target.read_text()
    assert text.startswith("# pvkit cohort file") and "workshops: [mini]" in text
    result = run_cli("validate", "--root", str(kit_dir), str(target))
    assert result.code == 0, result.err


def test_new_cohort_refuses_to_overwrite(kit_dir: Path, run_cli):
    """An existing file is not overwritten without --force."""
    target = kit_dir / "cohorts" / "good.yaml"
    before = target.read_text()
    result = run_cli("new-cohort", "--root", str(kit_dir), str(target))
    assert result.code == 2 and "already exists" in result.err and "--force" in result.err
    assert target.read_text() == before


def test_usage_error_exit_2(run_cli):
    """An unknown subcommand or option exits 2 with a hint, no traceback."""
    result = run_cli("frobnicate")
    assert result.code == 2 and "invalid choice" in result.err and "Traceback" not in result.err


def test_debug_shows_traceback(kit_dir: Path, run_cli):
    """--debug adds the traceback to a content error."""
    (kit_dir / "exercises" / "glossary.yaml").write_text("terms: [")
    assert "Traceback" in run_cli("validate", "--debug", "--root", str(kit_dir)).err


def test_python_dash_m_and_console_script():
    """`python -m pvkit` runs the same CLI."""
    proc = subprocess.run([sys.executable, "-m", "pvkit", "--version"], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0 and proc.stdout.startswith("pvkit ")


def test_repository_kit_is_valid(run_cli):
    """The kit in this repository, its workbooks and its demo cohort validate."""
    result = run_cli("validate", "--root", str(REPO), str(REPO / "cohorts" / "demo.yaml"))
    assert result.code == 0, result.err


def test_root_before_or_after_the_subcommand(kit_dir: Path, run_cli):
    """--root works before the subcommand as well as after it."""
    for args in (("--root", str(kit_dir), "list", "--json"), ("list", "--json", "--root", str(kit_dir))):
        result = run_cli(*args)
        assert [w["id"] for w in json.loads(result.out)["workshops"]] == ["mini"]
