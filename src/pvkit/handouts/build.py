"""The handout batch: cohort files in, HTML and PDF handouts and a manifest out.

For every (cohort, workshop) the workbook runs once with papermill
(``render="handout"``, ``audience="facilitator"``); both variants are derived
from that one executed notebook by nbconvert; PDF comes from the HTML via
WeasyPrint.  Work is spread over ``jobs`` worker processes, each with its own
warm kernels.  Every file is written under a temporary name and renamed when
complete, so a file exists only whole.
"""

from __future__ import annotations

import base64
import concurrent.futures as cf
import hashlib
import json
import mimetypes
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence

from pvkit import __version__
from pvkit.atomic import write_atomic
from pvkit.cohort import CohortFile
from pvkit.content.models import Kit
from pvkit.errors import PvkitError

__all__ = ["BuildOptions", "BuildResult", "FileEntry", "Failure", "Job", "build_handouts", "write_atomic"]

FORMATS = ("html", "pdf")
VARIANT_NAMES = ("learner", "facilitator")


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    out_dir: Path
    formats: tuple[str, ...] = FORMATS
    variants: tuple[str, ...] = VARIANT_NAMES
    jobs: int = 1
    keep_going: bool = False
    timeout: int = 300


@dataclass(frozen=True)
class Job:
    """One (cohort, workshop) to execute and export; everything a worker process needs."""

    cohort_id: str
    workshop: str
    notebook: Path
    parameters: dict[str, Any]
    context: dict[str, Any]
    modules: tuple[str, ...]
    options: BuildOptions
    bundle: Path


@dataclass(frozen=True)
class FileEntry:
    """One written file, as the manifest lists it."""

    cohort: str
    workshop: str
    variant: str
    format: str
    path: str
    sha256: str
    bytes: int
    seconds: float


@dataclass(frozen=True)
class Failure:
    """A (cohort, workshop) whose handouts were not built, and why."""

    cohort: str
    workshop: str
    error: str


