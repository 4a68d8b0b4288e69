"""Benchmark: ``pvkit handouts`` against the plain Jupyter tools a trainer would script.

Usage::

    python benchmarks/handouts.py [--cohorts N] [--jobs J] [--pdf] [--out DIR] [--papermill-saves]

N cohort files are generated from ``cohorts/demo.yaml`` (each with its own
``id:`` and ``name:``, "Benchmark cohort 1" ...).  Each cohort runs both
workshops (intro, advanced), and each workshop gives two handouts (learner,
facilitator): 4 N handouts per format.  For each format (HTML; with ``--pdf``
also, in a separate second round, PDF) the same handouts are built two ways,
each from the cohort files to the finished files:

pvkit
    One ``pvkit handouts COHORTS... -o DIR --format html|pdf -j J`` call
    (a subprocess; wall time measured around it).  The executed notebooks it
    also writes are part of its normal output.

plain
    A sequential shell-style loop over the plain command-line tools: for every
    cohort and workshop, ``papermill workbooks/W.ipynb OUT.ipynb -p render handout
    -p audience facilitator -p cohort_name ... --cwd workbooks
    --no-request-save-on-cell-execute``, then one
    ``jupyter nbconvert --to html --no-input`` per variant, with
    TagRemovePreprocessor options that drop the same tagged cells as pvkit
    (learner: pv-facilitator, pv-live and the parameter cells, plus outputs
    tagged pv-facilitator; facilitator: pv-live and the parameter cells).
    For PDF, each HTML file is then converted with the ``weasyprint IN.html
    OUT.pdf`` command.  (nbconvert's own ``--to webpdf`` needs a Chromium
    that Playwright manages, which this machine does not have; the plain
    HTML is nbconvert's stock template, not pvkit's handout layout.)

    ``--no-request-save-on-cell-execute`` runs papermill as pvkit does: the
    notebook is written once, at the end.  papermill's default writes it
    before and after every cell, which costs about 4 s per workbook here (the
    workbooks have over 100 cells); ``--papermill-saves`` measures the plain
    loop with that default instead.  The floor below is then no lower bound,
    as it counts those saves and pvkit does not make them.

The table shows, per format:

``pvkit s`` / ``plain s``
    wall time of the two ways.
``pvkit/plain``
    below 1 means pvkit is faster.  pvkit runs J workers, the plain loop one
    command at a time, so this is the gain a trainer sees, not a like-for-like
    comparison of the two pipelines.
``floor s``
    the plain tools' own work, spread perfectly over J workers::

        floor = (sum of papermill durations + pvkit export seconds) / J

    - papermill durations: ``metadata.papermill.duration`` of every notebook
      the PLAIN loop executed (papermill's own measure: kernel start-up plus
      running the cells, without the CLI's start-up and the notebook write).
      pvkit strips these timings from its executed notebooks, hence the plain
      run's.  Note that a plain kernel loads the kit from its YAML files,
      where pvkit's kernels read a prepared content bundle.
    - pvkit export seconds: the sum of ``seconds`` of the html (or pdf)
      entries in pvkit's ``manifest.json`` (nbconvert export; for pdf the
      WeasyPrint step).  A PDF-only build does not list its HTML step, so the
      PDF floor adds the html export seconds of the HTML round.
``pvkit - floor``
    pvkit's overhead over that floor: process and kernel start-up, imports,
    scheduling, uneven work per worker, writing files.  ``pvkit/floor`` is the
    same as a ratio.

The floor is not a strict lower bound for pvkit: each papermill duration
includes starting a cold kernel (about 1 s here), which pvkit does ahead of
need, and a kernel that loads the kit from YAML (about 0.8 s in the
``pvkit.setup`` cell), where pvkit's kernels read a prepared bundle.  So pvkit
can come in under it.

Below the table, pvkit's own split of its time (from its manifest):
``executing`` is the sum of the executed notebooks' ``seconds`` (waiting for a
warm kernel plus running papermill), ``exporting`` the sum of the handouts'.
``own work / J`` is (executing + exporting) / J, and pvkit's wall time minus
that is what pvkit spends outside its jobs: start-up and imports, validating
the kit and cohorts, starting worker processes and their first kernels, the
last worker's tail, and shutting down.

The git commit of the repository (and whether src/, workbooks/ or cohorts/
had uncommitted changes) is printed and saved; a warning says when it changed
during the run.  Wall times depend on whatever else the machine runs: the
load average before and after the run is printed and saved; compare figures
only from quiet runs.

All files go to temporary folders under ``--out`` (default: a fresh temporary
folder), never to the repository's ``handouts/``; the raw figures go to
``OUT/benchmark.json`` and each command's output to ``OUT/logs/``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the commands of this Python's environment (no pyenv/conda shims)
WORKSHOPS = ("intro", "advanced")

# The cells (and outputs) each variant removes, as TagRemovePreprocessor options.
VARIANT_OPTIONS = {
    "learner": [
        """--TagRemovePreprocessor.remove_cell_tags=["pv-facilitator","pv-live","parameters","injected-parameters"]""",
        """--TagRemovePreprocessor.remove_single_output_tags=["pv-facilitator"]""",
        "--TagRemovePreprocessor.enabled=True",
        "--no-input",
    ],
    "facilitator": [
        """--TagRemovePreprocessor.remove_cell_tags=["pv-live","parameters","injected-parameters"]""",
        "--TagRemovePreprocessor.enabled=True",
        "--no-input",
    ],
}


def tool(name: str) -> str:
    """The path of command ``name``: this environment's, else the first on PATH."""
    path = BIN / name
    return str(path) if path.exists() else (shutil.which(name) or name)


