"""No input makes pvkit write outside the output folder the user chose.

Every test works inside one sentinel folder holding the kit, the cohort files, the output folder and
"victim" files outside it.  The sentinel is snapshotted (every entry, links not followed) before and after
each run: outside the output folder nothing may appear, change or disappear.  Inputs that would name a
place outside are refused with exit 2, file:line and a hint; links planted inside the output folder are
replaced (never written through) or refused.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pvkit.answers import AnswerStore
from pvkit.kitfolder import load_kit
from tests.reliability.conftest import make_kit, pvkit, snapshot
from tests.report.conftest import add_evaluation
from tests.report.make_responses import write_responses

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082")
LOCATED = re.compile(r"\.yaml:\d+: ")


@pytest.fixture
def sentinel(tmp_path: Path) -> Path:
    """A folder holding the kit, an output folder to be, and a victim file and folder outside it."""
    root = tmp_path / "sentinel"
    make_kit(root / "kit")
    (root / "victim.txt").write_text("victim: must not change\n", encoding="utf-8")
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "keep.txt").write_text("keep\n", encoding="utf-8")
    return root


def _cohort(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(body + "workshops: [mini]\ndate: 2027-03-14\n", encoding="utf-8")
    return path


def _handouts(root: Path, out: Path, *cohorts: Path, formats: str = "html", variants: str = "learner"):
    return pvkit("handouts", "--root", str(root / "kit"), *map(str, cohorts), "-o", str(out), "-j", "1",
                 "--format", formats, "--variant", variants)


def _refused(result, *fragments: str) -> None:
    assert result.code == 2, result.err
    assert "Traceback" not in result.err and LOCATED.search(result.err) and "How to fix:" in result.err, result.err
    for fragment in fragments:
        assert fragment in result.err, result.err


def _written_inside(out: Path) -> list[Path]:
    """Every file the manifest lists, checked to be a regular file inside ``out``."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    paths = [out / entry["path"] for entry in manifest["files"]]
    for path in paths:
        assert not path.is_symlink() and path.resolve().is_relative_to(out.resolve()), path
    return paths


@pytest.mark.parametrize("value, message", [
    pytest.param('"../x"', "is not a safe folder name", id="parent"),
    pytest.param('"/etc/x"', "is not a safe folder name", id="absolute"),
    pytest.param('".."', "is not a safe folder name", id="dotdot"),
    pytest.param('"."', "is not a safe folder name", id="dot"),
    pytest.param('"a/../../b"', "is not a safe folder name", id="through"),
    pytest.param('"C:\\\\x"', "is not a safe folder name", id="windows"),
    pytest.param('"x/y"', "is not a safe folder name", id="slash"),
    pytest.param('"abc\\n"', "is not a safe folder name", id="trailing-newline"),
    pytest.param('"x\\0y"', "U+0000", id="nul"),
    pytest.param('""', "is not a safe folder name", id="empty"),
])
def test_unsafe_cohort_ids_are_refused(sentinel: Path, value: str, message: str):
    """A cohort id that is not a plain slug stops the run before anything is written."""
    before = snapshot(sentinel)
    cohort = _cohort(sentinel, "bad", f"name: Bad id\nid: {value}\n")
    result = _handouts(sentinel, sentinel / "out", cohort)
    _refused(result, message, "id")
    assert not (sentinel / "out").exists() and not Path("/etc/x").exists()
    assert snapshot(sentinel) == {**before, "bad.yaml": snapshot(sentinel)["bad.yaml"]}


@pytest.mark.slow
def test_names_that_look_like_paths_become_safe_folders(sentinel: Path):
    """Names with slashes, dots and drive letters build, each into a slug folder inside -o DIR."""
    names = ["../../escape", "/etc/passwd", "a/../../b", "..", "C:\\\\Windows\\\\x", "...", "%2e%2e%2f"]
    cohorts = [_cohort(sentinel, f"c{i}", f'name: "{name}"\n') for i, name in enumerate(names)]
    before = snapshot(sentinel)
    out = sentinel / "out"
    result = _handouts(sentinel, out, *cohorts)
    assert result.code == 0, result.err
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert len(folders) == len(names) and all(re.fullmatch(r"[a-z0-9-]{1,64}", f) for f in folders), folders
    assert len(_written_inside(out)) == 2 * len(names)  # learner HTML and executed notebook each
    assert snapshot(sentinel, skip=out) == before
    assert not Path("/etc/passwd-learner.html").exists() and not (sentinel.parent / "escape").exists()


def test_a_name_with_a_nul_is_refused(sentinel: Path):
    """A NUL written as a YAML escape in a name is refused, not turned into a file name or handout text."""
    result = _handouts(sentinel, sentinel / "out", _cohort(sentinel, "nul", 'name: "a\\0/../b"\n'))
    _refused(result, "U+0000", "name")


