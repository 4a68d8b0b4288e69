"""The JupyterLite site: built by ``pvkit lite``, served as static files, used with every other host blocked."""

from __future__ import annotations

import io
import json
import re
import sys
import time
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server, free_port, new_page
from tests.conftest import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Chromium's own proxy: a closed port, so nothing reaches another host even past the route guard.
NO_PROXY_ESCAPE = "--proxy-server=http://127.0.0.1:9"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """``pvkit lite`` into a fresh folder (downloads cached in ~/.cache/pvkit/lite)."""
    from pvkit.cli import main
    from pvkit.lite import SITE_MARKER

    folder = tmp_path_factory.mktemp("lite") / "site"
    folder.mkdir()  # as an earlier build left it: replaced whole
    (folder / SITE_MARKER).write_text("built by pvkit lite")
    (folder / "stale.txt").write_text("from the earlier build")
    out, err = io.StringIO(), io.StringIO()
    code = main(["lite", "--root", str(REPO), "-o", str(folder)], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    assert not (folder / "stale.txt").exists() and (folder / SITE_MARKER).is_file()
    print(out.getvalue())
    return folder


@pytest.fixture(scope="module")
def served(site, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("lite-server") / "http.log"
    server = Server([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port), "-d", str(site)],
                    site, f"http://127.0.0.1:{port}", log)
    try:
        server.wait_ready(f"{server.url}/lab/index.html", timeout=30)
        yield server
    finally:
        server.stop()


def test_site_holds_the_runtime_and_names_no_other_host(site):
    from pvkit.lite import absolute_urls

    assert absolute_urls(site) == []
    config = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.mjs"
    assert all(url.startswith("./") for url in kernel["pipliteUrls"])
    wheels = {p.name.split("-")[0] for p in (site / "pypi").glob("*.whl")}
    assert {"pvkit", "ipywidgets", "comm", "jupyterlab_widgets"} <= wheels
    assert (site / "static" / "pyodide" / "pyodide.asm.wasm").is_file()
    assert (site / "files" / "pvkit-content.json").is_file()


def test_kernel_wheels_carry_bytecode_and_match_the_lock(site):
    """Every wheel the kernel loads at start is in the lock with its real hash; the third-party ones
    carry Python 3.14 bytecode, so the browser does not compile them on each page load."""
    import hashlib
    import zipfile

    from pvkit.lite import PRELOAD

    folder = site / "static" / "pyodide"
    packages = json.loads((folder / "pyodide-lock.json").read_text())["packages"]
    served = {name: entry for name, entry in packages.items() if (folder / entry["file_name"]).is_file()}
    assert set(PRELOAD) <= set(served)
    for name, entry in served.items():
        wheel = folder / entry["file_name"]
        assert entry["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest(), name
        with zipfile.ZipFile(wheel) as zf:
            names = zf.namelist()
        modules = [n for n in names if n.endswith(".py")]
        pycs = [n for n in names if n.endswith(".cpython-314.pyc")]
        if name != "pvkit" and modules:
            assert len(pycs) == len(modules), f"{name}: {len(pycs)} of {len(modules)} modules compiled"


def _open_and_run_all(page, url: str) -> tuple[float, float]:
    """Open ``url``, wait for the kernel, run all cells; return seconds to kernel ready and to first widget."""
    start = time.monotonic()
    page.goto(url)
    page.wait_for_selector(".jp-NotebookPanel", timeout=60_000)
    try:  # a kernel prompt would appear if the kernelspec did not match
        page.get_by_role("button", name="Select", exact=True).click(timeout=3_000)
    except Exception:  # noqa: BLE001 - no prompt is the normal case
        pass
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    kernel_ready = time.monotonic() - start
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()
    page.locator(".jp-OutputArea-output .jupyter-widgets").first.wait_for(timeout=180_000)
    return kernel_ready, time.monotonic() - start


def test_learner_works_offline_and_answers_survive_a_reload(site, served, tmp_path: Path):
    """Open intro.ipynb with every other host blocked, run it, answer a quiz and a reflection, download
    the answers, reload the page: the reflection comes back from the browser's storage."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (see .ci/setup)")
    import nbformat
    from playwright.sync_api import expect, sync_playwright

    nb = nbformat.read(site / "files" / "intro.ipynb", as_version=4)
    shown = [c.source.split('"')[1] for c in nb.cells if c.source.startswith("pvkit.show(")]
    bundle = {e["id"]: e for e in json.loads((site / "files" / "pvkit-content.json").read_text())["exercises"]}
    quiz = bundle[next(i for i in shown if bundle[i]["kind"] == "quiz")]
    right = next(o for o in quiz["questions"][0]["options"] if o["correct"])
    reflection = bundle[next(i for i in shown if bundle[i]["kind"] == "reflection")]
    label = reflection["prompts"][0]["label"]
    note = "Slower voice at the front desk <b>not bold</b> (written offline)"
    url = f"{served.url}/lab/index.html?path=intro.ipynb"

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, NO_PROXY_ESCAPE],
                                    headless=True)
        page = new_page(browser)
        try:
            kernel_ready, first_widget = _open_and_run_all(page, url)
            print(f"\nfirst visit: kernel ready {kernel_ready:.1f} s, first widget {first_widget:.1f} s")

            widget = page.locator(".pv-quiz").first
            widget.wait_for(timeout=120_000)
            widget.scroll_into_view_if_needed()
            widget.locator(".pv-quiz-question").first.get_by_text(right["text"], exact=True).click()
            widget.get_by_role("button", name=re.compile("Check answers")).click()
            feedback = widget.locator(".pv-feedback").first
            feedback.wait_for(timeout=30_000)
            assert "Correct." in feedback.inner_text()

            box = page.locator(".pv-reflection").first.get_by_label(label, exact=True)
            box.scroll_into_view_if_needed()
            link = page.locator(".pv-reflection").first.locator("a.pv-download", has_text="as Markdown")
            before = link.get_attribute("href")
            box.fill(note)
            box.press("Tab")
            expect(link).not_to_have_attribute("href", before, timeout=30_000)  # saved in the kernel
            with page.expect_download(timeout=30_000) as download:
                link.click()
            saved = Path(download.value.path()).read_text(encoding="utf-8")
            assert note in saved and label in saved, saved
            page.wait_for_timeout(2_000)  # the answers file reaches the browser's storage

            kernel_ready, first_widget = _open_and_run_all(page, url)
            print(f"after a reload: kernel ready {kernel_ready:.1f} s, first widget {first_widget:.1f} s")
            restored = page.locator(".pv-reflection").first.get_by_label(label, exact=True)
            expect(restored).to_have_value(note, timeout=120_000)
            assert page.pv_offsite == []
            assert page.pv_errors == []
        finally:
            page.context.close()
            browser.close()
