"""The Binder path: an environment built from binder/ alone, the released learner notebooks, a learner's clicks."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from tests.browser.conftest import new_page, run_all_cells, start_jupyterlab
from tests.conftest import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

_COPY_IGNORE = shutil.ignore_patterns(".git", "handouts", "learner", "links", "__pycache__", "*.egg-info",
                                      ".pytest_cache", ".hypothesis")


@pytest.fixture(scope="module")
def binder(tmp_path_factory):
    """A fresh virtual environment from binder/requirements.txt, and the repository after binder/postBuild."""
    tmp = tmp_path_factory.mktemp("binder")
    repo = tmp / "repo"
    shutil.copytree(REPO, repo, ignore=_COPY_IGNORE)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"], cwd=repo, check=True,
                   timeout=900)
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp)}
    proc = subprocess.run(["bash", "binder/postBuild"], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return repo, python


def _facilitator_sentences(workshop: str) -> list[str]:
    nb = nbformat.read(REPO / "workbooks" / f"{workshop}.ipynb", as_version=4)
    found = []
    for cell in nb.cells:
        if "pv-facilitator" in cell.metadata.get("tags", []) and cell.cell_type == "markdown":
            plain = re.sub(r"\s+", " ", re.sub(r"[*_`#|>\[\]]", " ", cell.source))
            found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", plain) if len(s) > 50]
    return found


def test_environment_is_the_learner_runtime_only(binder):
    """Binder installs pvkit without the handout tools: no papermill, WeasyPrint or matplotlib.

    (nbconvert is there: Jupyter Server itself depends on it.)
    """
    _, python = binder
    code = ("import importlib.util as u; print([m for m in ('papermill', 'weasyprint', 'matplotlib', 'rich') "
            "if u.find_spec(m)])")
    assert subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


@pytest.mark.parametrize("workshop", ["intro", "advanced"])
def test_learner_opens_workbook_answers_quiz_and_sees_no_facilitator_text(binder, chromium, tmp_path, workshop):
    """Open learner/<workshop>.ipynb by its Binder URL path, run all cells, answer a quiz, read the feedback."""
    repo, python = binder
    released = nbformat.read(repo / "learner" / f"{workshop}.ipynb", as_version=4)
    assert not [c for c in released.cells if "pv-facilitator" in c.metadata.get("tags", [])]
    bundle = json.loads((repo / "learner" / "pvkit-content.json").read_text())
    assert all(not e["facilitator_notes"] for e in bundle["exercises"])
    first_quiz = next(c.source.split('"')[1] for c in released.cells if 'pvkit.show("quiz' in c.source)
    quiz = next(e for e in bundle["exercises"] if e["id"] == first_quiz)
    question = quiz["questions"][0]
    right = next(o for o in question["options"] if o["correct"])

    server, token = start_jupyterlab(python, repo, tmp_path)
    page = new_page(chromium)
    try:
        run_all_cells(page, f"{server.url}/lab/tree/learner/{workshop}.ipynb?token={token}")
        widget = page.locator(".pv-quiz").first
        widget.wait_for(timeout=120_000)
        widget.locator(".pv-quiz-question").first.get_by_text(right["text"], exact=True).click()
        widget.get_by_role("button", name=re.compile("Check answers")).click()
        feedback = widget.locator(".pv-feedback").first
        feedback.wait_for()
        assert "Correct." in feedback.inner_text()
        assert right["feedback"].split("[@")[0].strip()[:40] in feedback.inner_text()
        page.wait_for_function("document.querySelectorAll('.jp-Notebook-cell .jp-InputPrompt').length > 0")
        text = re.sub(r"\s+", " ", page.inner_text(".jp-Notebook"))
        leaked = [s for s in _facilitator_sentences(workshop) if s in text]
        assert leaked == []
        assert "Facilitator notes" not in text and "Answer key" not in text
        assert page.pv_errors == [] and page.pv_offsite == []
    finally:
        page.context.close()
        server.stop()
