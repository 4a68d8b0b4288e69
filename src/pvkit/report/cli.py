"""``pvkit report``: read learners' evaluation responses and write the cohort's report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from pvkit.errors import UsageError

__all__ = ["run_report"]


def run_report(root: Path, args: argparse.Namespace, out: TextIO) -> int:
    """Validate the cohort, read every response (bad ones listed on stderr and skipped), write reports.

    Exit codes: 0 written (even if some files were skipped); 1 PDF could not be made;
    2 bad cohort, usage, or no valid response at all.
    """
    from pvkit.cohort import load_cohorts
    from pvkit.handouts.build import parse_list
    from pvkit.kitfolder import validate_kit
    from pvkit.report.build import REPORT_FORMATS, cohort_forms, write_csv_templates, write_reports
    from pvkit.report.readers import read_responses

    formats = parse_list(args.format, REPORT_FORMATS, "format")
    kit = validate_kit(root, [args.cohort]).kit  # raises ContentError with every problem
    cohort = load_cohorts([args.cohort], kit)[0]
    forms = cohort_forms(cohort, kit)
    if not forms:
        raise UsageError(f"{args.cohort}: none of this cohort's workshops ({', '.join(cohort.cohort.workshops)}) "
                         "has an evaluation exercise\n  How to fix: add an exercise of kind 'evaluation' to the "
                         "workshop (see docs/content-format.md)")
    if args.csv_template:
        for path in write_csv_templates(cohort, kit, args.output):
            print(f"wrote {path}: type one paper form per row under this header", file=out)
        return 0
    if not args.responses:
        raise UsageError("no response files given\n  How to fix: pvkit report COHORT.yaml RESPONSES... "
                         "(JSON or CSV files, or a folder of them)")
    err = getattr(args, "stderr", sys.stderr)
    read = read_responses(args.responses, forms)
    for skipped in read.skipped:
        print(f"skipped: {skipped}", file=err)
    for note in read.notes:
        print(f"note: {note}", file=err)
    if not read.responses:
        raise UsageError(f"no valid response among the {len(read.skipped)} file(s) or row(s) given: nothing to "
                         "report\n  How to fix: check the files listed above; responses must be pvkit evaluation "
                         "files or rows of the CSV layout (see the README)")

    def on_file(entry) -> None:  # type: ignore[no-untyped-def]
        print(f"wrote {entry.path} ({entry.bytes:,} bytes, {entry.seconds:.1f} s)", file=out)

    written = write_reports(cohort, kit, read, args.output, formats, on_file=on_file)
    for workshop in forms:
        summary = written.summaries.get(workshop)
        if summary is None:
            print(f"{workshop}: no responses; no report written", file=out)
        else:
            print(f"{workshop}: {summary.n} response(s) counted; {summary.suppressed} small group(s) "
                  "suppressed for anonymity", file=out)
    if read.skipped:
        print(f"{len(read.skipped)} file(s) or row(s) skipped, not counted (listed on stderr)", file=out)
    return 0
