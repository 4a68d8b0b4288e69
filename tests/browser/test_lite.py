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

    folder = tmp_path_factory.mktemp("lite") / "site"
    out, err = io.StringIO(), io.StringIO()
    code = main(["lite", "--root", str(REPO), "-o", str(folder)], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
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


def test_learner_opens_intro_offline_and_answers_a_quiz(site, served):
    """Open intro.ipynb in the site with every other host blocked, run all cells, answer the first quiz."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (see .ci/setup)")
    import nbformat
    from playwright.sync_api import sync_playwright

    nb = nbformat.read(site / "files" / "intro.ipynb", as_version=4)
    quiz_id = next(c.source.split('"')[1] for c in nb.cells if 'pvkit.show("quiz' in c.source)
    bundle = json.loads((site / "files" / "pvkit-content.json").read_text())
    question = next(e for e in bundle["exercises"] if e["id"] == quiz_id)["questions"][0]
    right = next(o for o in question["options"] if o["correct"])

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, NO_PROXY_ESCAPE],
                                    headless=True)
        page = new_page(browser)
        try:
            start = time.monotonic()
            page.goto(f"{served.url}/lab/index.html?path=intro.ipynb")
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
            first_widget = time.monotonic() - start
            print(f"\npage load to kernel ready: {kernel_ready:.1f} s, to first widget: {first_widget:.1f} s")

            widget = page.locator(".pv-quiz").first
            widget.wait_for(timeout=120_000)
            widget.scroll_into_view_if_needed()
            widget.locator(".pv-quiz-question").first.get_by_text(right["text"], exact=True).click()
            widget.get_by_role("button", name=re.compile("Check answers")).click()
            feedback = widget.locator(".pv-feedback").first
            feedback.wait_for(timeout=30_000)
            assert "Correct." in feedback.inner_text()
            assert page.pv_offsite == []
            assert page.pv_errors == []
        finally:
            page.context.close()
            browser.close()