def run(cmd: list[str], log: Path) -> None:
    """Run one command from the repository folder; its output is appended to ``log``."""
    with log.open("a", encoding="utf-8") as handle:
        handle.write("$ " + shlex.join(cmd) + "\n")
        handle.flush()
        subprocess.run(cmd, cwd=REPO, check=True, stdout=handle, stderr=subprocess.STDOUT)


def make_cohorts(n: int, folder: Path) -> list[Path]:
    """Write ``n`` copies of cohorts/demo.yaml, each with its own id and name."""
    demo = (REPO / "cohorts" / "demo.yaml").read_text(encoding="utf-8")
    folder.mkdir(parents=True)
    paths = []
    for i in range(1, n + 1):
        text = re.sub(r"(?m)^id:.*$", f"id: benchmark-{i}", demo)
        text = re.sub(r"(?m)^name:.*$", f'name: "Benchmark cohort {i}"', text)
        path = folder / f"benchmark-{i}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def git_state() -> str:
    """The commit of the repository, with "+changes" when src/, workbooks/ or cohorts/ differ from it."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip() or "unknown"
    changes = subprocess.run(["git", "status", "--porcelain", "--", "src", "workbooks", "cohorts"], cwd=REPO,
                             capture_output=True, text=True).stdout.strip()
    return commit + ("+changes" if changes else "")


def papermill_parameters(cohort: dict, workshop: str) -> list[str]:
    """The papermill options for one cohort and workshop (lists go in as YAML with -y)."""
    breaks = cohort.get("breaks", {}).get(workshop, [])
    return [
        "-p", "render", "handout",
        "-p", "audience", "facilitator",
        "-p", "cohort_name", cohort["name"],
        "-p", "agency", cohort["agency"],
        "-p", "date", cohort["date"].isoformat(),
        "-p", "start", cohort["start"],
        "-p", "support", cohort.get("support", ""),
        "-y", "facilitators: " + json.dumps(cohort.get("facilitators", [])),
        "-y", "breaks: " + json.dumps(breaks),
    ]


def build_pvkit(cohorts: list[Path], out: Path, fmt: str, jobs: int, logs: Path) -> float:
    """One ``pvkit handouts`` call; return its wall time in seconds."""
    cmd = [tool("pvkit"), "handouts", *map(str, cohorts), "-o", str(out),
           "--format", fmt, "--variant", "learner,facilitator", "-j", str(jobs)]
    started = time.perf_counter()
    run(cmd, logs / f"pvkit-{fmt}.log")
    return time.perf_counter() - started


def build_plain(cohorts: list[Path], out: Path, fmt: str, logs: Path, save_every_cell: bool) -> float:
    """The sequential loop over papermill, nbconvert (and weasyprint); return its wall time."""
    yaml = YAML(typ="safe")
    log = logs / f"plain-{fmt}.log"
    executed = out / "executed"
    html_dir = out / "html"
    executed.mkdir(parents=True)
    saving = [] if save_every_cell else ["--no-request-save-on-cell-execute"]
    started = time.perf_counter()
    for path in cohorts:
        cohort = yaml.load(path)
        for workshop in WORKSHOPS:
            notebook = executed / f"{cohort['id']}-{workshop}.ipynb"
            run([tool("papermill"), f"workbooks/{workshop}.ipynb", str(notebook),
                 *papermill_parameters(cohort, workshop), "--cwd", "workbooks", *saving], log)
            for variant, options in VARIANT_OPTIONS.items():
                name = f"{cohort['id']}-{workshop}-{variant}"
                run([tool("jupyter"), "nbconvert", "--to", "html", str(notebook), "--output-dir", str(html_dir),
                     "--output", name, *options], log)
                if fmt == "pdf":
                    run([tool("weasyprint"), str(html_dir / f"{name}.html"), str(out / f"{name}.pdf")], log)
    return time.perf_counter() - started


def papermill_durations(folder: Path) -> list[float]:
    """``metadata.papermill.duration`` of every executed notebook in ``folder``."""
    return [json.loads(p.read_text(encoding="utf-8"))["metadata"]["papermill"]["duration"]
            for p in sorted(folder.glob("*.ipynb"))]


def manifest_seconds(out: Path, fmt: str) -> float:
    """Sum of the manifest's ``seconds`` for entries of format ``fmt`` ("ipynb" is the execution)."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    if manifest["failures"]:
        raise SystemExit(f"pvkit reported failures: {manifest['failures']}")
    return sum(f["seconds"] for f in manifest["files"] if f["format"] == fmt)


