"""The JupyterLite site's notebooks and configuration (no build, no browser)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from pvkit.kitfolder import load_kit
from pvkit.links import learner_links
from pvkit.lite import _LITE_CONFIG, LiteBuildError, absolute_urls, lite_notebook
from pvkit.release import learner_notebook
from tests.conftest import REPO


def test_lite_notebooks_are_the_learner_release_on_the_pyodide_kernel():
    for name in ("intro", "advanced"):
        learner = learner_notebook(nbformat.read(REPO / "workbooks" / f"{name}.ipynb", as_version=4))
        nb = lite_notebook(learner)
        assert [c.source for c in nb.cells] == [c.source for c in learner.cells]
        assert not [c for c in nb.cells if "pv-facilitator" in c.metadata.get("tags", [])]
        assert nb.metadata["kernelspec"]["name"] == "python"
        assert learner.metadata["kernelspec"]["name"] == "python3", "the release itself is unchanged"
        nbformat.validate(nb)


def test_preload_lists_the_runtime_in_the_lock_and_the_kernel_settings(tmp_path: Path):
    """Wheels of the site become lock entries (hash, imports, dependencies) and are loaded at kernel start."""
    import hashlib
    import zipfile

    from pvkit.lite import PRELOAD, _preload

    def wheel(folder: Path, name: str, version: str, requires: list[str]) -> Path:
        path = folder / f"{name}-{version}-py3-none-any.whl"
        meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(
            f"Requires-Dist: {r}\n" for r in requires)
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr(f"{name}/__init__.py", "")
            zf.writestr(f"{name}-{version}.dist-info/METADATA", meta)
        return path

    site = tmp_path / "site"
    kernel = site / "extensions" / "@jupyterlite" / "pyodide-kernel-extension" / "static" / "pypi"
    for folder in (site / "static" / "pyodide", kernel, site / "pypi"):
        folder.mkdir(parents=True)
    lock = {"info": {}, "packages": {n: {"name": n, "depends": []} for n in ("micropip", "jedi", "ipython", "traitlets")}}
    (site / "static" / "pyodide" / "pyodide-lock.json").write_text(json.dumps(lock))
    (site / "jupyter-lite.json").write_text(json.dumps(_LITE_CONFIG))
    for name, version, requires in [("piplite", "0.8.6", []), ("ipykernel", "6.9.2", ["pyodide-kernel"]),
                                    ("pyodide_kernel", "0.8.6", ["comm", "ipython"]),
                                    ("widgetsnbextension", "3.6.999", []), ("widgetsnbextension", "4.0.999", [])]:
        wheel(kernel, name, version, requires)
    for name, version, requires in [("comm", "0.2.3", []), ("jupyterlab_widgets", "3.0.17", []),
                                    ("ipywidgets", "8.1.9", ["comm>=0.1.3", "traitlets>=4.3.1",
                                                             "widgetsnbextension~=4.0.14",
                                                             "jupyterlab_widgets~=3.0.15",
                                                             "pytest; extra == 'test'"]),
                                    ("pvkit", "0.1.0", ["ipywidgets>=8"])]:
        wheel(site / "pypi", name, version, requires)

    _preload(site)

    packages = json.loads((site / "static" / "pyodide" / "pyodide-lock.json").read_text())["packages"]
    assert set(PRELOAD) <= set(packages)
    assert packages["ipywidgets"]["depends"] == ["comm", "jupyterlab-widgets", "traitlets", "widgetsnbextension"]
    assert packages["widgetsnbextension"]["version"] == "4.0.999"
    assert packages["pyodide-kernel"]["imports"] == ["pyodide_kernel"]
    served = site / "static" / "pyodide" / packages["pvkit"]["file_name"]
    assert packages["pvkit"]["sha256"] == hashlib.sha256(served.read_bytes()).hexdigest()
    config = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]
    options = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]["loadPyodideOptions"]
    assert options["packages"] == list(PRELOAD)

    (kernel / "piplite-0.8.6-py3-none-any.whl").unlink()
    (site / "static" / "pyodide" / "pyodide-lock.json").write_text(json.dumps(lock))
    with pytest.raises(LiteBuildError, match="no wheel for piplite"):
        _preload(site)


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


@pytest.mark.parametrize("setup", ["file", "own-work"])
def test_lite_never_replaces_a_folder_it_did_not_build(run_cli, tmp_path: Path, setup: str):
    """``-o`` naming a file or a folder of someone's work is refused before anything is built or deleted."""
    target = tmp_path / "target"
    if setup == "file":
        target.write_text("notes")
    else:
        target.mkdir()
        (target / "my-notes.txt").write_text("keep me")
    result = run_cli("lite", "--root", str(REPO), "-o", str(target))
    assert result.code == 2, result.err
    assert str(target) in result.err and "How to fix" in result.err and "Traceback" not in result.err
    assert (target.read_text() == "notes") if setup == "file" else (target / "my-notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target"], "no staging folder left behind"


def test_a_failed_build_leaves_the_previous_site_as_it_was(monkeypatch, tmp_path: Path):
    """The new site is built beside the old one and swapped in only when complete."""
    import pvkit.lite as lite

    old = tmp_path / "site"
    old.mkdir()
    (old / lite.SITE_MARKER).write_text("built by pvkit lite")
    (old / "index.html").write_text("the old site")

    def half_build(root, kit, tmp, cache, out_dir):  # writes part of a site, then fails
        out_dir.mkdir(parents=True)
        (out_dir / "index.html").write_text("half")
        raise lite.LiteBuildError("jupyter lite build failed (exit 1)")

    monkeypatch.setattr(lite, "_build", half_build)
    with pytest.raises(lite.LiteBuildError):
        lite.build_lite(REPO, load_kit(REPO), old, cache_dir=tmp_path / "cache")
    assert (old / "index.html").read_text() == "the old site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "site"], "no staging folder left behind"
