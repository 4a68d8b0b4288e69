"""The handout build end to end: real papermill runs, real HTML and PDF files, parsed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from pvkit.cohort import load_cohorts
from pvkit.handouts.build import BuildOptions, build_handouts
from pvkit.kitfolder import load_kit
from tests.conftest import REPO
from tests.handouts.conftest import HOSTILE_NAME, parse_html, write_mini_workbook

pytestmark = pytest.mark.slow

COHORT = f"""\
name: "{HOSTILE_NAME.replace('"', '')}"
id: test-cohort
agency: "Agency & Co"
workshops: [intro]
date: 2027-03-16
start: "10:00"
paper: letter
facilitators: ["A. Rivera", "J. Chen"]
modules: {{intro: [welcome, three-states, evidence]}}
breaks: {{intro: [{{after: welcome, minutes: 10}}]}}
support: "Quiet room 2B; staff support line 0800 000 000"
binder: {{repo: "example-org/pvkit-kit", ref: main}}
hub: "https://hub.example.org"
logo: logo.png
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One real build of the repository's intro workbook for a three-module cohort, HTML and PDF."""
    tmp = tmp_path_factory.mktemp("build")
    cohort = tmp / "test.yaml"
    cohort.write_text(COHORT, encoding="utf-8")
    _write_logo(tmp / "logo.png")
    out = tmp / "out"
    proc = subprocess.run([sys.executable, "-m", "pvkit", "handouts", str(cohort), "-o", str(out), "-j", "1",
                           "--root", str(REPO)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return out, proc


def _write_logo(path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (60, 20), (29, 79, 122)).save(path)


def _read(out: Path, name: str) -> str:
    return (out / "test-cohort" / name).read_text(encoding="utf-8")


def test_output_layout_and_manifest(built):
    """Four handouts, the executed notebook and a manifest whose hashes match the files."""
    out, _ = built
    manifest = json.loads((out / "manifest.json").read_text())
    paths = sorted(f["path"] for f in manifest["files"])
    assert paths == sorted([f"test-cohort/intro-{v}.{f}" for v in ("learner", "facilitator") for f in ("html", "pdf")]
                           + ["test-cohort/executed/intro.ipynb"])
    assert manifest["failures"] == []
    for entry in manifest["files"]:
        data = (out / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
        assert entry["cohort"] == "test-cohort" and entry["workshop"] == "intro"
    assert not list(out.rglob("*.part"))


def _facilitator_sentences() -> list[tuple[str, str]]:
    """(module, sentence) from the intro workbook's facilitator cells, as plain text."""
    nb = nbformat.read(REPO / "workbooks" / "intro.ipynb", as_version=4)
    found = []
    for cell in nb.cells:
        if "pv-facilitator" in cell.metadata.get("tags", []) and cell.cell_type == "markdown":
            plain = re.sub(r"[*_`#|>]", " ", cell.source)
            for sentence in re.split(r"(?<=[.!?])\s+", re.sub(r"\s+", " ", plain)):
                if len(sentence) > 50 and "[" not in sentence:
                    found.append((cell.metadata["pvkit"]["module"], sentence.strip()))
    return found


def test_learner_handout_has_no_facilitator_text(built):
    """No sentence of any facilitator cell, no exercise facilitator note and no answer key reaches learners."""
    out, _ = built
    learner, _ = parse_html(_read(out, "intro-learner.html"))
    facilitator, _ = parse_html(_read(out, "intro-facilitator.html"))
    sentences = _facilitator_sentences()
    assert sentences
    leaked = [s for _, s in sentences if s in learner]
    assert leaked == []
    shown = [s for m, s in sentences if m in ("welcome", "three-states", "evidence") and s in facilitator]
    assert shown, "the facilitator guide should carry the facilitator cells of the modules run"
    kit = load_kit(REPO)
    for e in kit.exercises:
        if e.workshop == "intro" and e.module in ("three-states", "evidence") and e.facilitator_notes:
            first = re.sub(r"\s+", " ", e.facilitator_notes.strip().split("\n\n")[0])[:60]
            assert first not in learner, e.id
    assert "Answer key" not in learner and "Answer key" in facilitator
    assert "Run sheet" not in learner and "Run sheet" in facilitator


def test_only_the_cohorts_modules_are_included(built):
    """A module the cohort does not run is neither in the contents nor in the text."""
    out, _ = built
    text, _ = parse_html(_read(out, "intro-learner.html"))
    kit = load_kit(REPO)
    assert kit.module("intro", "three-states").title in text
    assert kit.module("intro", "co-regulation").title not in text


def test_cover_shows_cohort_text_literally(built):
    """Cohort fields are data: markup, Markdown and template syntax print as typed."""
    out, _ = built
    html = _read(out, "intro-learner.html")
    text, tags = parse_html(html)
    assert HOSTILE_NAME.replace('"', "") in text
    assert "Agency & Co" in text and "Tuesday 16 March 2027, from 10:00" in text and "A. Rivera, J. Chen" in text
    assert "Quiet room 2B; staff support line 0800 000 000" in text
    assert not [t for t, _ in tags if t in ("script", "iframe", "object", "embed", "link")]
    [logo] = [a for t, a in tags if t == "img" and "pv-logo" in (a.get("class") or "")]
    assert logo["src"].startswith("data:image/png;base64,") and logo["alt"] == "Agency & Co logo"


def test_html_is_self_contained(built):
    """Images are inline and nothing is loaded from elsewhere; links and QR codes are there."""
    out, _ = built
    for name in ("intro-learner.html", "intro-facilitator.html"):
        _, tags = parse_html(_read(out, name))
        for tag, attrs in tags:
            src = attrs.get("src") or ""
            assert not src or src.startswith("data:"), (tag, src[:80])
        assert sum(1 for t, _ in tags if t == "svg") >= 2  # the Binder and hub QR codes
        html = _read(out, name)
        assert "https://mybinder.org/v2/gh/example-org/pvkit-kit/main?urlpath=lab%2Ftree%2Flearner%2Fintro.ipynb" in html
        assert "url(http" not in html and "@import" not in html


def test_facilitator_run_sheet_has_clock_times(built):
    """The run sheet starts at the cohort's time and includes its break."""
    out, _ = built
    text, _ = parse_html(_read(out, "intro-facilitator.html"))
    assert "10:00-10:15 15 Welcome" in text and "10:15-10:25 10 Break" in text


def test_pdf_structure(built):
    """The PDF is tagged, letter-sized, paginated, and its text carries the cover fields."""
    out, _ = built
    for variant in ("learner", "facilitator"):
        reader = PdfReader(out / "test-cohort" / f"intro-{variant}.pdf")
        assert len(reader.pages) >= 5
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (612, 792)
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
        assert reader.pages[0].images, "the agency logo is on the cover"
        first = reader.pages[0].extract_text()
        assert "Agency & Co" in first and "<script>alert('x')</script>" in first
        assert f"Page 2 of {len(reader.pages)}" in reader.pages[1].extract_text()


def test_same_inputs_give_identical_html(built, tmp_path: Path):
    """A second build of the same cohort gives byte-identical HTML."""
    out, _ = built
    cohort = tmp_path / "test.yaml"
    cohort.write_text(COHORT, encoding="utf-8")
    _write_logo(tmp_path / "logo.png")
    again = tmp_path / "again"
    proc = subprocess.run([sys.executable, "-m", "pvkit", "handouts", str(cohort), "-o", str(again), "--format",
                           "html", "-j", "1", "--root", str(REPO)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    for name in ("intro-learner.html", "intro-facilitator.html"):
        assert (again / "test-cohort" / name).read_bytes() == (out / "test-cohort" / name).read_bytes()


def test_progress_and_summary(built):
    """The terminal shows a line per file and a summary."""
    _, proc = built
    assert proc.stderr.count("wrote ") == 5
    assert "built 5 files for 1 cohort-workshops" in proc.stdout


# ---------------------------------------------------------------------------
# Faults


def _cohort(kit_dir: Path, name: str, modules: str = "") -> Path:
    path = kit_dir / "cohorts" / f"{name}.yaml"
    path.write_text(f"name: {name}\nworkshops: [mini]\ndate: 2027-03-14\n{modules}", encoding="utf-8")
    return path


def test_cell_error_fails_one_cohort_and_keep_going_builds_the_rest(kit_dir: Path, tmp_path: Path):
    """A failing cell names cohort, workshop, cell and error; its notebook is kept; other cohorts build."""
    write_mini_workbook(kit_dir, {"close": ['pvkit.show("no-such-exercise")']})
    kit = load_kit(kit_dir)
    cohorts = load_cohorts([_cohort(kit_dir, "broken"), _cohort(kit_dir, "fine", "modules: {mini: [states]}\n")], kit)
    out = tmp_path / "out"
    result = build_handouts(cohorts, kit, kit_dir, BuildOptions(out, formats=("html",), keep_going=True))
    assert result.exit_code == 1
    [failure] = result.failures
    assert failure.cohort == "broken" and failure.workshop == "mini"
    assert re.search(r"cell \d+ \(In \[\d+\]\) of workbooks/mini.ipynb raised LookupError", failure.error)
    assert "no-such-exercise" in failure.error and "broken/executed/mini.ipynb" in failure.error
    assert not (out / "broken" / "mini-learner.html").exists()
    executed = nbformat.read(out / "broken" / "executed" / "mini.ipynb", as_version=4)
    assert any(o.get("ename") == "LookupError" for c in executed.cells for o in c.get("outputs", []))
    assert (out / "fine" / "mini-learner.html").exists() and (out / "fine" / "mini-facilitator.html").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["failures"][0]["cohort"] == "broken"


def test_without_keep_going_the_batch_stops(kit_dir: Path, tmp_path: Path):
    """The first failure stops the batch when --keep-going is not given."""
    write_mini_workbook(kit_dir, {"close": ['pvkit.show("no-such-exercise")']})
    kit = load_kit(kit_dir)
    cohorts = load_cohorts([_cohort(kit_dir, "broken"), _cohort(kit_dir, "fine", "modules: {mini: [states]}\n")], kit)
    result = build_handouts(cohorts, kit, kit_dir, BuildOptions(tmp_path / "out", formats=("html",)))
    assert result.exit_code == 1 and not (tmp_path / "out" / "fine").exists()


def test_no_state_leaks_between_cohorts(kit_dir: Path, tmp_path: Path):
    """Each execution gets a fresh kernel: a variable set for one cohort is gone for the next."""
    write_mini_workbook(kit_dir, {"states": ['pvkit.term("neuroception")']})
    nb_path = kit_dir / "workbooks" / "mini.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    # A cell that records whether an earlier execution left a mark in the kernel, then leaves one.
    probe = nbformat.v4.new_code_cell("import builtins\nprint('LEAK' if hasattr(builtins, '_pv_probe') else 'CLEAN')\n"
                                      "builtins._pv_probe = 1")
    probe.metadata["pvkit"] = {"module": "states"}
    nb.cells.insert(3, probe)
    nbformat.write(nb, nb_path)
    kit = load_kit(kit_dir)
    cohorts = load_cohorts([_cohort(kit_dir, f"c{i}") for i in range(3)], kit)
    out = tmp_path / "out"
    result = build_handouts(cohorts, kit, kit_dir, BuildOptions(out, formats=("html",), variants=("learner",)))
    assert result.failures == []
    for i in range(3):
        executed = nbformat.read(out / f"c{i}" / "executed" / "mini.ipynb", as_version=4)
        [cell] = [c for c in executed.cells if "_pv_probe" in c.source]
        assert cell.outputs[0]["text"].strip() == "CLEAN"


def test_invalid_cohort_builds_nothing(kit_dir: Path, tmp_path: Path, run_cli):
    """Every cohort is validated first: one bad file means exit 2, all errors, nothing written."""
    write_mini_workbook(kit_dir)
    good = _cohort(kit_dir, "good")
    bad = kit_dir / "cohorts" / "bad.yaml"
    bad.write_text('name: x\nid: "../x"\nworkshops: [mini]\ndate: 2027-13-01\n')
    out = tmp_path / "out"
    result = run_cli("handouts", "--root", str(kit_dir), str(good), str(bad), "-o", str(out))
    assert result.code == 2
    assert "not a safe folder name" in result.err and "is not a date" in result.err
    assert not out.exists() and not (tmp_path / "x").exists()


@pytest.mark.parametrize("args, message", [
    pytest.param(["--format", "docx"], "--format 'docx' is not valid", id="format"),
    pytest.param(["--variant", "teacher"], "--variant 'teacher' is not valid", id="variant"),
    pytest.param(["-j", "0"], "-j must be 1 or more", id="jobs"),
])
def test_bad_options_exit_2(kit_dir: Path, tmp_path: Path, run_cli, args, message):
    """Bad options are usage errors with a hint."""
    result = run_cli("handouts", "--root", str(kit_dir), "-o", str(tmp_path / "o"), *args)
    assert result.code == 2 and message in result.err and "How to fix" in result.err


def test_interrupted_build_leaves_only_complete_files_and_rerun_repairs(tmp_path: Path):
    """Ctrl-C mid-batch: exit 130, no half-written file; running again completes the batch."""
    cohorts = []
    for i in range(2):
        path = tmp_path / f"c{i}.yaml"
        path.write_text(f"name: Cohort {i}\nworkshops: [intro]\ndate: 2027-03-14\n"
                        "modules: {intro: [welcome, why]}\n", encoding="utf-8")
        cohorts.append(str(path))
    out = tmp_path / "out"
    args = [sys.executable, "-m", "pvkit", "handouts", *cohorts, "-o", str(out), "-j", "1", "--root", str(REPO)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (out / "cohort-0" / "intro-learner.html").exists():
        assert time.monotonic() < deadline and proc.poll() is None, "the build did not start"
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    for path in out.rglob("*"):
        if path.is_file():
            assert not path.name.startswith(".") or path.suffix != ".part", path
            if path.suffix == ".html":
                assert path.read_text(encoding="utf-8").rstrip().endswith("</html>")
            if path.suffix == ".pdf":
                PdfReader(path)
    assert not (out / "cohort-1" / "intro-learner.pdf").exists()
    rerun = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    for i in range(2):
        for name in ("intro-learner.html", "intro-learner.pdf", "intro-facilitator.pdf"):
            assert (out / f"cohort-{i}" / name).exists()
    assert not [p for p in out.rglob("*.part")]
    shutil.rmtree(out)
    assert os.path.exists(tmp_path)


def test_exporters_are_nbconvert_entry_points(built, tmp_path: Path):
    """`jupyter nbconvert --to pvkit-learner` turns the executed notebook into a learner handout."""
    out, _ = built
    executed = out / "test-cohort" / "executed" / "intro.ipynb"
    target = tmp_path / "via-nbconvert"
    proc = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "pvkit-learner", str(executed),
                           "--output", str(target)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    text, _ = parse_html((tmp_path / "via-nbconvert.html").read_text(encoding="utf-8"))
    assert "Learner handout" in text and "Answer key" not in text
    assert HOSTILE_NAME.replace('"', "") in text  # the cohort's parameters travel with the executed notebook


def test_missing_pango_still_builds_html_and_says_what_to_install(tmp_path: Path):
    """When WeasyPrint cannot load Pango, HTML is built and the error names the packages to install."""
    fake = tmp_path / "fake"
    (fake / "weasyprint").mkdir(parents=True)
    (fake / "weasyprint" / "__init__.py").write_text(
        "raise OSError(\"cannot load library 'libpango-1.0-0': No such file or directory\")\n")
    cohort = tmp_path / "c.yaml"
    cohort.write_text("name: Pango check\nworkshops: [intro]\ndate: 2027-03-14\nmodules: {intro: [welcome]}\n")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(fake)}
    proc = subprocess.run([sys.executable, "-m", "pvkit", "handouts", str(cohort), "-o", str(out), "-j", "1",
                           "--root", str(REPO)], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 1
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in proc.stderr
    assert (out / "pango-check" / "intro-learner.html").exists()
    assert not (out / "pango-check" / "intro-learner.pdf").exists()
    assert "Traceback" not in proc.stderr


def test_a_link_planted_in_the_output_folder_is_not_followed(kit_dir: Path, tmp_path: Path):
    """A cohort folder that is a symlink to elsewhere is refused; nothing is written outside -o DIR."""
    write_mini_workbook(kit_dir)
    kit = load_kit(kit_dir)
    cohorts = load_cohorts([_cohort(kit_dir, "linked")], kit)
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "linked").symlink_to(elsewhere, target_is_directory=True)
    result = build_handouts(cohorts, kit, kit_dir, BuildOptions(out, formats=("html",)))
    assert result.exit_code == 1 and "outside the output folder" in result.failures[0].error
    assert list(elsewhere.iterdir()) == []


def test_ctrl_c_while_a_file_is_written_waits_until_it_is_listed():
    """A Ctrl-C that lands between renaming a file into place and listing it is held until both are done."""
    import os
    import signal

    from pvkit.handouts.build import held_interrupt

    steps = []
    with pytest.raises(KeyboardInterrupt):
        with held_interrupt():
            os.kill(os.getpid(), signal.SIGINT)
            steps.append("written")
            steps.append("listed")
    assert steps == ["written", "listed"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