def check_outputs(folder: Path, pattern: str, expected: int, what: str) -> None:
    found = len(list(folder.rglob(pattern)))
    if found != expected:
        raise SystemExit(f"{what}: expected {expected} files matching {pattern}, found {found} in {folder}")


def measure(fmt: str, cohorts: list[Path], out: Path, jobs: int, logs: Path, save_every_cell: bool) -> dict:
    """Build the handouts of ``cohorts`` in format ``fmt`` both ways; return the raw figures."""
    expected = len(cohorts) * len(WORKSHOPS) * len(VARIANT_OPTIONS)
    print(f"[{fmt}] pvkit handouts -j {jobs} ...", file=sys.stderr, flush=True)
    pvkit_out = out / fmt / "pvkit"
    pvkit_seconds = build_pvkit(cohorts, pvkit_out, fmt, jobs, logs)
    check_outputs(pvkit_out, f"*.{fmt}", expected, "pvkit")
    print(f"[{fmt}] plain loop ...", file=sys.stderr, flush=True)
    plain_out = out / fmt / "plain"
    plain_seconds = build_plain(cohorts, plain_out, fmt, logs, save_every_cell)
    check_outputs(plain_out, f"*-learner.{fmt}", len(cohorts) * len(WORKSHOPS), "plain")
    check_outputs(plain_out, f"*-facilitator.{fmt}", len(cohorts) * len(WORKSHOPS), "plain")
    durations = papermill_durations(plain_out / "executed")
    return {
        "files_per_way": expected,
        "pvkit_seconds": round(pvkit_seconds, 3),
        "plain_seconds": round(plain_seconds, 3),
        "papermill_durations": durations,
        "papermill_seconds": round(sum(durations), 3),
        "pvkit_execute_seconds": round(manifest_seconds(pvkit_out, "ipynb"), 3),
        "pvkit_export_seconds": round(manifest_seconds(pvkit_out, fmt), 3),
    }


def add_floor(figures: dict, export_seconds: float, jobs: int) -> None:
    """Add the floor and pvkit's overhead over it (see the module docstring)."""
    floor = (figures["papermill_seconds"] + export_seconds) / jobs
    figures["floor_export_seconds"] = round(export_seconds, 3)
    figures["floor_seconds"] = round(floor, 3)
    figures["pvkit_over_floor_seconds"] = round(figures["pvkit_seconds"] - floor, 3)
    figures["pvkit_over_floor_ratio"] = round(figures["pvkit_seconds"] / floor, 3)
    work = (figures["pvkit_execute_seconds"] + export_seconds) / jobs
    figures["pvkit_work_over_jobs_seconds"] = round(work, 3)
    figures["pvkit_over_work_seconds"] = round(figures["pvkit_seconds"] - work, 3)
    figures["pvkit_over_plain_ratio"] = round(figures["pvkit_seconds"] / figures["plain_seconds"], 3)


