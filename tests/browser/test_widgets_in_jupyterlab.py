"""A learner's clicks in JupyterLab, in a real Chromium: every live kind renders and responds.

One JupyterLab server and one page serve the whole module: the notebook showing
every exercise of the test kit is run once, then each test plays one exercise
as a learner would (each widget keeps its own state, so the tests do not depend
on each other's order).  Every test also checks that the page raised no error
and that no request left 127.0.0.1.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest

from pvkit.kitfolder import load_kit
from tests.browser.conftest import copy_kit, new_page, run_all_cells
from tests.conftest import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ANSWERS_FILE = "pvkit-answers-mini.json"
#: Full-page screenshots for a person to look at: after "Run All Cells", and after every test's clicks.
SCREENSHOT_RUN = Path("/tmp/widgets-full.png")
SCREENSHOT_CLICKED = Path("/tmp/widgets-after-clicks.png")
WIDGET_TIMEOUT = 60_000  # ms: the first widgets wait for the kernel to start and import pvkit


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


def _full_page_screenshot(page, path: Path) -> None:
    """Screenshot the whole notebook: grow the window to the notebook's height, shoot, shrink back."""
    viewport = page.viewport_size
    height = page.evaluate(
        """() => {
            const panel = document.querySelector('.jp-NotebookPanel-notebook');
            const scroller = panel.querySelector('.jp-WindowedPanel-outer') || panel;
            scroller.scrollTop = 0;
            const cells = panel.querySelectorAll('.jp-Cell');
            const last = cells[cells.length - 1].getBoundingClientRect().bottom;
            const chrome = window.innerHeight - scroller.clientHeight;  // menus, toolbars, status bar
            return last - scroller.getBoundingClientRect().top + chrome + 40;
        }"""
    )
    page.set_viewport_size({"width": viewport["width"], "height": min(int(height), 16_000)})
    page.wait_for_timeout(500)  # let JupyterLab lay the panels out at the new size
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)
    page.wait_for_timeout(300)


def _assert_clean(page) -> None:
    """No uncaught page error; no request tried to leave 127.0.0.1."""
    assert page.pv_errors == []
    assert page.pv_offsite == []


@pytest.fixture(scope="module")
def lab_page(jupyterlab, chromium):
    """The kinds notebook open in JupyterLab with every cell run and every exercise shown."""
    server, token, folder = jupyterlab
    copy_kit(FIXTURES / "kit", folder)
    ids = _kinds_notebook(folder)
    page = new_page(chromium)
    try:
        run_all_cells(page, f"{server.url}/lab/tree/kinds.ipynb?token={token}")
        page.wait_for_function(f"document.querySelectorAll('.pv-exercise').length >= {len(ids)}",
                               timeout=WIDGET_TIMEOUT)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
        _full_page_screenshot(page, SCREENSHOT_RUN)
        yield page
        _full_page_screenshot(page, SCREENSHOT_CLICKED)
    finally:
        page.context.close()


@pytest.fixture
def page(lab_page):
    """The shared page; each test must leave it free of page errors and off-site requests."""
    yield lab_page
    _assert_clean(lab_page)