@pytest.mark.parametrize("exercise_id", ["../../x", "/tmp/x", "quiz-x\n", "a/b"])
def test_an_exercise_id_with_a_path_is_refused(sentinel: Path, exercise_id: str):
    """Content with an exercise id that is not a slug fails validation, with file:line; nothing is built."""
    path = sentinel / "kit" / "exercises" / "mini" / "extra.yaml"
    path.write_text("exercises:\n  - id: " + json.dumps(exercise_id) + "\n    kind: reflection\n    workshop: mini\n"
                    "    module: close\n    title: Extra\n    prompt: Write.\n    prompts: [{id: a, label: A?}]\n",
                    encoding="utf-8")
    result = _handouts(sentinel, sentinel / "out", _cohort(sentinel, "ok", "name: Fine\n"))
    _refused(result, "is not a valid id", "extra.yaml:2")
    assert not (sentinel / "out").exists()


def _logo_cases(sentinel: Path) -> None:
    (sentinel / "kit" / "passwd.png").symlink_to("/etc/passwd")
    (sentinel / "kit" / "text.png").write_text("not an image\n", encoding="utf-8")
    (sentinel / "kit" / "fake.svg").write_text("#!/bin/sh\necho hi\n", encoding="utf-8")


@pytest.mark.parametrize("logo, message", [
    pytest.param("../../../etc/passwd", "is not a PNG, JPEG or SVG file", id="parent-path"),
    pytest.param("/etc/passwd", "is not a PNG, JPEG or SVG file", id="absolute"),
    pytest.param("passwd.png", "is not a PNG image", id="png-link-to-system-file"),
    pytest.param("text.png", "is not a PNG image", id="renamed-text"),
    pytest.param("fake.svg", "is not a SVG image", id="not-svg"),
    pytest.param("missing.png", "was not found", id="missing"),
    pytest.param("../../../etc/x.png", "was not found", id="parent-missing"),
])
def test_logos_that_are_not_images_are_refused(sentinel: Path, logo: str, message: str):
    """A logo path that leads to a system file, a non-image or nothing is refused with file:line."""
    _logo_cases(sentinel)
    cohort = _cohort(sentinel / "kit", "logo", f"name: Logo\nlogo: {json.dumps(logo)}\n")
    result = _handouts(sentinel, sentinel / "out", cohort)
    _refused(result, message, "logo")
    assert not (sentinel / "out").exists()


@pytest.mark.slow
def test_linked_logo_and_linked_output_folder_are_the_users_choice(sentinel: Path):
    """A logo linked from outside the kit is embedded; -o naming a link writes into its target, nowhere else."""
    (sentinel / "elsewhere" / "agency.png").write_bytes(PNG)
    (sentinel / "kit" / "logo.png").symlink_to(sentinel / "elsewhere" / "agency.png")
    real = sentinel / "real-out"
    real.mkdir()
    (sentinel / "out-link").symlink_to(real, target_is_directory=True)
    cohort = _cohort(sentinel / "kit", "logo", "name: Linked\nid: linked\nlogo: logo.png\n")
    before = snapshot(sentinel, skip=real)
    result = _handouts(sentinel, sentinel / "out-link", cohort)
    assert result.code == 0, result.err
    assert len(_written_inside(real)) == 2
    assert "data:image/png;base64," in (real / "linked" / "mini-learner.html").read_text(encoding="utf-8")
    assert snapshot(sentinel, skip=real) == before


@pytest.mark.slow
def test_links_planted_at_output_files_are_replaced_not_followed(sentinel: Path):
    """Links planted where handouts, the executed notebook, scratch and manifest go: victims stay untouched."""
    victim = sentinel / "victim.txt"
    out = sentinel / "out"
    folder = out / "planted"
    (folder / "executed").mkdir(parents=True)
    planted = [folder / "mini-learner.html", folder / "mini-facilitator.pdf", out / "manifest.json",
               folder / "executed" / "mini.ipynb", folder / "executed" / ".running-mini.ipynb",
               folder / ".mini-learner.html.abc123.part"]
    for path in planted:
        path.symlink_to(victim)
    cohort = _cohort(sentinel, "planted", "name: Planted\nid: planted\n")
    before = snapshot(sentinel, skip=out)
    result = _handouts(sentinel, out, cohort, formats="html,pdf", variants="learner,facilitator")
    assert result.code == 0, result.err
    assert snapshot(sentinel, skip=out) == before  # the victim is unchanged
    assert len(_written_inside(out)) == 5
    for path in planted[:4]:
        assert path.is_file() and not path.is_symlink(), path
    for path in planted[4:]:  # scratch names: removed (the link itself), never written through
        assert not path.exists() and not path.is_symlink(), path


def test_release_replaces_planted_links(sentinel: Path):
    """`pvkit release -o DIR` replaces links planted at its file names instead of writing through them."""
    out = sentinel / "learner"
    out.mkdir()
    planted = [out / "mini.ipynb", out / "pvkit-content.json", out / "README.md"]
    for path in planted:
        path.symlink_to(sentinel / "victim.txt")
    before = snapshot(sentinel, skip=out)
    result = pvkit("release", "--root", str(sentinel / "kit"), "-o", str(out))
    assert result.code == 0, result.err
    assert snapshot(sentinel, skip=out) == before
    for path in planted:
        assert path.is_file() and not path.is_symlink() and path.stat().st_size > 100, path


