"""``pvkit handouts`` and ``pvkit demo``: validate, build with progress, summarise."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Sequence, TextIO

from pvkit.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from pvkit.cohort import CohortFile
    from pvkit.content.models import Kit
    from pvkit.handouts.build import BuildOptions, BuildResult, Failure, FileEntry

__all__ = ["run_handouts"]


def run_handouts(root: Path, cohort_paths: Sequence[Path], args: argparse.Namespace, out: TextIO) -> int:
    """Validate every cohort file first (nothing runs if one is invalid), then build."""
    from rich.console import Console

    from pvkit.cohort import load_cohorts
    from pvkit.handouts.build import FORMATS, VARIANT_NAMES, BuildOptions, parse_list
    from pvkit.kitfolder import validate_kit

    if args.jobs < 1:
        raise UsageError("-j must be 1 or more\n  How to fix: pass -j 1 for one worker, or leave it out")
    if args.timeout < 1:
        raise UsageError(f"--timeout must be 1 second or more, not {args.timeout}\n"
                         "  How to fix: pass the longest time one workbook cell may run, e.g. --timeout 300, "
                         "or leave it out")
    formats = parse_list(args.format, FORMATS, "format")
    variants = parse_list(args.variant, VARIANT_NAMES, "variant")
    _check_output_folder(Path(args.output))
    report = validate_kit(root, cohort_paths)  # raises ContentError with every problem
    cohorts = load_cohorts(cohort_paths, report.kit)
    options = BuildOptions(out_dir=Path(args.output), formats=formats, variants=variants,
                           jobs=args.jobs, keep_going=args.keep_going, timeout=args.timeout)
    per_job = len(variants) * len(formats) + 1
    total = sum(len(c.cohort.workshops) for c in cohorts) * per_job
    console = Console(file=getattr(args, "stderr", sys.stderr), highlight=False, soft_wrap=True)  # never break paths or hints
    written: list[FileEntry] = []  # as they are written: what an interrupted build finished
    try:
        result = _build(cohorts, report.kit, root, options, console, total, per_job, written)
    except KeyboardInterrupt:
        done = Counter((f.cohort, f.workshop) for f in written)
        complete = sum(1 for n in done.values() if n == per_job)
        print(f"interrupted: {len(written)} files written, {complete} of {total // per_job} cohort-workshops "
              f"complete, listed in {options.out_dir}/manifest.json; no half-written file was left\n"
              "  To finish: run the same command again (it builds the whole batch)", file=out)
        return 130
    built = {(f.cohort, f.workshop) for f in result.files if f.variant != "executed"}
    print(
        f"built {len(result.files)} files for {len(built)} cohort-workshops in {result.seconds:.1f} s "
        f"into {options.out_dir}/ (manifest.json); {len(result.failures)} failed",
        file=out,
    )
    if result.failures and not args.keep_going:
        print("  stopped at the first failure; pass --keep-going to build the rest", file=out)
    return result.exit_code


def _check_output_folder(output: Path) -> None:
    """-o must name a folder, or a path where one can be made: a file there is a usage error."""
    for path in (output, *output.parents):
        if path.exists():
            if not path.is_dir():
                raise UsageError(f"the output folder {output} cannot be made: {path} is a file, not a folder\n"
                                 "  How to fix: choose another output folder with -o DIR, or move the file away")
            return


def _build(cohorts: Sequence[CohortFile], kit: Kit, root: Path, options: BuildOptions, console: Console,
           total: int, per_job: int, written: list[FileEntry]) -> BuildResult:
    """build_handouts with a progress bar (on a terminal) and a line per file and failure."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pvkit.handouts.build import build_handouts

    with Progress(TextColumn("building handouts"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task("build", total=total)

        def on_file(entry: FileEntry) -> None:
            written.append(entry)
            progress.advance(task)
            console.print(f"wrote {options.out_dir / entry.path} ({entry.bytes:,} bytes, {entry.seconds:.1f} s)")

        def on_failure(failure: Failure) -> None:
            progress.advance(task, per_job)
            console.print(f"error: cohort {failure.cohort}, workshop {failure.workshop}: {failure.error}")

        return build_handouts(cohorts, kit, root, options, on_file=on_file, on_failure=on_failure)
