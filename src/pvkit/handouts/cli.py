"""``pvkit handouts`` and ``pvkit demo``: validate, build with progress, summarise."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence, TextIO

from pvkit.errors import UsageError

__all__ = ["run_handouts"]


def run_handouts(root: Path, cohort_paths: Sequence[Path], args: argparse.Namespace, out: TextIO) -> int:
    """Validate every cohort file first (nothing runs if one is invalid), then build."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pvkit.cohort import load_cohorts
    from pvkit.handouts.build import (
        FORMATS,
        VARIANT_NAMES,
        BuildOptions,
        build_handouts,
        parse_list,
    )
    from pvkit.kitfolder import validate_kit

    if args.jobs < 1:
        raise UsageError("-j must be 1 or more\n  How to fix: pass -j 1 for one worker, or leave it out")
    formats = parse_list(args.format, FORMATS, "format")
    variants = parse_list(args.variant, VARIANT_NAMES, "variant")
    report = validate_kit(root, cohort_paths)  # raises ContentError with every problem
    cohorts = load_cohorts(cohort_paths, report.kit)
    options = BuildOptions(out_dir=Path(args.output), formats=formats, variants=variants,
                           jobs=args.jobs, keep_going=args.keep_going)
    per_job = len(variants) * len(formats) + 1
    total = sum(len(c.cohort.workshops) for c in cohorts) * per_job
    console = Console(file=sys.stderr, highlight=False, soft_wrap=True)  # never break paths or hints
    with Progress(TextColumn("building handouts"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task("build", total=total)

        def on_file(entry) -> None:  # type: ignore[no-untyped-def]
            progress.advance(task)
            console.print(f"wrote {options.out_dir / entry.path} ({entry.bytes:,} bytes, {entry.seconds:.1f} s)")

        def on_failure(failure) -> None:  # type: ignore[no-untyped-def]
            progress.advance(task, per_job)
            console.print(f"error: cohort {failure.cohort}, workshop {failure.workshop}: {failure.error}")

        result = build_handouts(cohorts, report.kit, root, options, on_file=on_file, on_failure=on_failure)
    built = {(f.cohort, f.workshop) for f in result.files if f.variant != "executed"}
    print(
        f"built {len(result.files)} files for {len(built)} cohort-workshops in {result.seconds:.1f} s "
        f"into {options.out_dir}/ (manifest.json); {len(result.failures)} failed",
        file=out,
    )
    if result.failures and not args.keep_going:
        print("  stopped at the first failure; pass --keep-going to build the rest", file=out)
    return result.exit_code
