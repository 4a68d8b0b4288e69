"""Hostile text stays text: cohort fields and learner answers never execute or change the document.

Cohort name, agency, facilitators and support text carry HTML, script tags, event handlers, Markdown,
LaTeX, template syntax and Python code.  One real `pvkit handouts` run builds them beside a plain cohort
with the same fields: the hostile handouts must show every string as typed (parsed HTML, Chromium, PDF
text) and have exactly the plain handouts' elements.  Learner answers with the same payloads are saved by
the widgets, downloaded, restored in JupyterLab, and never read into a handout.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from pvkit import live
from pvkit.widgets import autonomic_map, plan, reflection
from tests.browser.conftest import copy_kit, new_page, run_all_cells
from tests.conftest import FIXTURES
from tests.handouts.conftest import parse_html
from tests.reliability.conftest import make_kit, pvkit

SCRIPT = "<script>window.__pwned=1;alert(1)</script>"
IMG = '<img src=x onerror="window.__pwned=1;alert(2)">'
MARKDOWN = "**bold** [link](javascript:alert(3)) # heading `code`"
LATEX = "$x$ and $$\\int_0^1 x\\,dx$$"
TEMPLATE = "{{ 7*7 }} {% raw %}{% endraw %} ${x} {# note #}"
BREAKOUT = "</p></section></title></style><svg onload=window.__pwned=1>"
ENTITIES = "&lt;b&gt; &amp; &#60;i&#62;"


def python_payload(marker: Path) -> str:
    return f"__import__('os').system('touch {marker}')"


def hostile_cohort(marker: Path) -> dict:
    return {
        "name": f"{SCRIPT} {IMG} {TEMPLATE}",
        "agency": f"{MARKDOWN} {LATEX}",
        "facilitators": [f"{TEMPLATE} A. Rivera", python_payload(marker)],
        "support": f"{BREAKOUT} {ENTITIES} {MARKDOWN}",
    }


PLAIN_COHORT = {"name": "Plain name", "agency": "Plain agency", "facilitators": ["A. Rivera", "J. Chen"],
                "support": "Plain support"}

#: Learner answers: the same payloads, each with a token that must never reach a handout.
TOKEN = "LEARNER-ANSWER-5c1d"
ANSWERS = {
    "reflect-close": {"next": f"{TOKEN} {SCRIPT} {IMG}"},
    "plan-next": {"start-small.what": f"{TOKEN} {MARKDOWN} {TEMPLATE}", "support.who": f"{TOKEN} {LATEX}"},
    "map-ladder": {"ventral.body": f"{TOKEN} {BREAKOUT}", "glimmers": f"{TOKEN} {ENTITIES}"},
}


def _values(fields: dict) -> list[str]:
    return [fields["name"], fields["agency"], *fields["facilitators"], fields["support"]]


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _write_cohort(path: Path, cohort_id: str, fields: dict) -> Path:
    body = {"id": cohort_id, **fields, "workshops": ["mini"], "date": "2027-03-16"}
    path.write_text("".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in body.items()), encoding="utf-8")
    return path


def _answers_file(folder: Path) -> None:
    data = {"pvkit_answers": 1, "workshop": "mini", "answers": ANSWERS}
    (folder / "pvkit-answers-mini.json").write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One real build (HTML and PDF, both variants) of a hostile and a plain cohort, with learner answers
    saved beside the workbook, in the kit folder and beside the cohort files."""
    tmp = tmp_path_factory.mktemp("hostile")
    kit = make_kit(tmp / "kit")
    marker = tmp / "pwned"
    cohorts = tmp / "cohorts"
    cohorts.mkdir()
    for folder in (kit / "workbooks", kit, cohorts):
        _answers_file(folder)
    fields = hostile_cohort(marker)
    paths = [_write_cohort(cohorts / "hostile.yaml", "hostile", fields),
             _write_cohort(cohorts / "plain.yaml", "plain", PLAIN_COHORT)]
    out = tmp / "out"
    result = pvkit("handouts", "--root", str(kit), *map(str, paths), "-o", str(out), "-j", "1")
    assert result.code == 0, result.err
    return out, fields, marker


def _html(out: Path, cohort: str, variant: str) -> str:
    return (out / cohort / f"mini-{variant}.html").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["learner", "facilitator"])