def test_links_command_replaces_planted_links(sentinel: Path):
    """`pvkit links -o DIR` replaces a link planted at a QR code's file name."""
    out = sentinel / "links"
    out.mkdir()
    (out / "test-workshop-binder.svg").symlink_to(sentinel / "victim.txt")
    before = snapshot(sentinel, skip=out)
    result = pvkit("links", "--root", str(sentinel / "kit"), "--repo", "org/kit", "-o", str(out))
    assert result.code == 0, result.err
    assert snapshot(sentinel, skip=out) == before
    assert (out / "test-workshop-binder.svg").read_text(encoding="utf-8").startswith("<svg")


@pytest.fixture
def report_inputs(sentinel: Path) -> tuple[Path, Path]:
    """The kit with an evaluation, a cohort file for it, and synthetic responses (all in the sentinel)."""
    add_evaluation(sentinel / "kit")
    responses = sentinel / "responses"
    write_responses(load_kit(sentinel / "kit"), "mini", responses, count=6, seed=3)
    return _cohort(sentinel, "eval", "name: Eval\nid: eval\n"), responses


def test_report_replaces_a_planted_link_at_its_file(sentinel: Path, report_inputs):
    """`pvkit report -o DIR` replaces a link planted at the report's file name."""
    cohort, responses = report_inputs
    out = sentinel / "reports"
    (out / "eval").mkdir(parents=True)
    (out / "eval" / "mini-evaluation.html").symlink_to(sentinel / "victim.txt")
    before = snapshot(sentinel, skip=out)
    result = pvkit("report", "--root", str(sentinel / "kit"), str(cohort), str(responses), "-o", str(out),
                   "--format", "html")
    assert result.code == 0, result.err
    assert snapshot(sentinel, skip=out) == before
    report = out / "eval" / "mini-evaluation.html"
    assert report.is_file() and not report.is_symlink()


@pytest.mark.parametrize("csv_template", [False, True], ids=["report", "csv-template"])
def test_report_refuses_a_cohort_folder_linked_outside(sentinel: Path, report_inputs, csv_template: bool):
    """A cohort folder in -o DIR that links outside it is refused (exit 2, how to fix); nothing is written there."""
    cohort, responses = report_inputs
    out = sentinel / "reports"
    out.mkdir()
    (out / "eval").symlink_to(sentinel / "elsewhere", target_is_directory=True)
    before = snapshot(sentinel, skip=out)
    extra = ["--csv-template"] if csv_template else [str(responses)]
    result = pvkit("report", "--root", str(sentinel / "kit"), str(cohort), *extra, "-o", str(out), "--format", "html")
    assert result.code == 2 and "outside the output folder" in result.err and "How to fix" in result.err, result.err
    assert snapshot(sentinel, skip=out) == before
    assert sorted(p.name for p in (sentinel / "elsewhere").iterdir()) == ["keep.txt"]


def test_answers_file_is_not_written_through_a_planted_link(tmp_path: Path):
    """A link planted at the answers file's temporary name does not redirect the learner's save."""
    victim = tmp_path / "victim.txt"
    victim.write_text("victim\n", encoding="utf-8")
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / ".pvkit-answers-mini.json.tmp").symlink_to(victim)
    store = AnswerStore("mini", folder)
    store.set("reflect-close", {"next": "Breathe out slowly"})
    assert victim.read_text(encoding="utf-8") == "victim\n"
    saved = json.loads((folder / "pvkit-answers-mini.json").read_text(encoding="utf-8"))
    assert saved["answers"] == {"reflect-close": {"next": "Breathe out slowly"}}
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp") and not p.is_symlink()]


def test_new_cohort_is_not_written_through_a_planted_link(sentinel: Path):
    """`pvkit new-cohort FILE` does not write through a link planted at its temporary name."""
    target = sentinel / "cohorts" / "spring.yaml"
    target.parent.mkdir()
    (target.parent / ".spring.yaml.tmp").symlink_to(sentinel / "victim.txt")
    result = pvkit("new-cohort", "--root", str(sentinel / "kit"), str(target))
    assert result.code == 0, result.err
    assert (sentinel / "victim.txt").read_text(encoding="utf-8") == "victim: must not change\n"
    assert target.is_file() and "name:" in target.read_text(encoding="utf-8")


def test_new_cohort_replaces_a_link_at_file_only_with_force(sentinel: Path):
    """FILE planted as a link is 'already exists' without --force; with --force the link is replaced."""
    target = sentinel / "spring.yaml"
    target.symlink_to(sentinel / "victim.txt")
    refused = pvkit("new-cohort", "--root", str(sentinel / "kit"), str(target))
    assert refused.code == 2 and "already exists" in refused.err
    forced = pvkit("new-cohort", "--root", str(sentinel / "kit"), str(target), "--force")
    assert forced.code == 0, forced.err
    assert (sentinel / "victim.txt").read_text(encoding="utf-8") == "victim: must not change\n"
    assert target.is_file() and not target.is_symlink()
