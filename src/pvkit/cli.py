"""The ``pvkit`` command: parse argv, call one API function, map errors to exit codes.

Exit codes: 0 success; 1 some build failed; 2 bad input or usage; 130 interrupted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Callable, Sequence, TextIO

from pvkit import __version__
from pvkit.errors import ContentError, PvkitError, UsageError

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so ``main`` maps usage errors to exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}\n  How to fix: see '{self.prog} --help'")


def _parser() -> argparse.ArgumentParser:
    def common_options(defaults: bool) -> argparse.ArgumentParser:
        # Subcommands repeat --root and --debug with suppressed defaults, so that
        # `pvkit --root DIR validate` and `pvkit validate --root DIR` both work.
        common = argparse.ArgumentParser(add_help=False)
        common.add_argument("--root", type=Path, default=None if defaults else argparse.SUPPRESS, metavar="DIR",
                            help="the kit folder (default: the current directory or its nearest parent "
                                 "with exercises/)")
        common.add_argument("--debug", action="store_true", default=False if defaults else argparse.SUPPRESS,
                            help="show tracebacks for errors")
        return common

    common = common_options(defaults=False)
    parser = _Parser(prog="pvkit", description="Workbooks, exercises and handouts for Polyvagal Theory workshops.",
                     parents=[common_options(defaults=True)])
    parser.add_argument("--version", action="version", version=f"pvkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("validate", parents=[common], help="check the kit's content, workbooks and cohort files")
    p.add_argument("cohorts", nargs="*", type=Path, metavar="COHORT.yaml")

    p = sub.add_parser("list", parents=[common], help="list workshops, modules and exercises")
    p.add_argument("--json", action="store_true", help="print one JSON object for scripts")

    def handout_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("-o", "--output", type=Path, default=Path("handouts"), metavar="DIR",
                       help="output folder (default: handouts/)")
        p.add_argument("--format", default="html,pdf", help="html, pdf or html,pdf (default: both)")
        p.add_argument("--variant", default="learner,facilitator",
                       help="learner, facilitator or both (default: both)")
        p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                       help="worker processes (default: the number of CPUs)")
        p.add_argument("--keep-going", action="store_true", help="build the other cohorts when one fails")
        p.add_argument("--timeout", type=int, default=300, metavar="SECONDS",
                       help="stop a workbook cell that runs longer than this (default: 300)")

    p = sub.add_parser("handouts", parents=[common], help="build learner handouts and facilitator guides")
    p.add_argument("cohorts", nargs="*", type=Path, metavar="COHORT.yaml",
                   help="cohort files (default: cohorts/demo.yaml)")
    handout_options(p)

    p = sub.add_parser("demo", parents=[common], help="build the handouts of the demo cohort")
    handout_options(p)

    p = sub.add_parser("release", parents=[common],
                       help="write the learner notebooks and their content bundle (for Binder, a hub, JupyterLite)")
    p.add_argument("-o", "--output", type=Path, default=Path("learner"), metavar="DIR",
                   help="output folder (default: learner/)")

    p = sub.add_parser("lite", parents=[common],
                       help="build an offline JupyterLite site of the learner workbooks (no server needed)")
    p.add_argument("-o", "--output", type=Path, default=Path("lite"), metavar="DIR",
                   help="output folder (default: lite/); an earlier site there is replaced once the new one is "
                        "complete, and any other non-empty folder is refused")

    p = sub.add_parser("links", parents=[common], help="Binder and JupyterHub links, with QR codes, for learners")
    p.add_argument("--repo", metavar="OWNER/NAME", help="the GitHub repository the kit is published from")
    p.add_argument("--lite", metavar="URL", help="where a site built by 'pvkit lite' is hosted")
    p.add_argument("--ref", default="main", help="branch or tag (default: main)")
    p.add_argument("--hub", metavar="URL", help="your JupyterHub, for nbgitpuller links")
    p.add_argument("-o", "--output", type=Path, default=Path("links"), metavar="DIR",
                   help="folder for the QR code SVG files (default: links/)")

    p = sub.add_parser("present", parents=[common], help="serve a workbook with Voila (code hidden, widgets live)")
    p.add_argument("workshop", metavar="WORKSHOP-ID")
    p.add_argument("--audience", choices=["facilitator", "learner"], default="facilitator",
                   help="facilitator: everything; learner: no facilitator cells or notes (default: facilitator)")
    p.add_argument("--large-text", action="store_true", help="larger text and controls, for projectors")
    p.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default: 8866)")
    p.add_argument("--token", default=None, help="access token (default: a new random one)")

    p = sub.add_parser("new-cohort", parents=[common], help="write a commented cohort file to fill in")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")

    p = sub.add_parser("report", parents=[common], help="write a cohort's evaluation report from response files")
    p.add_argument("cohort", type=Path, metavar="COHORT.yaml")
    p.add_argument("responses", nargs="*", type=Path, metavar="RESPONSES",
                   help="learners' response files (.json, or .csv in the README's layout), or folders of them")
    p.add_argument("-o", "--output", type=Path, default=Path("reports"), metavar="DIR",
                   help="output folder (default: reports/)")
    p.add_argument("--format", default="html,pdf", help="html, pdf or html,pdf (default: both)")
    p.add_argument("--csv-template", action="store_true",
                   help="only write the CSV layout's header per workshop, to type paper forms into")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the ``pvkit`` command with ``argv``; return the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        args = _parser().parse_args(argv)
        if args.command is None:
            _parser().print_help(out)
            return 2
        handler: Callable[[argparse.Namespace, TextIO], int] = _COMMANDS[args.command]
        args.stderr = err  # progress and notes go where main's caller said
        return handler(args, out)
    except ContentError as exc:
        for problem in exc.problems:
            print(f"error: {problem}\n", file=err)
        print(f"{len(exc.problems)} problem(s) found.", file=err)
        if debug:
            traceback.print_exc(file=err)
        return exc.exit_code
    except PvkitError as exc:
        print(f"error: {exc}", file=err)
        if debug:
            traceback.print_exc(file=err)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return 130
    except OSError as exc:  # the disk, not pvkit: say which file and why, not "internal error"
        if debug:
            traceback.print_exc(file=err)
        where = f" {exc.filename}" if exc.filename else ""
        print(f"error: could not read or write{where}: {exc.strerror or exc}\n"
              "  How to fix: check that the folder exists, is writable and has free space; "
              "then run the same command again", file=err)
        return 1
    except Exception as exc:  # noqa: BLE001 - the one place that turns surprises into a message
        if debug:
            traceback.print_exc(file=err)
        print(f"error: internal error ({type(exc).__name__}: {exc}).\n"
              "  How to fix: run again with --debug and report the traceback.", file=err)
        return 1


def _root(args: argparse.Namespace) -> Path:
    from pvkit.kitfolder import find_root

    return find_root(args.root)


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    from pvkit.kitfolder import validate_kit

    report = validate_kit(_root(args), args.cohorts)
    kit = report.kit
    print(
        f"valid: {len(kit.workshops)} workshops, {len(kit.exercises)} exercises, "
        f"{len(kit.glossary)} glossary terms, {len(kit.references)} references, "
        f"{len(report.workbooks)} workbooks, {len(report.cohorts)} cohort files",
        file=out,
    )
    return 0


def _list(args: argparse.Namespace, out: TextIO) -> int:
    from pvkit.kitfolder import load_kit

    kit = load_kit(_root(args))
    data = {
        "workshops": [
            {"id": w.id, "title": w.title, "minutes": w.minutes,
             "modules": [{"id": m.id, "title": m.title, "minutes": m.minutes} for m in w.modules]}
            for w in kit.workshops
        ],
        "exercises": [
            {"id": e.id, "kind": e.kind, "workshop": e.workshop, "module": e.module, "title": e.title}
            for e in kit.exercises
        ],
    }
    if args.json:
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    for w in kit.workshops:
        print(f"{w.id}: {w.title} ({w.minutes} min)", file=out)
        for m in w.modules:
            exercises = [e for e in kit.exercises if e.workshop == w.id and e.module == m.id]
            print(f"  {m.id:<16} {m.minutes:>3} min  {m.title}", file=out)
            for e in exercises:
                print(f"      {e.kind:<10} {e.id}", file=out)
    return 0


def _new_cohort(args: argparse.Namespace, out: TextIO) -> int:
    from pvkit.cohort import NEW_COHORT_TEMPLATE
    from pvkit.kitfolder import load_kit

    path: Path = args.file
    if path.exists() and not args.force:
        raise UsageError(f"{path} already exists\n  How to fix: choose another name, or pass --force to overwrite it")
    if path.suffix not in (".yaml", ".yml"):
        raise UsageError(f"{path} does not end in .yaml\n  How to fix: name the file like cohorts/my-cohort.yaml")
    kit = load_kit(_root(args))
    ids = [w.id for w in kit.workshops]
    text = NEW_COHORT_TEMPLATE.format(
        filename=path.as_posix(),
        workshops=", ".join(ids),
        workshop_list="any of " + ", ".join(ids),
        date=(dt.date.today() + dt.timedelta(days=28)).isoformat(),
    )
    from pvkit.atomic import write_atomic

    try:
        write_atomic(path, text.encode("utf-8"))  # a fresh temporary name: no planted link is followed
    except OSError as exc:
        raise UsageError(f"cannot write {path} ({exc.strerror})\n  How to fix: choose a folder you can write to") from exc
    print(f"wrote {path}: fill it in, then run 'pvkit validate {path.as_posix()}'", file=out)
    return 0


def _report(args: argparse.Namespace, out: TextIO) -> int:
    from pvkit.report.cli import run_report

    return run_report(_root(args), args, out)


def _handouts(args: argparse.Namespace, out: TextIO) -> int:
    from pvkit.handouts.cli import run_handouts

    root = _root(args)
    cohorts = list(getattr(args, "cohorts", None) or []) or [root / "cohorts" / "demo.yaml"]
    return run_handouts(root, cohorts, args, out)


def _release(args: argparse.Namespace, out: TextIO) -> int:
    from pvkit.kitfolder import validate_kit
    from pvkit.release import release, release_summary

    root = _root(args)
    report = validate_kit(root)  # a release is built only from content that validates
    result = release(root, report.kit, args.output)
    print(release_summary(result), file=out)
    print(f"open {result.notebooks[0]} in JupyterLab, or publish the folder (see README: Binder)", file=out)
    return 0


def _lite(args: argparse.Namespace, out: TextIO) -> int:
    from pvkit.kitfolder import validate_kit
    from pvkit.lite import build_lite, lite_summary

    root = _root(args)
    report = validate_kit(root)  # like a release, the site is built only from content that validates
    print(lite_summary(build_lite(root, report.kit, args.output)), file=out)
    return 0


def _links(args: argparse.Namespace, out: TextIO) -> int:
    from pvkit.kitfolder import load_kit
    from pvkit.links import learner_links, write_qr_codes

    if not args.repo and not args.lite:
        raise UsageError("pvkit links needs --repo OWNER/NAME (or --lite URL)\n  How to fix: pass the GitHub "
                         "repository your copy of the kit is published from, e.g. --repo my-agency/pvkit-kit")
    kit = load_kit(_root(args))
    links = learner_links(kit, args.repo, args.ref, args.hub, lite=args.lite)
    written = write_qr_codes(links, args.output)
    for link, path in zip(links, written, strict=True):
        print(f"{link.label}\n  {link.url}\n  QR code: {path}", file=out)
    return 0


def _present(args: argparse.Namespace, out: TextIO) -> int:
    import shutil
    import tempfile

    from pvkit.kitfolder import load_kit
    from pvkit.present import prepare, serve

    root = _root(args)
    kit = load_kit(root)
    folder = Path(tempfile.mkdtemp(prefix="pvkit-present-"))
    process = None
    try:
        notebook = prepare(root, kit, args.workshop, args.audience, args.large_text, folder)
        presentation, process = serve(notebook, args.port, args.token)
        print(f"presenting {args.workshop} ({args.audience}) at {presentation.url}\n"
              "  press Ctrl-C to stop", file=out, flush=True)
        return process.wait()
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except Exception:  # noqa: BLE001 - still running: stop it hard
                process.kill()
        shutil.rmtree(folder, ignore_errors=True)


_COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "present": _present,
    "release": _release,
    "lite": _lite,
    "links": _links,
    "handouts": _handouts,
    "demo": _handouts,
    "validate": _validate,
    "list": _list,
    "new-cohort": _new_cohort,
    "report": _report,
}
