"""Faults during a build: a kernel that dies, a cell that hangs, an output folder that cannot be written.

Every run is a real ``pvkit handouts`` (``pvkit.cli.main`` in-process) on the small test kit with real
kernels.  Only what root cannot produce for real, a full or read-only disk, is simulated by making
the operating-system call fail.
"""

from __future__ import annotations

import errno
import json
import os
import re
import tempfile
from pathlib import Path

import pytest

from pvkit import atomic
from tests.handouts.conftest import write_mini_workbook
from tests.reliability.conftest import pvkit
from tests.reliability.processes import Watch

pytestmark = pytest.mark.slow

#: Workbook cells (each passes ``pvkit validate``: a call to a pvkit function) that end the kernel.
KILLERS = {
    "os._exit": 'pvkit.agenda(__import__("os")._exit(1))',
    "SIGKILL": 'pvkit.agenda(__import__("os").kill(__import__("os").getpid(), 9))',
}
HANG = 'pvkit.agenda(__import__("time").sleep(10**6))'


def _cohort(kit_dir: Path, name: str, modules: str = "") -> Path:
    path = kit_dir / "cohorts" / f"{name}.yaml"
    path.write_text(f"name: {name}\nworkshops: [mini]\ndate: 2027-03-14\n{modules}", encoding="utf-8")
    return path


def _two_cohorts(kit_dir: Path) -> list[str]:
    """'broken' runs the whole workbook; 'fine' runs only the module without the faulty cell."""
    return [str(_cohort(kit_dir, "broken")), str(_cohort(kit_dir, "fine", "modules: {mini: [states]}\n"))]


def _cell_number(kit_dir: Path, source: str) -> int:
    """The 1-based number of the workbook cell with ``source``, as the author sees it."""
    cells = json.loads((kit_dir / "workbooks" / "mini.ipynb").read_text())["cells"]
    [number] = [i for i, c in enumerate(cells, start=1) if "".join(c["source"]) == source]
    return number


def _only_complete_files(out: Path) -> dict:
    """No temporary file anywhere; the manifest is valid JSON and lists exactly the handouts on disk."""
    assert not [p for p in out.rglob("*") if p.name.endswith(".part") or p.name.startswith(".running-")]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"] for f in manifest["files"]}
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != "manifest.json"}
    assert listed == on_disk
    for name in listed:
        if name.endswith(".html"):
            assert (out / name).read_text(encoding="utf-8").rstrip().endswith("</html>")
        if name.endswith(".ipynb"):
            json.loads((out / name).read_text(encoding="utf-8"))
    return manifest


def _run_watched(*argv: str):
    with Watch(os.getpid(), interval=0.1) as watch:
        run = pvkit(*argv)
    return run, watch


@pytest.mark.parametrize("cell", [pytest.param(src, id=name) for name, src in KILLERS.items()])
def test_a_kernel_that_dies_fails_its_cohort_and_the_rest_is_built(kit_dir: Path, tmp_path: Path, cell: str):
    """Exit 1, one line naming cohort, workshop and the dead kernel; other cohorts built; a re-run completes."""
    write_mini_workbook(kit_dir, {"close": [cell]})
    out = tmp_path / "out"
    argv = ["handouts", "--root", str(kit_dir), *_two_cohorts(kit_dir), "-o", str(out), "--format", "html",
            "-j", "1", "--keep-going"]
    run, watch = _run_watched(*argv)
    assert run.code == 1, run.err
    [line] = [line for line in run.err.splitlines() if line.startswith("error:")]
    number = _cell_number(kit_dir, cell)
    assert line.startswith(f"error: cohort broken, workshop mini: the Python kernel died while running "
                           f"cell {number} of workbooks/mini.ipynb")
    assert "How to fix:" in run.err
    assert "Traceback" not in run.err and "DeadKernelError" not in run.err and "Kernel died" not in run.err
    assert (out / "fine" / "mini-learner.html").exists() and (out / "fine" / "mini-facilitator.html").exists()
    assert not (out / "broken" / "mini-learner.html").exists()
    manifest = _only_complete_files(out)
    assert [(f["cohort"], f["workshop"]) for f in manifest["failures"]] == [("broken", "mini")]
    assert "the Python kernel died" in manifest["failures"][0]["error"]
    assert watch.kernels_seen() and watch.left_behind() == []

    write_mini_workbook(kit_dir)  # the fault removed
    again = pvkit(*argv)
    assert again.code == 0, again.err
    assert (out / "broken" / "mini-learner.html").exists()
    assert _only_complete_files(out)["failures"] == []


