"""Ctrl-C during a parallel batch: a clean stop, an honest summary, nothing left behind, a re-run completes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.reliability.processes import Watch

pytestmark = pytest.mark.slow


def _wait_for_a_file(out: Path, pattern: str, proc: subprocess.Popen) -> None:
    """Wait (up to 180 s) until the running build has written a file matching ``pattern``."""
    deadline = time.monotonic() + 180
    while not list(out.glob(pattern)):
        assert time.monotonic() < deadline and proc.poll() is None, "the build did not start"
        time.sleep(0.05)


def _cohorts(folder: Path, n: int) -> list[str]:
    paths = []
    for i in range(n):
        path = folder / f"c{i}.yaml"
        path.write_text(f"name: Cohort {i}\nworkshops: [intro]\ndate: 2027-03-14\n"
                        "modules: {intro: [welcome, why]}\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def test_ctrl_c_during_a_parallel_batch(tmp_path: Path):
    """SIGINT to the process group of `pvkit handouts -j 2`: exit 130, a summary, only complete files
    in folder and manifest, no kernel or worker left; running the same command again builds all."""
    out = tmp_path / "out"
    args = [sys.executable, "-m", "pvkit", "handouts", *_cohorts(tmp_path, 6), "-o", str(out), "-j", "2",
            "--format", "html", "--root", str(REPO)]
    # Its own process group, as a shell gives a command: Ctrl-C in a terminal signals the whole group.
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, process_group=0)
    try:
        with Watch(proc.pid, interval=0.1) as watch:
            _wait_for_a_file(out, "*/intro-*.html", proc)
            watch.sample()
            os.killpg(proc.pid, signal.SIGINT)
            stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr

    workers = [pid for pid, command in watch.commands.items() if "multiprocessing" in command and "spawn" in command]
    assert len(workers) == 2 and watch.kernels_seen(), watch.commands
    assert watch.left_behind(grace=10) == []

    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    [summary] = [line for line in stdout.splitlines() if line.startswith("interrupted:")]
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != "manifest.json")
    assert f"interrupted: {len(on_disk)} files written" in summary and "of 6 cohort-workshops complete" in summary
    assert "run the same command again" in stdout

    assert not [p for p in out.rglob("*") if p.name.endswith(".part") or p.name.startswith(".running-")]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(f["path"] for f in manifest["files"]) == on_disk
    for name in on_disk:
        if name.endswith(".html"):
            assert (out / name).read_text(encoding="utf-8").rstrip().endswith("</html>")
        else:
            json.loads((out / name).read_text(encoding="utf-8"))
    assert len(on_disk) < 6 * 3, "the batch was stopped before the end"

    rerun = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["files"]) == 6 * 3 and manifest["failures"] == []
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]


def test_a_worker_killed_mid_batch_is_reported_not_a_crash(tmp_path: Path):
    """SIGKILL to one worker (as the out-of-memory killer would): exit 1, one clear message per cohort
    not built, no traceback, and no worker or kernel left behind."""
    out = tmp_path / "out"
    args = [sys.executable, "-m", "pvkit", "handouts", *_cohorts(tmp_path, 4), "-o", str(out), "-j", "2",
            "--format", "html", "--keep-going", "--root", str(REPO)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with Watch(proc.pid, interval=0.1) as watch:
            _wait_for_a_file(out, "*/executed/intro.ipynb", proc)
            watch.sample()
            [worker, *_] = [pid for pid, command in watch.commands.items() if "spawn_main" in command]
            os.kill(worker, signal.SIGKILL)
            stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stderr and "BrokenProcessPool" not in stderr and "internal error" not in stderr
    failed = [line for line in stderr.splitlines() if line.startswith("error: cohort")]
    assert failed and all("a worker process of the batch stopped unexpectedly" in line for line in failed)
    assert "How to fix: run the same command again" in stderr
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]
    json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert watch.left_behind(grace=15) == []