def print_table(results: dict, info: dict) -> None:
    print(f"pvkit handouts benchmark: {info['cohorts']} cohorts x {len(WORKSHOPS)} workshops x 2 variants, "
          f"-j {info['jobs']} ({info['nproc']} CPUs), Python {info['python']}, pvkit {info['pvkit']}")
    saves = "after every cell (papermill's default)" if info["papermill_saves_every_cell"] else "once, at the end"
    print(f"repository {info['git']}; plain papermill saves the notebook {saves}")
    if info["git_after"] != info["git"]:
        print(f"WARNING: the repository changed during the run (now {info['git_after']}): run again")
    print("load average (1, 5, 15 min) before: {} after: {}".format(
        " ".join(f"{x:.2f}" for x in info["load_average_before"]),
        " ".join(f"{x:.2f}" for x in info["load_average_after"])))
    print()
    header = f"{'format':<7}{'files':>6}{'pvkit s':>10}{'plain s':>10}{'pvkit/plain':>13}" \
             f"{'floor s':>10}{'pvkit - floor':>15}{'pvkit/floor':>13}"
    print(header)
    print("-" * len(header))
    for fmt, r in results.items():
        print(f"{fmt:<7}{r['files_per_way']:>6}{r['pvkit_seconds']:>10.1f}{r['plain_seconds']:>10.1f}"
              f"{r['pvkit_over_plain_ratio']:>13.2f}{r['floor_seconds']:>10.1f}"
              f"{r['pvkit_over_floor_seconds']:>+15.1f}{r['pvkit_over_floor_ratio']:>13.2f}")
    print()
    j = info["jobs"]
    for fmt, r in results.items():
        print(f"{fmt}: floor = (papermill {r['papermill_seconds']:.1f} s over {len(r['papermill_durations'])} "
              f"plain notebooks + pvkit export {r['floor_export_seconds']:.1f} s) / {j}")
        print(f"{fmt}: pvkit's manifest: executing {r['pvkit_execute_seconds']:.1f} s + exporting "
              f"{r['floor_export_seconds']:.1f} s, / {j} = {r['pvkit_work_over_jobs_seconds']:.1f} s of own work; "
              f"{r['pvkit_over_work_seconds']:.1f} s outside its jobs")
    if "pdf" in results:
        print("pdf: the plain way is jupyter nbconvert --to html, then the weasyprint CLI per file "
              "(nbconvert --to webpdf cannot run here: no Playwright Chromium); its pages use "
              "nbconvert's stock HTML template, not pvkit's handout layout; pvkit's pdf export adds "
              "the html export of the html round")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cohorts", type=int, default=8, metavar="N", help="number of cohorts (default: 8)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="J",
                        help="pvkit worker processes (default: the number of CPUs)")
    parser.add_argument("--pdf", action="store_true", help="also compare PDF builds (a separate round)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="an empty or new folder for all output (default: a fresh temporary folder)")
    parser.add_argument("--papermill-saves", action="store_true",
                        help="plain loop: keep papermill's default of saving after every cell")
    args = parser.parse_args()
    if args.cohorts < 1 or args.jobs < 1:
        parser.error("--cohorts and --jobs must be 1 or more")
    for name in ("pvkit", "papermill", "jupyter") + (("weasyprint",) if args.pdf else ()):
        if not Path(tool(name)).exists():
            parser.error(f"the {name} command is not installed")

    out = Path(args.out or tempfile.mkdtemp(prefix="pvkit-benchmark-")).resolve()
    if out == REPO / "handouts" or (REPO / "handouts") in out.parents:
        parser.error("--out must not be inside the repository's handouts/")
    if out.exists() and any(out.iterdir()):
        parser.error(f"--out {out} is not empty")
    logs = out / "logs"
    logs.mkdir(parents=True)
    cohorts = make_cohorts(args.cohorts, out / "cohorts")

    info = {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "pvkit": version("pvkit"),
        "papermill": version("papermill"),
        "nbconvert": version("nbconvert"),
        "weasyprint": version("weasyprint"),
        "cohorts": args.cohorts,
        "jobs": args.jobs,
        "git": git_state(),
        "papermill_saves_every_cell": args.papermill_saves,
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    results = {"html": measure("html", cohorts, out, args.jobs, logs, args.papermill_saves)}
    add_floor(results["html"], results["html"]["pvkit_export_seconds"], args.jobs)
    if args.pdf:
        results["pdf"] = measure("pdf", cohorts, out, args.jobs, logs, args.papermill_saves)
        pdf_export = results["pdf"]["pvkit_export_seconds"] + results["html"]["pvkit_export_seconds"]
        add_floor(results["pdf"], pdf_export, args.jobs)

    info["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    info["git_after"] = git_state()
    (out / "benchmark.json").write_text(json.dumps({"machine": info, "results": results}, indent=2) + "\n",
                                        encoding="utf-8")
    print_table(results, info)
    print(f"\nraw figures: {out / 'benchmark.json'}; command output: {logs}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
