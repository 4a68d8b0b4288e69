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
import contextlib
import hashlib
import json
import mimetypes
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

from pvkit import __version__
from pvkit.atomic import write_atomic
from pvkit.cohort import CohortFile
from pvkit.content.models import Kit
from pvkit.errors import BuildError, PvkitError

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


_STOP: Any = None


def _worker_init(stop: Any) -> None:
    """Import the heavy libraries once per worker process; shut its kernels down when it exits.

    Ctrl-C reaches every process of the terminal's process group, the workers too.  A worker
    ignores it between jobs (a worker stopped there would break the pool, with a traceback);
    during a job it stops the job (see :func:`_run_in_worker`).
    """
    import signal
    from multiprocessing import util

    import nbconvert  # noqa: F401
    import papermill  # noqa: F401

    from pvkit.handouts import exporter  # noqa: F401

    global _STOP
    _STOP = stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    util.Finalize(None, _close_kernels, exitpriority=10)  # atexit does not run in pool workers


def _interrupt_once(signum: int, frame: Any) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the job's clean-up short
    raise KeyboardInterrupt


def _run_in_worker(job: Job) -> tuple[list[FileEntry], Optional[Failure], float, float]:
    """:func:`run_job` in a pool worker: Ctrl-C stops the job; after it, queued jobs do not start."""
    import signal

    if _STOP is not None and _STOP.is_set():
        raise JobInterrupted([])
    signal.signal(signal.SIGINT, _interrupt_once)
    try:
        return run_job(job, True)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def held_interrupt() -> Iterator[None]:
    """Hold Ctrl-C until the block ends, then act on it as the handler before would have.

    Used where a step must not be cut in two: a file renamed into place but not yet listed
    would be on disk and missing from the manifest.  Only the main thread can set handlers;
    elsewhere the block runs as it is.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: held.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if held and previous is not signal.SIG_IGN:
            if callable(previous):
                previous(signal.SIGINT, None)
            raise KeyboardInterrupt


class JobInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a job; ``files`` are those it had finished (complete, to list in the manifest)."""

    def __init__(self, files: list[FileEntry]) -> None:
        super().__init__(files)
        self.files = files


def run_job(job: Job, more_to_come: bool = True) -> tuple[list[FileEntry], Optional[Failure], float, float]:
    """Execute one workbook and write its handouts; return files, failure, execute and export seconds.

    Every failure of the job (a cell error, a dead or hung kernel, a file that cannot be
    written) comes back as a :class:`Failure` whose text says what to do.
    """
    files: list[FileEntry] = []
    try:
        return _run_job(job, more_to_come, files)
    except KeyboardInterrupt as exc:
        _scratch(job).unlink(missing_ok=True)  # the notebook papermill was writing: never complete
        raise JobInterrupted(files) from exc
    except _WriteFailed as exc:
        return files, Failure(job.cohort_id, job.workshop, str(exc)), 0.0, 0.0
    except OSError as exc:  # creating a folder, removing a leftover
        return files, Failure(job.cohort_id, job.workshop, cannot_write(Path(exc.filename or job.options.out_dir), exc)), 0.0, 0.0


class _WriteFailed(Exception):
    """An output file could not be written; the message names it, the reason and the fix."""


def cannot_write(path: Path, exc: OSError) -> str:
    """What to tell a user when ``path`` could not be written because of ``exc``."""
    import errno

    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = "free some space on that disk, or choose an output folder on another disk with -o DIR"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        hint = "make the folder writable for you, or choose another output folder with -o DIR"
    elif exc.errno in (errno.ENOTDIR, errno.EEXIST):
        hint = "a file stands where pvkit needs a folder: move it away, or choose another output folder with -o DIR"
    else:
        hint = "check the output folder, or choose another one with -o DIR"
    return f"could not write {path}: {reason}\n  How to fix: {hint}; then run the same command again"