def test_every_exercise_renders(page):
    """After "Run All Cells" every exercise of the test kit is on the page as a widget."""
    from playwright.sync_api import expect

    for kind in ("quiz", "sort", "scenario", "practice", "reflection", "checkin", "map", "plan"):
        expect(page.locator(f".pv-exercise.pv-{kind}")).to_have_count(1)
    expect(page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")).to_have_count(0)
    _assert_clean(page)


def test_quiz_check_answers(page):
    """Choose the right option, click Check answers: feedback and "Score: 1 of 1"."""
    quiz = page.locator(".pv-quiz").first
    quiz.get_by_text("Ventral vagal", exact=True).click(timeout=WIDGET_TIMEOUT)
    quiz.get_by_role("button", name="Check answers").click()
    feedback = quiz.locator(".pv-feedback")
    feedback.wait_for()
    assert "Correct." in feedback.inner_text()
    assert "Score: 1 of 1" in quiz.locator(".pv-score").inner_text()
    _assert_clean(page)


def test_sort_dropdowns_check_and_try_again(page):
    """Choose a bin in each item's dropdown, Check: per-item feedback and the count; Try again clears it."""
    from playwright.sync_api import expect

    sort = page.locator(".pv-sort")
    items = sort.locator(".pv-sort-item")
    expect(items).to_have_count(2)
    greeting, door = items.nth(0), items.nth(1)
    # the item's text labels its dropdown, so a screen reader names the <select> it is in
    expect(sort.get_by_label("A warm greeting")).to_have_count(1)
    greeting.locator("select").select_option(label="Cue of safety")
    door.locator("select").select_option(label="Cue of safety")  # the wrong bin, on purpose
    sort.get_by_role("button", name="Check").click()  # the only Check button in the sort

    expect(greeting.locator(".pv-feedback")).to_contain_text("Right: Cue of safety. Friendly faces signal safety.")
    expect(door.locator(".pv-feedback")).to_contain_text(
        "Not quite: you chose Cue of safety; it belongs in Cue of danger. Sudden loud noise signals danger.")
    expect(sort.locator(".pv-score")).to_have_text("1 of 2 placed correctly")

    sort.get_by_role("button", name="Try again").click()
    expect(sort.locator(".pv-feedback")).to_have_count(0)
    expect(sort.locator(".pv-score")).to_have_count(0)
    for select in (greeting.locator("select"), door.locator("select")):  # the DOM value is the option's label
        expect(select).to_have_value("Not placed yet")

    greeting.locator("select").select_option(label="Cue of safety")
    door.locator("select").select_option(label="Cue of danger")
    sort.get_by_role("button", name="Check").click()  # the only Check button in the sort
    expect(door.locator(".pv-feedback")).to_contain_text("Right: Cue of danger.")
    expect(sort.locator(".pv-score")).to_have_text("2 of 2 placed correctly")
    _assert_clean(page)


def test_scenario_choose_continue_restart(page):
    """Choose, read the rated feedback, Continue to step 2 (Path line), choose again, Restart to step 1."""
    from playwright.sync_api import expect

    scenario = page.locator(".pv-scenario")
    step, path, feedback = scenario.locator(".pv-step"), scenario.locator(".pv-path"), scenario.locator(".pv-feedback")
    continue_button = scenario.get_by_role("button", name="Continue")
    expect(step).to_contain_text("Step 1")
    expect(path).to_have_text("Path: Step 1")
    expect(continue_button).to_be_disabled()

    scenario.get_by_role("button", name="(a) Lower your voice").click()
    expect(feedback).to_contain_text("You chose (a): Lower your voice")
    expect(feedback.locator(".pv-rating")).to_have_text("\u2713 Helpful.")
    expect(feedback).to_contain_text("Calm prosody helps.")
    expect(feedback).to_contain_text("Press Continue to see what happens next.")
    expect(scenario.get_by_role("button", name="(b) Shout back")).to_be_disabled()

    continue_button.click()
    expect(step).to_contain_text("Step 2")
    expect(step).to_contain_text("He is quieter now.")
    expect(path).to_have_text("Path: Step 1 (a) \u2192 Step 2")
    expect(feedback).to_have_count(0)

    scenario.get_by_role("button", name="(b) Walk away").click()
    expect(feedback.locator(".pv-rating")).to_have_text("~ Mixed.")
    expect(feedback).to_contain_text("He may feel dismissed.")
    expect(feedback).to_contain_text("This path ends here. Press Restart to try another path.")
    expect(continue_button).to_be_disabled()

    scenario.get_by_role("button", name="Restart").click()
    expect(step).to_contain_text("Step 1")
    expect(step).to_contain_text("A man shouts at the hatch.")
    expect(path).to_have_text("Path: Step 1")
    expect(feedback).to_have_count(0)
    expect(scenario.get_by_role("button", name="(a) Lower your voice")).to_be_enabled()
    _assert_clean(page)


def _animation(locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).animationName")


def test_practice_opt_out_start_pacer_stop(page):
    """Opt-out and alternatives are in view before Start; Start shows an animated pacer; Stop stills it."""
    from playwright.sync_api import expect

    practice = page.locator(".pv-practice")
    opt_out, alternatives = practice.locator(".pv-opt-out"), practice.locator(".pv-alternatives")
    expect(opt_out).to_be_visible()
    expect(opt_out).to_have_text("You can opt out. You can sit this out.")
    expect(alternatives).to_be_visible()
    expect(alternatives).to_contain_text("Other ways to take part:")
    expect(alternatives).to_contain_text("Orienting: Look around the room slowly.")
    stage = practice.locator(".pv-pacer-stage")
    expect(stage).to_have_attribute("aria-label", "Breathing pacer: Ready")
    expect(practice.get_by_role("button", name="Stop")).to_be_disabled()

    practice.get_by_role("button", name="Start").click()
    expect(stage).to_have_attribute("aria-label", "Breathing pacer: in for 4 s, out for 6 s, 6 rounds")
    expect(practice.locator(".pv-pacer-text")).to_contain_text("Pacing: in for 4 s, out for 6 s, 6 rounds.")
    circle = practice.locator(".pv-pacer-circle")
    expect(circle).to_have_count(1)
    assert _animation(circle) == "pv-pace-40-60-6-circle"
    assert _animation(practice.locator(".pv-pacer-in")) == "pv-pace-40-60-6-in"
    page.emulate_media(reduced_motion="reduce")  # the circle stays still; the words still change
    try:
        assert _animation(circle) == "none"
        assert _animation(practice.locator(".pv-pacer-in")) == "pv-pace-40-60-6-in"
    finally:
        page.emulate_media(reduced_motion="no-preference")

    practice.get_by_role("button", name="Stop").click()
    expect(stage).to_have_attribute("aria-label", "Breathing pacer: Stopped")
    assert _animation(practice.locator(".pv-pacer-circle")) == "none"
    expect(practice.get_by_role("button", name="Stop")).to_be_disabled()
    expect(opt_out).to_be_visible()
    _assert_clean(page)


def _saved_answers(path: Path, done: Callable[[dict[str, Any]], bool], timeout: float = 30) -> dict[str, Any]:
    """Wait until the answers file exists and ``done(answers)``; return its answers."""
    deadline = time.monotonic() + timeout
    answers: dict[str, Any] = {}
    while time.monotonic() < deadline:
        try:
            answers = json.loads(path.read_text(encoding="utf-8"))["answers"]
        except (OSError, ValueError, KeyError):
            answers = {}
        if done(answers):
            return answers
        time.sleep(0.2)
    raise AssertionError(f"{path} did not get the answers in {timeout}s; it holds {answers!r}")


def test_personal_answers_stay_in_the_served_folder(page, jupyterlab):
    """Answer the check-in, reflection, plan and map: pvkit-answers-mini.json beside the notebook holds them."""
    from playwright.sync_api import expect

    folder = jupyterlab[2]
    checkin = page.locator(".pv-checkin")
    checkin.get_by_label("Play: a blend \u2014 Energy with connection.").check()
    checkin.get_by_label("How strongly").select_option("2")

    page.locator(".pv-reflection").get_by_label("What will you try next week?").fill("Pause before I answer.")
    page.locator(".pv-plan").get_by_label("What will you try?").fill("Greet people by name.")
    ventral = page.locator(".pv-map .pv-map-state").first
    ventral.get_by_label("In my body").fill("Slow breath, soft face.")

    answers = _saved_answers(folder / ANSWERS_FILE, lambda a: "map-ladder" in a and "plan-next" in a
                             and "reflect-close" in a and a.get("checkin-now", {}).get("intensity") == 2)
    assert answers["checkin-now"] == {"state": "play", "intensity": 2}
    assert answers["reflect-close"] == {"next": "Pause before I answer."}
    assert answers["plan-next"] == {"start-small.what": "Greet people by name."}
    assert answers["map-ladder"] == {"ventral.body": "Slow breath, soft face."}

    mapped = page.locator(".pv-map")
    mapped.get_by_role("button", name="Show my map").click()
    expect(mapped.locator(".pv-ladder")).to_contain_text("Slow breath, soft face.")
    expect(page.locator(".pv-reflection .pv-answers-note")).to_contain_text(
        f"saved only in a file next to this notebook ({ANSWERS_FILE}); nothing is sent anywhere")
    _assert_clean(page)


def test_answers_survive_a_kernel_restart(page, jupyterlab):
    """Kernel > Restart Kernel and Run All Cells: a fresh kernel shows the reflection typed before it."""
    import re

    from playwright.sync_api import expect

    folder = jupyterlab[2]
    label = "What will you try next week?"
    text = "Kept across a restart \u2014 with an accent: caf\u00e9."
    page.locator(".pv-reflection").get_by_label(label).fill(text)
    _saved_answers(folder / ANSWERS_FILE, lambda a: a.get("reflect-close", {}).get("next") == text)
    # Mark the old kernel's text box, so the check below can only pass on the new kernel's.
    page.locator(".pv-reflection").get_by_label(label).evaluate("el => el.setAttribute('data-old-kernel', '1')")

    page.get_by_role("menuitem", name="Kernel", exact=True).click()
    page.get_by_text(re.compile(r"^Restart Kernel and Run All Cells")).click()
    page.get_by_role("button", name=re.compile(r"^(Restart|Confirm Kernel Restart)$")).click()

    expect(page.locator(".pv-reflection").get_by_label(label)).not_to_have_attribute(
        "data-old-kernel", "1", timeout=WIDGET_TIMEOUT)
    expect(page.locator(".pv-reflection").get_by_label(label)).to_have_value(text, timeout=WIDGET_TIMEOUT)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
