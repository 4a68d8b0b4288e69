"""Learner releases and launch links."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest

from pvkit.kitfolder import load_kit
from pvkit.links import binder_url, hub_url
from tests.conftest import REPO


def test_release_writes_learner_notebooks_and_bundle(tmp_path: Path, run_cli):
    """pvkit release writes one learner notebook per workbook and a bundle without facilitator text."""
    out = tmp_path / "learner"
    result = run_cli("release", "--root", str(REPO), "-o", str(out))
    assert result.code == 0, result.err
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "advanced.ipynb", "intro.ipynb",
                                                      "pvkit-content.json"]
    for name in ("intro", "advanced"):
        nb = nbformat.read(out / f"{name}.ipynb", as_version=4)
        assert not [c for c in nb.cells if "pv-facilitator" in c.metadata.get("tags", [])]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
        params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        assert 'audience = "learner"' in params.source and 'render = "live"' in params.source
    bundle = json.loads((out / "pvkit-content.json").read_text())
    assert all(e["facilitator_notes"] == "" for e in bundle["exercises"])
    texts = json.dumps(bundle)
    assert '"model_answer": ""' in texts and '"model_answer": "' + "x" not in texts
    quiz = next(e for e in bundle["exercises"] if e["kind"] == "quiz")
    assert all(o["feedback"] for q in quiz["questions"] for o in q["options"]), "learners keep quiz feedback"


def test_released_notebook_runs_from_the_bundle_alone(tmp_path: Path):
    """A released notebook runs with papermill in a folder that has only the release (no YAML)."""
    import papermill

    from pvkit.release import release

    out = tmp_path / "learner"
    release(REPO, load_kit(REPO), out)
    papermill.execute_notebook(str(out / "intro.ipynb"), str(tmp_path / "ran.ipynb"), cwd=str(out),
                               kernel_name="python3", progress_bar=False)
    ran = nbformat.read(tmp_path / "ran.ipynb", as_version=4)
    assert not [o for c in ran.cells for o in c.get("outputs", []) if o["output_type"] == "error"]


def test_binder_url_opens_the_notebook_in_jupyterlab():
    """The Binder link names the repository, the ref and lab/tree/<path>."""
    url = binder_url("my-agency/pvkit-kit", "v1.0", "learner/intro.ipynb")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "mybinder.org", "/v2/gh/my-agency/pvkit-kit/v1.0")
    assert parse_qs(parts.query) == {"urlpath": ["lab/tree/learner/intro.ipynb"]}


def test_hub_url_is_an_nbgitpuller_link():
    """The JupyterHub link pulls the repository and opens the notebook inside its folder."""
    url = hub_url("https://hub.example.org/", "my-agency/pvkit-kit", "main", "learner/intro.ipynb")
    parts = urlsplit(url)
    assert parts.netloc == "hub.example.org" and parts.path == "/hub/user-redirect/git-pull"
    assert parse_qs(parts.query) == {"repo": ["https://github.com/my-agency/pvkit-kit"], "branch": ["main"],
                                     "urlpath": ["lab/tree/pvkit-kit/learner/intro.ipynb"]}


def test_links_command_prints_links_and_writes_qr_codes(tmp_path: Path, run_cli):
    """pvkit links prints a Binder and a hub link per workshop and writes an SVG QR code for each."""
    result = run_cli("links", "--root", str(REPO), "--repo", "my-agency/pvkit-kit", "--hub",
                     "https://hub.example.org", "-o", str(tmp_path / "qr"))
    assert result.code == 0, result.err
    assert result.out.count("https://mybinder.org/v2/gh/my-agency/pvkit-kit/main?urlpath=") == 2
    assert result.out.count("/hub/user-redirect/git-pull?") == 2
    svgs = sorted((tmp_path / "qr").glob("*.svg"))
    assert len(svgs) == 4 and all(p.read_text().startswith("<svg") for p in svgs)


@pytest.mark.parametrize("args, message", [
    pytest.param([], "needs --repo OWNER/NAME", id="no-repo"),
    pytest.param(["--repo", "not a repo"], "is not OWNER/NAME", id="bad-repo"),
])
def test_links_usage_errors(run_cli, args, message):
    """A missing or malformed repository is a usage error with a hint."""
    result = run_cli("links", "--root", str(REPO), *args)
    assert result.code == 2 and message in result.err and "How to fix" in result.err


def test_committed_learner_release_is_current(tmp_path: Path):
    """learner/ in the repository (what JupyterHub links pull) matches what pvkit release writes now."""
    from pvkit.release import release

    fresh = release(REPO, load_kit(REPO), tmp_path / "learner")
    for path in (*fresh.notebooks, fresh.bundle):
        committed = REPO / "learner" / path.name
        assert committed.exists() and committed.read_bytes() == path.read_bytes(), (
            f"learner/{path.name} is out of date: run 'pvkit release' and commit learner/")