def test_hostile_cohort_text_shows_as_typed_and_adds_no_element(built, variant: str):
    """Every hostile string is text in the handout, whose elements are exactly those of a plain cohort's."""
    out, fields, marker = built
    text, tags = parse_html(_html(out, "hostile", variant))
    plain_text, plain_tags = parse_html(_html(out, "plain", variant))
    for value in _values(fields):
        assert collapse(value) in text, value
    # the cover and the workbook's safety box both show the support text, as typed (not as Markdown)
    assert text.count(collapse(fields["support"])) == 2
    if variant == "facilitator":  # the cover and the run sheet
        assert text.count(collapse(fields["name"])) == 2
    assert [t for t, _ in tags] == [t for t, _ in plain_tags], "the hostile text added or removed elements"
    assert not [a for _, attrs in tags for a in attrs if a.startswith("on")]
    assert not [v for _, attrs in tags for v in attrs.values() if v and v.strip().lower().startswith("javascript:")]
    assert "49" not in text or "49" in plain_text  # {{ 7*7 }} was not evaluated
    assert not marker.exists(), "the Python in a facilitator's name ran"


@pytest.mark.slow
def test_hostile_cohort_text_is_literal_in_the_pdf(built):
    """The PDFs carry every hostile string as typed, and no JavaScript or launch action."""
    out, fields, _ = built
    for variant in ("learner", "facilitator"):
        path = out / "hostile" / f"mini-{variant}.pdf"
        text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(path).pages))
        for value in _values(fields):
            assert re.sub(r"\s+", "", value) in text, (variant, value)
        data = path.read_bytes()
        assert b"/JavaScript" not in data and b"/JS" not in data and b"/Launch" not in data


@pytest.mark.slow
def test_learner_answers_beside_the_workbook_never_reach_a_handout(built):
    """Answers files beside the workbook, the kit and the cohorts are never read into any built file."""
    out, _, _ = built
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) == 2 * 5 + 1
    for path in files:
        if path.suffix == ".pdf":
            content = "".join(page.extract_text() for page in PdfReader(path).pages)
        else:
            content = path.read_text(encoding="utf-8")
        assert TOKEN not in content, path


def _watched_page(browser):
    """A page that records dialogs, console messages, page errors and requests."""
    context = browser.new_context()
    page = context.new_page()
    page.pv_events = []  # type: ignore[attr-defined]

    def dialog(d) -> None:
        page.pv_events.append(f"dialog: {d.message}")  # type: ignore[attr-defined]
        d.dismiss()

    page.on("dialog", dialog)
    page.on("console", lambda m: page.pv_events.append(f"console: {m.text}"))  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.pv_events.append(f"error: {e}"))  # type: ignore[attr-defined]
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else
            page.pv_events.append(f"request: {r.url}"))  # type: ignore[attr-defined]
    return page


@pytest.mark.slow
@pytest.mark.browser
def test_hostile_handouts_run_no_script_in_chromium(built, chromium):
    """Opened in Chromium, the hostile handouts run no script, open no dialog and show the strings as text."""
    out, fields, _ = built
    control = _watched_page(chromium)
    try:  # the harness does see a script that runs
        control.set_content(f"<p>{IMG}</p>")
        control.wait_for_function("window.__pwned === 1", timeout=5_000)
        control.wait_for_timeout(200)
        assert any(e.startswith("dialog:") for e in control.pv_events)  # type: ignore[attr-defined]
    finally:
        control.context.close()
    for variant in ("learner", "facilitator"):
        page = _watched_page(chromium)
        try:
            page.goto((out / "hostile" / f"mini-{variant}.html").as_uri())
            page.wait_for_load_state("load")
            page.wait_for_timeout(500)
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert page.pv_events == []  # type: ignore[attr-defined]
            assert page.evaluate("document.querySelectorAll('script, svg[onload], img[onerror]').length") == 0
            shown = collapse(page.inner_text("body"))
            for value in _values(fields):
                assert collapse(value) in shown, (variant, value)
        finally:
            page.context.close()


# ---------------------------------------------------------------------------
# Learner answers in the widgets