@dataclass
class BuildResult:
    """Files written and failures, in job order."""

    files: list[FileEntry] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    execute_seconds: float = 0.0
    export_seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 when everything was built, 1 when something failed."""
        return 1 if self.failures else 0


# --------------------------------------------------------------------------
# Planning (parent process)


def _date_text(date: Any) -> str:
    return f"{date:%A} {date.day} {date:%B %Y}"


def _logo_data_uri(path: Optional[Path]) -> str:
    if path is None:
        return ""
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _context(item: CohortFile, kit: Kit, workshop_id: str) -> dict[str, Any]:
    """The cover and contents of one handout (the same for both variants)."""
    from pvkit.links import Link, binder_url, hub_url
    from pvkit.widgets.html import citation_label

    c = item.cohort
    workshop = kit.workshop(workshop_id)
    modules = c.module_ids(kit, workshop_id)
    breaks = c.breaks.get(workshop_id, ())
    path = f"learner/{workshop_id}.ipynb"
    links = []
    if c.binder is not None:
        links.append(Link("Open the workbook on Binder", binder_url(c.binder.repo, c.binder.ref, path)))
        if c.hub:
            links.append(Link("Open the workbook on your JupyterHub", hub_url(c.hub, c.binder.repo, c.binder.ref, path)))
    return {
        "version": __version__,
        "title": f"{workshop.title} - {c.name}",
        "workshop_title": workshop.title,
        "cohort_name": c.name,
        "agency": c.agency,
        "date_text": _date_text(c.date),
        "start": c.start,
        "facilitators": ", ".join(c.facilitators),
        "support": c.support or "Ask your facilitator or your service about support. In a crisis, contact local emergency services.",
        "minutes": sum(workshop.module(m).minutes for m in modules),
        "break_minutes": sum(b.minutes for b in breaks if b.after in modules),
        "toc": [{"id": m, "title": workshop.module(m).title, "minutes": workshop.module(m).minutes} for m in modules],
        "links": [{"label": link.label, "url": link.url, "qr_svg": link.qr_svg} for link in links],
        "review_date": workshop.review_date,
        "logo": _logo_data_uri(item.logo_path),
        "paper": c.paper,
        "citation_labels": {r.key: citation_label(r.authors, r.year, r.label) for r in kit.references},
    }


def _parameters(item: CohortFile, kit: Kit, workshop_id: str, links: list[dict[str, str]]) -> dict[str, Any]:
    c = item.cohort
    modules = c.module_ids(kit, workshop_id)
    urls = {link["label"]: link["url"] for link in links}
    return {
        "workshop": workshop_id,
        "render": "handout",
        "audience": "facilitator",
        "cohort_name": c.name,
        "agency": c.agency,
        "date": c.date.isoformat(),
        "start": c.start,
        "facilitators": list(c.facilitators),
        "modules": list(modules) if c.modules.get(workshop_id) else [],
        "breaks": [{"after": b.after, "minutes": b.minutes} for b in c.breaks.get(workshop_id, ())],
        "support": c.support,
        "binder_url": urls.get("Open the workbook on Binder", ""),
        "hub_url": urls.get("Open the workbook on your JupyterHub", ""),
    }


def plan_jobs(cohorts: Sequence[CohortFile], kit: Kit, root: Path, options: BuildOptions, bundle: Path) -> list[Job]:
    """One job per (cohort, workshop), in the order given."""
    jobs = []
    for item in cohorts:
        for workshop_id in item.cohort.workshops:
            context = _context(item, kit, workshop_id)
            jobs.append(Job(
                cohort_id=item.cohort.slug,
                workshop=workshop_id,
                notebook=root / "workbooks" / f"{workshop_id}.ipynb",
                parameters=_parameters(item, kit, workshop_id, context["links"]),
                context=context,
                modules=item.cohort.module_ids(kit, workshop_id),
                options=options,
                bundle=bundle,
            ))
    return jobs


# --------------------------------------------------------------------------
# Running one job (worker process, or in-process when jobs == 1)

_KERNELS: Any = None


def _kernels(job: Job) -> Any:
    """This process's warm kernels (created on first use, closed at exit)."""
    global _KERNELS
    if _KERNELS is None:
        import atexit

        from pvkit.handouts.execute import WarmKernels

        _KERNELS = WarmKernels(job.notebook.parent, env={"PVKIT_CONTENT": str(job.bundle)})
        atexit.register(_KERNELS.close)
    return _KERNELS


_EXPORTERS: dict[str, Any] = {}


def _exporter(variant: str) -> Any:
    """One exporter per variant and process: compiling its templates costs about 0.2 s."""
    from pvkit.handouts.exporter import HandoutExporter

    if variant not in _EXPORTERS:
        _EXPORTERS[variant] = HandoutExporter(variant=variant)
    return _EXPORTERS[variant]


def _close_kernels() -> None:
    global _KERNELS
    if _KERNELS is not None:
        _KERNELS.close()
        _KERNELS = None


def _worker_init() -> None:
    """Import the heavy libraries once per worker process; shut its kernels down when it exits."""
    from multiprocessing import util

    import nbconvert  # noqa: F401
    import papermill  # noqa: F401

    from pvkit.handouts import exporter  # noqa: F401

    util.Finalize(None, _close_kernels, exitpriority=10)  # atexit does not run in pool workers


