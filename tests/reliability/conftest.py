"""Shared by the reliability tests: a test kit with a workbook, full in-process CLI runs, file snapshots.

The browser fixtures (JupyterLab on 127.0.0.1, Debian's Chromium) are the browser tests' own.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
from pathlib import Path

from pvkit.cli import main
from tests.browser.conftest import chromium, jupyterlab  # noqa: F401 - fixtures for the browser tests here
from tests.conftest import FIXTURES, Run
from tests.handouts.conftest import write_mini_workbook

#: Workbook cells added to the test kit's workbook, so that handouts also show the safety box and run sheet.
EXTRA_CELLS = {"states": ["pvkit.safety()", "pvkit.agenda()"]}


def make_kit(target: Path) -> Path:
    """A copy of the test kit at ``target`` with its workbook (safety box and run sheet included)."""
    shutil.copytree(FIXTURES / "kit", target)
    write_mini_workbook(target, EXTRA_CELLS)
    return target


def pvkit(*argv: str) -> Run:
    """``pvkit ARGV`` in-process, the way the console script runs it; stdout and all of stderr captured.

    ``sys.stderr`` is captured too: whatever a library prints there (a warning, a traceback) counts.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(list(argv), stdout=out, stderr=err)
    return Run(code, out.getvalue(), err.getvalue())


def snapshot(folder: Path, skip: Path | None = None) -> dict[str, str]:
    """Every entry under ``folder`` (not following links): path -> what it is and holds.

    ``skip`` (a folder inside) is left out: the output folder whose contents a run may change.
    """
    found: dict[str, str] = {}
    entries = [Path(top) / name for top, dirs, files in os.walk(folder) for name in (*dirs, *files)]
    for path in sorted(entries):  # os.walk does not follow links into other folders
        if skip is not None and (path == skip or skip in path.parents):
            continue
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = "link -> " + str(path.readlink())
        elif path.is_dir():
            found[key] = "dir"
        else:
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found