def test_a_hung_cell_is_stopped_after_the_timeout(kit_dir: Path, tmp_path: Path):
    """--timeout 3: the hung cell is named, with how to fix it; its kernel is shut down; the rest is built."""
    write_mini_workbook(kit_dir, {"close": [HANG]})
    out = tmp_path / "out"
    run, watch = _run_watched("handouts", "--root", str(kit_dir), *_two_cohorts(kit_dir), "-o", str(out),
                              "--format", "html", "-j", "1", "--keep-going", "--timeout", "3")
    assert run.code == 1, run.err
    number = _cell_number(kit_dir, HANG)
    assert (f"error: cohort broken, workshop mini: cell {number} of workbooks/mini.ipynb ran longer than "
            "3 seconds") in run.err
    assert "raise the limit with --timeout SECONDS" in run.err and "fix the cell" in run.err
    assert "Traceback" not in run.err and "CellTimeoutError" not in run.err
    assert (out / "fine" / "mini-learner.html").exists()
    _only_complete_files(out)
    assert len(watch.kernels_seen()) >= 2, "the hung kernel and the next cohort's were running"
    assert watch.left_behind() == []
    assert max(s.seconds for s in watch.samples) < 60, "stopped after about 3 s, not the default 300 s"


def test_the_cell_error_message_names_the_cell_as_the_author_numbers_it(kit_dir: Path, tmp_path: Path):
    """Cell numbers count the workbook's own cells (not papermill's injected cell, not dropped modules)."""
    bad = "pvkit.agenda(1 / 0)"
    write_mini_workbook(kit_dir, {"close": [bad]})
    run = pvkit("handouts", "--root", str(kit_dir), str(_cohort(kit_dir, "broken", "modules: {mini: [close]}\n")),
                "-o", str(tmp_path / "out"), "--format", "html", "-j", "1")
    assert run.code == 1
    assert re.search(rf"cell {_cell_number(kit_dir, bad)} \(In \[\d+\]\) of workbooks/mini.ipynb raised ZeroDivisionError",
                     run.err), run.err


@pytest.mark.parametrize("value, message", [
    pytest.param("0", "--timeout must be 1 second or more, not 0", id="zero"),
    pytest.param("-5", "--timeout must be 1 second or more, not -5", id="negative"),
    pytest.param("abc", "argument --timeout: invalid int value: 'abc'", id="text"),
    pytest.param("2.5", "argument --timeout: invalid int value: '2.5'", id="fraction"),
])
def test_a_bad_timeout_is_a_usage_error(kit_dir: Path, tmp_path: Path, value: str, message: str):
    """--timeout takes whole seconds, 1 or more; anything else exits 2 with a hint and builds nothing."""
    write_mini_workbook(kit_dir)
    run = pvkit("handouts", "--root", str(kit_dir), str(_cohort(kit_dir, "c")), "-o", str(tmp_path / "out"),
                "--timeout", value)
    assert run.code == 2 and message in run.err and "How to fix" in run.err
    assert "Traceback" not in run.err and not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------
# An output folder that cannot be written

_REAL_FSYNC, _REAL_MKSTEMP, _REAL_REPLACE = os.fsync, tempfile.mkstemp, os.replace


def _full_disk(monkeypatch, out: Path) -> None:
    """Writing handout HTML fails as on a full disk: fsync reports ENOSPC (data could not be stored)."""
    def fsync(fd: int) -> None:
        if ".html." in Path(os.readlink(f"/proc/self/fd/{fd}")).name:  # .NAME.html.XXXX.part
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        _REAL_FSYNC(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)


