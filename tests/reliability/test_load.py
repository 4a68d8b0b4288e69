"""Load: 50 cohorts in one `pvkit handouts -j 2` batch, without leaking kernels, processes or memory.

``benchmarks/load.py`` runs the same batch and prints the figures the README quotes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.reliability.processes import Watch

pytestmark = [pytest.mark.slow, pytest.mark.load]

COHORTS = 50
JOBS = 2
MB = 1024 * 1024


def _write_cohorts(folder: Path) -> list[str]:
    paths = []
    for i in range(1, COHORTS + 1):
        path = folder / f"load-{i:03d}.yaml"
        path.write_text(f'name: "Load cohort {i}"\nid: load-{i:03d}\nworkshops: [intro]\ndate: 2027-03-14\n'
                        f'facilitators: ["A. Rivera"]\nsupport: "Quiet room {i}"\n', encoding="utf-8")
        paths.append(str(path))
    return paths


def test_fifty_cohorts_with_two_workers(tmp_path: Path):
    """Every handout is built; processes stay bounded and are all gone at the end; memory does not
    grow from cohort to cohort."""
    out = tmp_path / "out"
    args = [sys.executable, "-m", "pvkit", "handouts", *_write_cohorts(tmp_path), "-o", str(out),
            "--format", "html", "-j", str(JOBS), "--root", str(REPO)]
    started = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with Watch(proc.pid, interval=0.5) as watch:
            stdout, stderr = proc.communicate(timeout=900)
    finally:
        if proc.poll() is None:
            proc.kill()
    wall = time.monotonic() - started
    assert proc.returncode == 0, stderr[-3000:]

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    kinds = sorted((f["variant"], f["format"]) for f in manifest["files"])
    assert kinds == sorted([("learner", "html"), ("facilitator", "html"), ("executed", "ipynb")] * COHORTS)
    assert len({f["cohort"] for f in manifest["files"]}) == COHORTS and manifest["failures"] == []
    assert all((out / f["path"]).is_file() for f in manifest["files"])

    samples = watch.samples
    assert len(samples) > 20, "the batch was watched throughout"
    third = samples[-1].seconds / 3
    first = [s for s in samples if s.seconds <= third]
    last = [s for s in samples if s.seconds >= 2 * third]
    peak_first, peak_last = max(s.rss for s in first), max(s.rss for s in last)
    print(f"\nload: {COHORTS} cohorts, -j {JOBS}: {wall:.1f} s; peak RSS {max(s.rss for s in samples) / MB:.0f} MB "
          f"(first third {peak_first / MB:.0f} MB, last third {peak_last / MB:.0f} MB); peak "
          f"{max(s.processes for s in samples)} processes, {max(s.kernels for s in samples)} kernels; "
          f"{len(watch.seen)} seen")

    # Processes stay bounded: per worker, the kernel running a notebook, the warm one waiting, and one
    # shutting down while the next starts; plus the workers and multiprocessing's resource tracker.
    # A kernel or worker that were not shut down would pile up, one per cohort.
    assert max(s.kernels for s in samples) <= 3 * JOBS
    assert max(s.processes for s in samples) <= 3 * JOBS + JOBS + 1
    assert watch.left_behind(grace=10) == []

    # Memory: the whole tree (pvkit, workers, kernels) was about 600 MB at its peak here, and that peak
    # swings by about one kernel (~100 MB) with how kernel start-up and shut-down overlap at a sample.
    # 25 % + 100 MB absorbs that noise.  A leak of 20 MB per cohort would add about 650 MB between the
    # first and the last third (some 33 cohorts apart), over twice the ~250 MB allowed, so it fails.
    assert peak_last <= peak_first * 1.25 + 100 * MB, (peak_first / MB, peak_last / MB)
