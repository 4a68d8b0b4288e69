"""Load: one ``pvkit handouts`` batch of many cohorts, watched for memory and processes.

Usage::

    python benchmarks/load.py [--cohorts 50] [--jobs 2] [--out DIR]

Writes N cohort files (each runs the whole ``intro`` workshop), then runs
``python -m pvkit handouts COHORTS... --format html -j J`` as a subprocess,
and every 0.5 s adds up the resident memory (RSS) of that process and all its
descendants (workers, kernels) and counts the descendants.  Prints:

- wall time, and seconds per cohort;
- peak total RSS, and the peak in the first and in the last third of the run
  (memory that grows per cohort shows as a last third well above the first);
- peak number of descendant processes and of kernels among them;
- processes still running 10 s after the command ended (should be none).

The reliability test ``tests/reliability/test_load.py`` runs the same batch
and asserts on these figures.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
MB = 1024 * 1024


def write_cohorts(folder: Path, n: int) -> list[Path]:
    """``n`` cohort files, each running the whole intro workshop."""
    paths = []
    for i in range(1, n + 1):
        path = folder / f"load-{i:03d}.yaml"
        path.write_text(f'name: "Load cohort {i}"\nid: load-{i:03d}\nworkshops: [intro]\ndate: 2027-03-14\n'
                        f'facilitators: ["A. Rivera"]\nsupport: "Quiet room {i}"\n', encoding="utf-8")
        paths.append(path)
    return paths


def sample(root: psutil.Process, seen: dict[int, psutil.Process]) -> tuple[int, int, int]:
    """(total RSS of ``root`` and its descendants, descendants, kernels among them)."""
    try:
        descendants = root.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0, 0, 0
    rss, count, kernels = 0, 0, 0
    for proc in [root, *descendants]:
        try:
            rss += proc.memory_info().rss
            is_kernel = any("ipykernel_launcher" in part for part in proc.cmdline())
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        if proc.pid != root.pid:
            seen.setdefault(proc.pid, proc)
            count += 1
            kernels += is_kernel
    return rss, count, kernels


def left_running(seen: dict[int, psutil.Process], grace: float = 10.0) -> list[psutil.Process]:
    deadline = time.monotonic() + grace
    while True:
        left = []
        for proc in seen.values():
            try:
                if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                    left.append(proc)
            except psutil.NoSuchProcess:
                pass
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cohorts", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pvkit-load-") as tmp:
        cohorts = write_cohorts(Path(tmp), args.cohorts)
        out = args.out or Path(tmp) / "out"
        cmd = [sys.executable, "-m", "pvkit", "handouts", *map(str, cohorts), "-o", str(out), "--format", "html",
               "-j", str(args.jobs), "--root", str(REPO)]
        started = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        root = psutil.Process(proc.pid)
        seen: dict[int, psutil.Process] = {}
        samples: list[tuple[float, int, int, int]] = []
        while proc.poll() is None:
            samples.append((time.monotonic() - started, *sample(root, seen)))
            time.sleep(0.5)
        wall = time.monotonic() - started
        stdout = proc.stdout.read() if proc.stdout else ""
        left = left_running(seen)
    third = wall / 3
    first = max((s[1] for s in samples if s[0] <= third), default=0)
    last = max((s[1] for s in samples if s[0] >= 2 * third), default=0)
    print(stdout.strip())
    print(f"exit code            {proc.returncode}")
    print(f"cohorts              {args.cohorts} (intro, HTML, both variants), -j {args.jobs}")
    print(f"wall time            {wall:.1f} s ({wall / args.cohorts:.2f} s per cohort)")
    print(f"peak total RSS       {max(s[1] for s in samples) / MB:.0f} MB "
          f"(first third {first / MB:.0f} MB, last third {last / MB:.0f} MB)")
    print(f"peak processes       {max(s[2] for s in samples)} descendants, "
          f"{max(s[3] for s in samples)} of them kernels")
    print(f"processes seen       {len(seen)}; still running 10 s after exit: {len(left)}")
    return proc.returncode or (1 if left else 0)


if __name__ == "__main__":
    sys.exit(main())