def _read_only(monkeypatch, out: Path) -> None:
    """The output folder is on a read-only file system: creating any file in it fails with EROFS."""
    def mkstemp(*args, dir=None, **kwargs):  # noqa: A002 - tempfile's own name
        if dir is not None and Path(out) in (Path(dir), *Path(dir).parents):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(dir))
        return _REAL_MKSTEMP(*args, dir=dir, **kwargs)

    monkeypatch.setattr(atomic.tempfile, "mkstemp", mkstemp)


def _manifest_denied(monkeypatch, out: Path) -> None:
    """Only manifest.json cannot be put in place: renaming onto it is refused (EACCES)."""
    def replace(src, dst, *args, **kwargs):
        if Path(dst).name == "manifest.json":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(src), None, str(dst))
        return _REAL_REPLACE(src, dst, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "replace", replace)


@pytest.mark.parametrize("fault, names, reason, hint", [
    pytest.param(_full_disk, ["broken/mini-learner.html"], "No space left on device", "free some space",
                 id="disk-full"),
    pytest.param(_read_only, ["broken/executed/mini.ipynb", "manifest.json"], "Read-only file system",
                 "make the folder writable", id="read-only"),
    pytest.param(_manifest_denied, ["manifest.json"], "Permission denied", "make the folder writable",
                 id="manifest-denied"),
])
def test_an_unwritable_output_folder_is_a_clear_error(kit_dir: Path, tmp_path: Path, monkeypatch,
                                                      fault, names, reason, hint):
    """Exit 1; each message names the file, the OS reason and a fix; no temporary file; a re-run completes."""
    write_mini_workbook(kit_dir)
    out = tmp_path / "out"
    argv = ["handouts", "--root", str(kit_dir), str(_cohort(kit_dir, "broken")), "-o", str(out), "--format",
            "html", "-j", "1"]
    with monkeypatch.context() as patch:
        fault(patch, out)
        run = pvkit(*argv)
    assert run.code == 1, run.err
    for name in names:
        assert f"could not write {out / name}: {reason}" in run.err, run.err
    assert f"How to fix: {hint}" in run.err
    assert "Traceback" not in run.err and "internal error" not in run.err
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]
    again = pvkit(*argv)
    assert again.code == 0, again.err
    manifest = _only_complete_files(out)
    assert len(manifest["files"]) == 3 and manifest["failures"] == []


@pytest.mark.parametrize("output", ["a-file", "a-file/handouts"])
def test_an_output_path_that_is_a_file_is_a_usage_error(kit_dir: Path, tmp_path: Path, output: str):
    """-o naming a regular file (or a folder inside one): exit 2, a clear message, the file untouched."""
    write_mini_workbook(kit_dir)
    (tmp_path / "a-file").write_text("keep me", encoding="utf-8")
    run = pvkit("handouts", "--root", str(kit_dir), str(_cohort(kit_dir, "c")), "-o", str(tmp_path / output),
                "--format", "html", "-j", "1")
    assert run.code == 2, run.err
    assert f"{tmp_path / 'a-file'} is a file, not a folder" in run.err and "How to fix" in run.err
    assert "Traceback" not in run.err
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "keep me"


def test_a_temporary_folder_that_cannot_be_made_is_a_clear_error(kit_dir: Path, tmp_path: Path, monkeypatch):
    """An OS error outside the output folder (here: TMPDIR is a file) names the path and reason, exit 1."""
    write_mini_workbook(kit_dir)
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "not-a-folder"))
    run = pvkit("handouts", "--root", str(kit_dir), str(_cohort(kit_dir, "c")), "-o", str(tmp_path / "out"),
                "--format", "html", "-j", "1")
    assert run.code == 1, run.err
    assert f"could not read or write {tmp_path / 'not-a-folder'}" in run.err and "How to fix" in run.err
    assert "Traceback" not in run.err and "internal error" not in run.err
