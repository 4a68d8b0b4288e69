"""A learner's clicks in JupyterLab, in a real Chromium: every live kind renders and responds."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from pvkit.kitfolder import load_kit

from tests.conftest import FIXTURES
from tests.browser.conftest import copy_kit

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _kinds_notebook(folder: Path) -> list[str]:
    """Write kinds.ipynb showing every exercise of the test kit; return the exercise ids."""
    kit = load_kit(FIXTURES / "kit")
    ids = [e.id for e in kit.exercises]
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell('workshop = "mini"\nrender = "live"\naudience = "learner"',
                                  metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import pvkit.live as pvkit\npvkit.setup(workshop=workshop, render=render, "
                                  "audience=audience)"),
        *[nbformat.v4.new_code_cell(f'pvkit.show("{i}")') for i in ids],
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "kinds.ipynb")
    return ids


def _run_all(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".jp-NotebookPanel", timeout=60_000)
    select = page.get_by_role("button", name="Select", exact=True)
    try:  # a kernel prompt appears on some JupyterLab versions despite the settings
        select.click(timeout=3_000)
    except Exception:  # noqa: BLE001 - no prompt is the normal case
        pass
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()


def test_learner_clicks_get_feedback(jupyterlab, browser_page):
    """Run all cells, then answer the quiz, sort, scenario and practice as a learner would."""
    server, token, folder = jupyterlab
    copy_kit(FIXTURES / "kit", folder)
    _kinds_notebook(folder)
    page = browser_page
    _run_all(page, f"{server.url}/lab/tree/kinds.ipynb?token={token}")

    quiz = page.locator(".pv-quiz").first
    quiz.get_by_text("Ventral vagal", exact=True).click(timeout=60_000)
    quiz.get_by_role("button", name="Check answers").click()
    feedback = quiz.locator(".pv-feedback")
    feedback.wait_for()
    assert "Correct." in feedback.inner_text()
    assert "Score: 1 of 1" in quiz.locator(".pv-score").inner_text()
    assert page.pv_errors == []