def _run_job(job: Job, more_to_come: bool, files: list[FileEntry]) -> tuple[list[FileEntry], Optional[Failure], float, float]:
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    from pvkit.handouts.execute import CellTimedOut, KernelDied, execute, shutdown
    from pvkit.handouts.preprocessors import DropModulesNotRun

    out = job.options.out_dir
    folder = out / job.cohort_id
    escape = _escapes(out, folder, folder / "executed")
    if escape is not None:
        return files, Failure(job.cohort_id, job.workshop, escape), 0.0, 0.0

    def record(variant: str, fmt: str, path: Path, data: bytes, seconds: float) -> None:
        with held_interrupt():  # a file on disk is always in ``files``, so the manifest lists it
            try:
                write_atomic(path, data)
            except OSError as exc:
                raise _WriteFailed(cannot_write(path, exc)) from exc
            files.append(FileEntry(job.cohort_id, job.workshop, variant, fmt, path.relative_to(out).as_posix(),
                                   hashlib.sha256(data).hexdigest(), len(data), round(seconds, 3)))

    # Leftovers of an interrupted earlier run of this job: never complete files, safe to remove.
    for stale in (*folder.glob(f".{job.workshop}-*.part"), *folder.glob(f"executed/.{job.workshop}.ipynb.*.part"),
                  *folder.glob(f"executed/.running-{job.workshop}.ipynb")):
        stale.unlink(missing_ok=True)
    source = nbformat.read(job.notebook, as_version=4)
    workbook_cells = list(source.cells)  # numbered as the author sees them, before modules are dropped
    source, _ = DropModulesNotRun(modules=list(job.modules))(source, {})
    executed_path = folder / "executed" / f"{job.workshop}.ipynb"
    executed_path.parent.mkdir(parents=True, exist_ok=True)
    scratch = _scratch(job)
    started = time.perf_counter()
    km = _kernels(job).take(prepare_next=more_to_come)
    try:
        nb = execute(source, scratch, job.parameters, km, timeout=job.options.timeout)
    except PapermillExecutionError as exc:
        os.replace(scratch, executed_path)  # kept, with papermill's error banner, for audit
        failed = _failed_cell(executed_path)
        return files, Failure(job.cohort_id, job.workshop,
                              _cell_error(job, exc, _cell_number(workbook_cells, failed), executed_path, out)), 0.0, 0.0
    except KernelDied as exc:
        return files, Failure(job.cohort_id, job.workshop,
                              _kernel_died(job, _cell_number(workbook_cells, exc.cell))), 0.0, 0.0
    except CellTimedOut as exc:
        return files, Failure(job.cohort_id, job.workshop,
                              _timed_out(job, _cell_number(workbook_cells, exc.cell))), 0.0, 0.0
    except Exception as exc:  # noqa: BLE001 - a kernel that would not start: reported per job
        if scratch.exists():
            os.replace(scratch, executed_path)
        return files, Failure(job.cohort_id, job.workshop,
                              f"could not run workbooks/{job.workshop}.ipynb: {exc}\n"
                              "  How to fix: run the same command again; if it fails again, run it with "
                              "--debug and report the output"), 0.0, 0.0
    finally:
        shutdown(km)  # also stops a kernel whose cell hangs
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


def _scratch(job: Job) -> Path:
    """Where papermill writes the notebook while it runs (renamed or removed when the run ends)."""
    return job.options.out_dir / job.cohort_id / "executed" / f".running-{job.workshop}.ipynb"


def _escapes(out: Path, *folders: Path) -> Optional[str]:
    """Why writing into ``folders`` would leave ``out`` (a link planted there), or None."""
    top = out.resolve()
    for folder in folders:
        if folder.is_symlink() or (folder.exists() and not folder.resolve().is_relative_to(top)):
            return (f"{folder} is a link to {folder.resolve()}, outside the output folder; pvkit writes only "
                    f"inside {out}. Remove the link, or choose another output folder with -o")
    return None


def _failed_cell(executed: Path) -> Any:
    """The cell papermill marked as failed in the executed notebook it wrote, or None."""
    import nbformat

    try:
        nb = nbformat.read(executed, as_version=4)
    except (OSError, ValueError):
        return None
    return next((c for c in nb.cells if c.metadata.get("papermill", {}).get("exception")), None)


def _cell_number(workbook_cells: list[Any], cell: Any) -> Optional[int]:
    """The 1-based number in the workbook of an executed ``cell`` (by cell id, else by its source)."""
    if cell is None:
        return None
    if cell.get("id"):
        for number, c in enumerate(workbook_cells, start=1):
            if c.get("id") == cell.get("id"):
                return number
    for number, c in enumerate(workbook_cells, start=1):
        if c.cell_type == cell.cell_type and c.source == cell.source:
            return number
    return None


