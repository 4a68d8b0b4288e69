"""pvkit present (Voila) in Chromium, and axe-core accessibility checks on the learner view and the handouts."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys

import nbformat
import pytest

from pvkit.kitfolder import load_kit
from pvkit.release import learner_kit
from tests.browser.conftest import Server, free_port, new_page
from tests.conftest import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = REPO / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
#: axe rules left out, each for a documented reason (see README, "Accessibility").
AXE_EXCEPTIONS: dict[str, str] = {}


def run_axe(page) -> list[dict]:
    """Serious and critical axe-core violations on the current page (minus documented exceptions)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run 'bash .ci/setup' (it installs axe-core from npm)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical") and v["id"] not in AXE_EXCEPTIONS
    ]


@pytest.fixture(scope="module")
def present(tmp_path_factory):
    """`pvkit present intro --audience learner` on 127.0.0.1, stopped by its PID's process group."""
    tmp = tmp_path_factory.mktemp("present")
    port, token = free_port(), secrets.token_hex(16)
    args = [sys.executable, "-m", "pvkit", "present", "intro", "--audience", "learner", "--port", str(port),
            "--token", token, "--root", str(REPO)]
    server = Server(args, tmp, f"http://127.0.0.1:{port}", tmp / "present.log", env=dict(os.environ))
    try:
        server.wait_ready(f"{server.url}/?token={token}", timeout=120)
        yield server, token
    finally:
        server.stop()
    assert server.proc.returncode in (0, -signal.SIGTERM, 130, 143)


def _first_quiz_answer() -> tuple[str, str]:
    kit = learner_kit(load_kit(REPO))
    nb = nbformat.read(REPO / "workbooks" / "intro.ipynb", as_version=4)
    quiz_id = next(c.source.split('"')[1] for c in nb.cells if 'pvkit.show("quiz' in c.source)
    option = next(o for o in kit.exercise(quiz_id).questions[0].options if o.correct)
    return option.text, option.feedback


def test_present_learner_view_answers_a_quiz(present, chromium):
    """The Voila learner view shows no code and no facilitator text, and its quiz answers a click."""
    server, token = present
    page = new_page(chromium)
    try:
        page.goto(f"{server.url}/?token={token}")
        quiz = page.locator(".pv-quiz").first
        quiz.wait_for(timeout=180_000)
        text, feedback = _first_quiz_answer()
        quiz.locator(".pv-quiz-question").first.get_by_text(text, exact=True).click()
        quiz.get_by_role("button", name=re.compile("Check answers")).click()
        shown = quiz.locator(".pv-feedback").first
        shown.wait_for()
        assert "Correct." in shown.inner_text() and feedback.split("[@")[0].strip()[:40] in shown.inner_text()
        body = page.inner_text("body")
        assert "pvkit.show(" not in body and "Facilitator:" not in body and "Facilitator notes" not in body
        assert page.pv_errors == [] and page.pv_offsite == []
        violations = run_axe(page)
        assert violations == [], json.dumps(violations, indent=1)
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    """HTML handouts of both workshops for a short cohort."""
    tmp = tmp_path_factory.mktemp("a11y")
    cohort = tmp / "c.yaml"
    cohort.write_text("name: Accessibility check\nworkshops: [intro, advanced]\ndate: 2027-03-14\n"
                      "binder: {repo: example-org/pvkit-kit}\nhub: https://hub.example.org\n")
    out = tmp / "out"
    proc = subprocess.run([sys.executable, "-m", "pvkit", "handouts", str(cohort), "-o", str(out), "--format", "html",
                           "-j", "2", "--root", str(REPO)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return out / "accessibility-check"


@pytest.mark.parametrize("name", ["intro-learner.html", "intro-facilitator.html", "advanced-learner.html",
                                  "advanced-facilitator.html"])
def test_handout_has_no_serious_accessibility_violations(handouts, chromium, name: str):
    """axe-core finds no serious or critical violation in an HTML handout."""
    page = new_page(chromium)
    try:
        page.set_content((handouts / name).read_text(encoding="utf-8"))
        violations = run_axe(page)
        assert violations == [], json.dumps(violations, indent=1)
        assert page.pv_offsite == []
    finally:
        page.context.close()