@pytest.fixture
def session(kit_dir: Path, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(kit_dir)
    folder = tmp_path / "answers"
    folder.mkdir()
    live.setup(workshop="mini", render="live", audience="learner", answers_dir=str(folder))
    return live.current()


def _type_answers(s):
    kit = s.kit
    r = reflection.live(kit.exercise("reflect-close"), s)
    r.set_answer("next", ANSWERS["reflect-close"]["next"])
    p = plan.live(kit.exercise("plan-next"), s)
    p.set_answer("start-small", "what", ANSWERS["plan-next"]["start-small.what"])
    p.set_answer("support", "who", ANSWERS["plan-next"]["support.who"])
    m = autonomic_map.live(kit.exercise("map-ladder"), s)
    m.set_answer("ventral", "body", ANSWERS["map-ladder"]["ventral.body"])
    m.set_list("glimmers", ANSWERS["map-ladder"]["glimmers"])
    return r, p, m


def _downloads(bar) -> dict[str, str]:
    links = re.findall(r'download="([^"]+)" href="data:[^;]+;charset=utf-8;base64,([^"]*)"', bar.links.value)
    return {name: base64.b64decode(data).decode("utf-8") for name, data in links}


def test_hostile_answers_are_saved_and_downloaded_as_typed(session):
    """The answers file and both downloads hold the typed text exactly; the page-facing HTML escapes it."""
    r, _, m = _type_answers(session)
    saved = json.loads(session.answers.path.read_text(encoding="utf-8"))["answers"]
    assert saved == ANSWERS
    files = _downloads(r.bar)
    assert json.loads(files["pvkit-answers-mini.json"])["answers"] == ANSWERS
    markdown = files["pvkit-answers-mini.md"]
    for answers in ANSWERS.values():
        for value in answers.values():
            assert value in markdown
    _, bar_tags = parse_html(r.bar.links.value)
    assert [t for t, _ in bar_tags] == ["p", "a", "a"]
    m.show_map()
    text, tags = parse_html(m.ladder.value)
    assert collapse(ANSWERS["map-ladder"]["ventral.body"]) in text and ANSWERS["map-ladder"]["glimmers"] in text
    assert not [t for t, _ in tags if t in ("script", "img", "svg", "a")]


def test_hostile_answers_come_back_as_typed_after_a_rerun(session):
    """A re-run (a new session on the same folder) fills the text areas with exactly what was typed."""
    _type_answers(session)
    live.setup(workshop="mini", render="live", audience="learner", answers_dir=str(session.answers.path.parent))
    again = live.current()
    r = reflection.live(again.kit.exercise("reflect-close"), again)
    p = plan.live(again.kit.exercise("plan-next"), again)
    assert r.areas["next"].value == ANSWERS["reflect-close"]["next"]
    assert p.areas["start-small.what"].value == ANSWERS["plan-next"]["start-small.what"]


def test_a_hostile_file_name_in_the_load_message_is_text(session):
    """Loading a file whose name is markup says so with the name as text, not as an element."""
    r = reflection.live(session.kit.exercise("reflect-close"), session)
    name = f"{IMG}{SCRIPT}.json"
    assert r.bar.load_bytes(b"{not json", name) is None
    text, tags = parse_html(r.bar.message.value)
    assert name in text and not [t for t, _ in tags if t in ("img", "script")]


# ---------------------------------------------------------------------------
# In JupyterLab, in a real Chromium

HOSTILE_ANSWER = "<img src=x onerror=window.__pwned=1> <script>window.__pwned=1</script> {{ 7*7 }} **bold**"
REFLECTION_LABEL = "What will you try next week?"


@pytest.mark.slow
@pytest.mark.browser
def test_hostile_answer_typed_in_jupyterlab_is_restored_as_text(jupyterlab, chromium):
    """Type markup into a reflection, re-run the notebook: the box shows it as typed and no script ran."""
    import nbformat

    server, token, folder = jupyterlab
    copy_kit(FIXTURES / "kit", folder)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('import pvkit.live as pvkit\npvkit.setup(workshop="mini")'),
                nbformat.v4.new_code_cell('pvkit.show("reflect-close")')]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "hostile.ipynb")
    answers = folder / "pvkit-answers-mini.json"
    answers.unlink(missing_ok=True)
    page = new_page(chromium)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    url = f"{server.url}/lab/tree/hostile.ipynb?token={token}"
    try:
        run_all_cells(page, url)
        box = page.locator(".pv-reflection").get_by_label(REFLECTION_LABEL)
        box.fill(HOSTILE_ANSWER, timeout=60_000)
        _wait_for_answer(answers)
        page.evaluate("document.querySelectorAll('.pv-reflection textarea').forEach(t => t.dataset.old = '1')")
        # Run the notebook again from the top: setup() re-reads the answers file and a new widget shows it.
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        page.wait_for_function("document.querySelector('.pv-reflection textarea:not([data-old])') !== null",
                               timeout=60_000)
        box = page.locator(".pv-reflection").get_by_label(REFLECTION_LABEL)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
        assert box.count() == 1 and box.get_attribute("data-old") is None
        assert box.input_value() == HOSTILE_ANSWER
        page.wait_for_timeout(500)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate("document.querySelectorAll('.jp-OutputArea img[src=\"x\"]').length") == 0
        assert dialogs == [] and page.pv_errors == [] and page.pv_offsite == []  # type: ignore[attr-defined]
    finally:
        page.context.close()


def _wait_for_answer(path: Path, timeout: float = 30) -> None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if json.loads(path.read_text(encoding="utf-8"))["answers"]["reflect-close"]["next"] == HOSTILE_ANSWER:
                return
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"{path} did not get the typed answer in {timeout}s")
