"""Benchmark: the JupyterLite site, from ``pvkit lite`` to the first widget in Chromium.

Usage::

    python benchmarks/lite.py [--runs N] [--out DIR] [--workbook intro]

Builds the site with ``pvkit lite`` (twice: the second build uses the download cache), serves it
with ``python -m http.server`` on 127.0.0.1 (stopped by its PID), and opens the workbook N times
in Debian's headless Chromium, each time in a fresh browser context (an empty cache, as a
learner's first visit), then once more as a reload in the same context.  Chromium's proxy points
at a closed port, so nothing can come from another host.

For each visit it records, from the start of navigation:

notebook shown
    JupyterLab has opened the notebook (the kernel starts then).
first widget
    Run > Run All Cells was chosen as soon as the notebook showed; the first pvkit widget has
    rendered.  This includes starting Pyodide, loading the kernel's packages and pvkit, and
    running the cells above the first exercise.

Prints one line per visit and the medians.  Figures depend on the machine: run it on an idle
one.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--proxy-server=http://127.0.0.1:9"]
ROOT = Path(__file__).resolve().parents[1]


def build(out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pvkit", "lite", "--root", str(ROOT), "-o", str(out)], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def visit(page, url: str) -> tuple[float, float]:
    """Open ``url``, run all cells; return seconds to the notebook shown and to the first widget."""
    start = time.monotonic()
    page.goto(url)
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    shown = time.monotonic() - start
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()
    page.locator(".jp-OutputArea-output .jupyter-widgets").first.wait_for(timeout=180_000)
    return shown, time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="first visits to time (default 3)")
    parser.add_argument("--out", type=Path, default=None, help="build the site here (default: a temporary folder)")
    parser.add_argument("--workbook", default="intro")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="pvkit-lite-bench-") as tmp:
        site = args.out or Path(tmp) / "site"
        build(site)  # fills the download cache if it is empty
        seconds = build(site)
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        print(f"site: {size / 1e6:.1f} MB, {sum(1 for _ in site.rglob('*'))} files; cached build {seconds:.1f} s")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port),
                                   "-d", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(1)
            url = f"http://127.0.0.1:{port}/lab/index.html?path={args.workbook}.ipynb"
            firsts = []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
                for run in range(1, args.runs + 1):
                    context = browser.new_context(viewport={"width": 1400, "height": 1000})
                    page = context.new_page()
                    shown, first = visit(page, url)
                    firsts.append(first)
                    print(f"first visit {run}: notebook shown {shown:.1f} s, first widget {first:.1f} s")
                    if run == args.runs:
                        shown, first = visit(page, url)
                        print(f"reload:        notebook shown {shown:.1f} s, first widget {first:.1f} s")
                    context.close()
                browser.close()
            print(f"median first visit to first widget: {statistics.median(firsts):.1f} s over {len(firsts)} runs")
        finally:
            server.terminate()
            server.wait(timeout=10)
        if args.out is None:
            shutil.rmtree(site, ignore_errors=True)


if __name__ == "__main__":
    main()
