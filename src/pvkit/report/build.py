"""Write the cohort evaluation reports: one HTML and one PDF per workshop with responses."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

from pvkit.atomic import write_atomic
from pvkit.cohort import CohortFile
from pvkit.content.models import Kit
from pvkit.errors import UsageError
from pvkit.report.readers import ReadResult
from pvkit.report.render import ReportInfo, render_html
from pvkit.report.response import EvaluationForm
from pvkit.report.statistics import EvaluationSummary, summarise

__all__ = ["REPORT_FORMATS", "ReportFile", "cohort_forms", "report_path", "write_csv_templates", "write_reports"]

REPORT_FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class ReportFile:
    """One file written."""

    workshop: str
    format: str
    path: Path
    bytes: int
    seconds: float


@dataclass
class ReportsWritten:
    """The files written and the summaries they show, by workshop."""

    files: list[ReportFile] = field(default_factory=list)
    summaries: dict[str, EvaluationSummary] = field(default_factory=dict)


def cohort_forms(cohort: CohortFile, kit: Kit) -> dict[str, EvaluationForm]:
    """The evaluation form of each of the cohort's workshops that has one."""
    forms = {w: EvaluationForm.of(kit, w) for w in cohort.cohort.workshops}
    return {w: f for w, f in forms.items() if f is not None}


def report_path(out_dir: Path, cohort: CohortFile, workshop: str, fmt: str) -> Path:
    """``DIR/<cohort-id>/<workshop>-evaluation.<fmt>``."""
    return Path(out_dir) / cohort.cohort.slug / f"{workshop}-evaluation.{fmt}"


def _cohort_folder(out_dir: Path, cohort: CohortFile) -> Path:
    """``DIR/<cohort-id>``, refused if it is a link (planted there) that leads out of ``DIR``."""
    out_dir = Path(out_dir)
    folder = out_dir / cohort.cohort.slug
    if folder.is_symlink() and not folder.resolve().is_relative_to(out_dir.resolve()):
        raise UsageError(f"{folder} is a link to {folder.resolve()}, outside the output folder; pvkit writes "
                         f"only inside {out_dir}\n  How to fix: remove the link, or choose another output "
                         "folder with -o")
    return folder


def _date_text(cohort: CohortFile) -> str:
    date = cohort.cohort.date
    return f"{date:%A} {date.day} {date:%B %Y}"


def write_reports(
    cohort: CohortFile,
    kit: Kit,
    read: ReadResult,
    out_dir: Path,
    formats: Sequence[str] = REPORT_FORMATS,
    on_file: Optional[Callable[[ReportFile], None]] = None,
) -> ReportsWritten:
    """Summarise ``read``'s responses per workshop and write the reports of workshops that have any.

    Raises
    ------
    PdfUnavailable
        When PDF is asked for and WeasyPrint cannot run (the HTML is written first).
    """
    from pvkit.handouts.pdf import html_to_pdf

    written = ReportsWritten()
    _cohort_folder(out_dir, cohort)
    for workshop, form in cohort_forms(cohort, kit).items():
        mine = [r for r in read.responses if r.workshop == workshop]
        if not mine:
            continue
        summary = summarise(mine, form, cohort.cohort.module_ids(kit, workshop))
        written.summaries[workshop] = summary
        skipped = sum(1 for s in read.skipped if not s.reason.startswith("the same response as"))
        info = ReportInfo(cohort_name=cohort.cohort.name, date_text=_date_text(cohort),
                          agency=cohort.cohort.agency, paper=cohort.cohort.paper, skipped=skipped)
        started = time.perf_counter()
        html = render_html(summary, info, kit)
        for fmt in REPORT_FORMATS:
            if fmt not in formats:
                continue
            data = html.encode("utf-8") if fmt == "html" else html_to_pdf(html)
            path = report_path(out_dir, cohort, workshop, fmt)
            write_atomic(path, data)
            entry = ReportFile(workshop, fmt, path, len(data), round(time.perf_counter() - started, 3))
            written.files.append(entry)
            if on_file:
                on_file(entry)
            started = time.perf_counter()
    return written


def write_csv_templates(cohort: CohortFile, kit: Kit, out_dir: Path) -> list[Path]:
    """Write the CSV layout's header row for each workshop, to type paper forms into."""
    paths = []
    for workshop, form in cohort_forms(cohort, kit).items():
        path = _cohort_folder(out_dir, cohort) / f"{workshop}-evaluation-template.csv"
        columns = form.csv_columns(cohort.cohort.module_ids(kit, workshop))
        write_atomic(path, (",".join(columns) + "\r\n").encode("utf-8"))
        paths.append(path)
    return paths