def run_job(job: Job, more_to_come: bool = True) -> tuple[list[FileEntry], Optional[Failure], float, float]:
    """Execute one workbook and write its handouts; return files, failure, execute and export seconds."""
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    from pvkit.handouts.execute import execute, shutdown
    from pvkit.handouts.preprocessors import DropModulesNotRun

    out = job.options.out_dir
    folder = out / job.cohort_id
    files: list[FileEntry] = []
    escape = _escapes(out, folder, folder / "executed")
    if escape is not None:
        return files, Failure(job.cohort_id, job.workshop, escape), 0.0, 0.0

    def record(variant: str, fmt: str, path: Path, data: bytes, seconds: float) -> None:
        write_atomic(path, data)
        files.append(FileEntry(job.cohort_id, job.workshop, variant, fmt, path.relative_to(out).as_posix(),
                               hashlib.sha256(data).hexdigest(), len(data), round(seconds, 3)))

    # Leftovers of an interrupted earlier run of this job: never complete files, safe to remove.
    for stale in (*folder.glob(f".{job.workshop}-*.part"), *folder.glob(f"executed/.{job.workshop}.ipynb.*.part"),
                  *folder.glob(f"executed/.running-{job.workshop}.ipynb")):
        stale.unlink(missing_ok=True)
    source = nbformat.read(job.notebook, as_version=4)
    source, _ = DropModulesNotRun(modules=list(job.modules))(source, {})
    executed_path = folder / "executed" / f"{job.workshop}.ipynb"
    executed_path.parent.mkdir(parents=True, exist_ok=True)
    scratch = executed_path.with_name(f".running-{executed_path.name}")
    started = time.perf_counter()
    km = _kernels(job).take(prepare_next=more_to_come)
    try:
        nb = execute(source, scratch, job.parameters, km, timeout=job.options.timeout)
    except PapermillExecutionError as exc:
        os.replace(scratch, executed_path)  # kept, with papermill's error banner, for audit
        return files, Failure(job.cohort_id, job.workshop, _cell_error(job, exc, executed_path, out)), 0.0, 0.0
    except Exception as exc:  # noqa: BLE001 - a dead kernel, a timeout: reported per job
        if scratch.exists():
            os.replace(scratch, executed_path)
        return files, Failure(job.cohort_id, job.workshop, f"execution failed: {type(exc).__name__}: {exc}"), 0.0, 0.0
    finally:
        shutdown(km)
    execute_seconds = time.perf_counter() - started
    from pvkit.handouts.preprocessors import StripExecutionMetadata

    clean, _ = StripExecutionMetadata()(nb, {})
    data = (nbformat.writes(clean) + "\n").encode("utf-8")
    record("executed", "ipynb", executed_path, data, execute_seconds)
    scratch.unlink(missing_ok=True)

    from pvkit.handouts.pdf import PdfUnavailable, html_to_pdf

    export_seconds = 0.0
    failure = None
    for variant in job.options.variants:
        t0 = time.perf_counter()
        html, _ = _exporter(variant).from_notebook_node(nb, {"pvkit": job.context})
        html_bytes = html.encode("utf-8")
        t1 = time.perf_counter()
        export_seconds += t1 - t0
        if "html" in job.options.formats:
            record(variant, "html", folder / f"{job.workshop}-{variant}.html", html_bytes, t1 - t0)
        if "pdf" in job.options.formats and failure is None:
            try:
                pdf = html_to_pdf(html)
            except PdfUnavailable as exc:  # HTML still builds; the failure says what to install
                failure = Failure(job.cohort_id, job.workshop, str(exc))
                continue
            record(variant, "pdf", folder / f"{job.workshop}-{variant}.pdf", pdf, time.perf_counter() - t1)
    return files, failure, execute_seconds, export_seconds


def _escapes(out: Path, *folders: Path) -> Optional[str]:
    """Why writing into ``folders`` would leave ``out`` (a link planted there), or None."""
    top = out.resolve()
    for folder in folders:
        if folder.is_symlink() or (folder.exists() and not folder.resolve().is_relative_to(top)):
            return (f"{folder} is a link to {folder.resolve()}, outside the output folder; pvkit writes only "
                    f"inside {out}. Remove the link, or choose another output folder with -o")
    return None


