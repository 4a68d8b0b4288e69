"""The JupyterLite site's notebooks and configuration (no build, no browser)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from pvkit.kitfolder import load_kit
from pvkit.links import learner_links
from pvkit.lite import _LITE_CONFIG, INSTALL_CELL, absolute_urls, lite_notebook
from pvkit.release import learner_notebook
from tests.conftest import REPO


def test_lite_notebooks_install_the_runtime_first_and_have_no_facilitator_cells():
    for name in ("intro", "advanced"):
        nb = lite_notebook(learner_notebook(nbformat.read(REPO / "workbooks" / f"{name}.ipynb", as_version=4)))
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code[0].source == INSTALL_CELL
        assert sum(INSTALL_CELL in c.source for c in nb.cells) == 1
        assert "parameters" in code[1].metadata.get("tags", [])
        assert not [c for c in nb.cells if "pv-facilitator" in c.metadata.get("tags", [])]
        assert nb.metadata["kernelspec"]["name"] == "python"
        nbformat.validate(nb)
    committed = nbformat.read(REPO / "workbooks" / "intro.ipynb", as_version=4)
    assert not any(INSTALL_CELL in c.source for c in committed.cells), "the install cell is lite-only"


def test_site_configuration_names_no_other_host(tmp_path: Path):
    assert "http" not in json.dumps(_LITE_CONFIG)
    settings = _LITE_CONFIG["jupyter-config-data"]["litePluginSettings"]
    assert settings["@jupyterlite/pyodide-kernel-extension:kernel"]["disablePyPIFallback"] is True
    (tmp_path / "lab").mkdir()
    (tmp_path / "jupyter-lite.json").write_text('{"pyodideUrl": "./static/pyodide/pyodide.mjs"}')
    assert absolute_urls(tmp_path) == []
    (tmp_path / "lab" / "jupyter-lite.json").write_text('{"x": "https://cdn.example.org/pyodide.mjs"}')
    assert absolute_urls(tmp_path) == ["lab/jupyter-lite.json: https://cdn.example.org/pyodide.mjs"]


def test_links_print_jupyterlite_urls(run_cli, tmp_path: Path):
    kit = load_kit(REPO)
    links = learner_links(kit, None, lite="https://intranet.example.org/pv/")
    assert [link.url for link in links] == [
        f"https://intranet.example.org/pv/lab/index.html?path={w.id}.ipynb" for w in kit.workshops]
    result = run_cli("links", "--root", str(REPO), "--lite", "https://x.example.org", "-o", str(tmp_path))
    assert result.code == 0, result.err
    assert "https://x.example.org/lab/index.html?path=intro.ipynb" in result.out
    with_repo = learner_links(kit, "org/repo", lite="https://x.example.org")
    assert any(link.label.endswith("JupyterLite") for link in with_repo)