def _cell_text(number: Optional[int]) -> str:
    return f"cell {number}" if number is not None else "a cell"


def _cell_error(job: Job, exc: Any, number: Optional[int], executed: Path, out: Path) -> str:
    count = f" (In [{exc.exec_count}])" if getattr(exc, "exec_count", None) else ""
    return (f"{_cell_text(number)}{count} of workbooks/{job.workshop}.ipynb raised {exc.ename}: {exc.evalue}. "
            f"The executed notebook, with the error, is in {executed.relative_to(out).as_posix()}.")


def _kernel_died(job: Job, number: Optional[int]) -> str:
    return (f"the Python kernel died while running {_cell_text(number)} of workbooks/{job.workshop}.ipynb "
            "(the cell ended Python, or the system stopped the kernel, for example when memory ran out)\n"
            "  How to fix: check that cell and the free memory, then run the same command again")


def _timed_out(job: Job, number: Optional[int]) -> str:
    return (f"{_cell_text(number)} of workbooks/{job.workshop}.ipynb ran longer than {job.options.timeout} seconds "
            "and was stopped\n"
            "  How to fix: if the cell needs that long, raise the limit with --timeout SECONDS; "
            "otherwise fix the cell so that it finishes")


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
    already running finish).  A job's failure (a cell error, a dead or hung
    kernel, a file that cannot be written) is a :class:`Failure` in the result.

    Raises
    ------
    KeyboardInterrupt
        When interrupted (Ctrl-C), after writing the manifest of the files finished.
    BuildError
        When the output folder or ``manifest.json`` cannot be written.
    """
    from pvkit.content import bundle

    out = Path(options.out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for stale in out.glob(".manifest.json.*.part"):
            stale.unlink(missing_ok=True)
    except OSError as exc:
        raise BuildError(cannot_write(out, exc)) from exc
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
                except JobInterrupted as exc:
                    collect(exc.files, None, 0.0, 0.0)
                    raise
                finally:
                    _close_kernels()
            else:
                _run_pool(jobs, options, collect, result)
        finally:
            result.seconds = time.perf_counter() - started
            try:
                write_manifest(out, result)
            except OSError as exc:
                manifest_error: Optional[OSError] = exc
            else:
                manifest_error = None
    if manifest_error is not None:
        raise BuildError(cannot_write(out / "manifest.json", manifest_error)) from manifest_error
    return result


def _run_pool(jobs: list[Job], options: BuildOptions, collect: Callable[..., None], result: BuildResult) -> None:
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool

    workers = min(options.jobs, len(jobs))
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init,
                                initargs=(stop,)) as pool:
        # Each worker keeps one warm kernel ready for its next job (which one gets a job is the
        # pool's choice), so a worker ends with one spare kernel, shut down when it exits.
        futures = {pool.submit(_run_in_worker, job): job for job in jobs}
        pending = set(futures)
        try:
            for future in cf.as_completed(futures):
                with held_interrupt():  # collected whole, or left pending for the clean-up below
                    pending.discard(future)
                    try:
                        collect(*future.result())
                    except BrokenProcessPool:
                        job = futures[future]
                        collect([], Failure(job.cohort_id, job.workshop, _WORKER_DIED), 0.0, 0.0)
                if result.failures and not options.keep_going:
                    for f in futures:
                        f.cancel()
        except KeyboardInterrupt as exc:
            # The workers had Ctrl-C too: their jobs stop soon.  List what those jobs had finished.
            stop.set()
            if isinstance(exc, JobInterrupted):  # a worker's job reported its interruption first
                collect(exc.files, None, 0.0, 0.0)
            for f in pending:
                f.cancel()
            for f in pending:
                if f.cancelled():
                    continue
                try:
                    collect(*f.result(timeout=120))
                except JobInterrupted as exc:
                    collect(exc.files, None, 0.0, 0.0)
                except BaseException:  # noqa: BLE001 - a job that failed otherwise: its files are not known
                    pass
            raise


_WORKER_DIED = ("not built: a worker process of the batch stopped unexpectedly (it was killed, for example "
                "when memory ran out), and the jobs it had not finished stopped with it\n"
                "  How to fix: run the same command again; with less memory in use, or a smaller -j")


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