def _cell_error(job: Job, exc: Any, executed: Path, out: Path) -> str:
    cell = f"cell {exc.cell_index + 1}" if getattr(exc, "cell_index", None) is not None else "a cell"
    count = f" (In [{exc.exec_count}])" if getattr(exc, "exec_count", None) else ""
    return (f"{cell}{count} of workbooks/{job.workshop}.ipynb raised {exc.ename}: {exc.evalue}. "
            f"The executed notebook, with the error, is in {executed.relative_to(out).as_posix()}.")


# --------------------------------------------------------------------------
# The batch


def build_handouts(
    cohorts: Sequence[CohortFile],
    kit: Kit,
    root: Path,
    options: BuildOptions,
    on_file: Callable[[FileEntry], None] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
) -> BuildResult:
    """Build every requested handout for ``cohorts``; write ``manifest.json`` last.

    Without ``keep_going`` the first failure stops the remaining jobs (those
    already running finish).  Raises ``KeyboardInterrupt`` after writing the
    manifest of what was finished, when interrupted.
    """
    from pvkit.content import bundle

    out = Path(options.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(".manifest.json.*.part"):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    result = BuildResult()
    with tempfile.TemporaryDirectory(prefix="pvkit-build-") as tmp:
        bundle_path = Path(tmp) / "pvkit-content.json"
        bundle_path.write_text(bundle.dumps(kit), encoding="utf-8")
        jobs = plan_jobs(cohorts, kit, Path(root), options, bundle_path)

        def collect(files: list[FileEntry], failure: Optional[Failure], ex: float, exp: float) -> None:
            result.execute_seconds += ex
            result.export_seconds += exp
            for entry in files:
                result.files.append(entry)
                if on_file:
                    on_file(entry)
            if failure is not None:
                result.failures.append(failure)
                if on_failure:
                    on_failure(failure)

        try:
            if options.jobs <= 1 or len(jobs) <= 1:
                try:
                    for i, job in enumerate(jobs):
                        collect(*run_job(job, more_to_come=i + 1 < len(jobs)))
                        if result.failures and not options.keep_going:
                            break
                finally:
                    _close_kernels()
            else:
                _run_pool(jobs, options, collect, result)
        finally:
            result.seconds = time.perf_counter() - started
            write_manifest(out, result)
    return result


def _run_pool(jobs: list[Job], options: BuildOptions, collect: Callable[..., None], result: BuildResult) -> None:
    import multiprocessing

    workers = min(options.jobs, len(jobs))
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init) as pool:
        # Each worker keeps one warm kernel ready for its next job (which one gets a job is the
        # pool's choice), so a worker ends with one spare kernel, shut down when it exits.
        futures = [pool.submit(run_job, job, True) for job in jobs]
        try:
            for future in cf.as_completed(futures):
                collect(*future.result())
                if result.failures and not options.keep_going:
                    for f in futures:
                        f.cancel()
        except BaseException:
            for f in futures:
                f.cancel()
            raise


def write_manifest(out: Path, result: BuildResult) -> None:
    """``manifest.json``: the files this run wrote and the failures, sorted for stable output."""
    files = sorted((asdict(f) for f in result.files), key=lambda f: f["path"])
    failures = [asdict(f) for f in result.failures]
    data = json.dumps({"files": files, "failures": failures}, indent=2, ensure_ascii=False) + "\n"
    write_atomic(out / "manifest.json", data.encode("utf-8"))


def parse_list(value: str, allowed: Iterable[str], what: str) -> tuple[str, ...]:
    """Parse ``--format html,pdf`` style options; unknown values are a usage error."""
    items = tuple(v.strip() for v in value.split(",") if v.strip())
    allowed = tuple(allowed)
    bad = [v for v in items if v not in allowed]
    if bad or not items:
        raise PvkitError(f"--{what} {value!r} is not valid\n  How to fix: use a comma-separated list of: {', '.join(allowed)}")
    return tuple(dict.fromkeys(items))
