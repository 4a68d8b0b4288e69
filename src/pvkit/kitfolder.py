"""The kit folder: where commands find ``exercises/``, ``workbooks/`` and ``cohorts/``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from pvkit.content.models import Kit
from pvkit.errors import ContentError, Problem

__all__ = ["ValidationReport", "find_root", "load_kit", "validate_kit"]


def find_root(start: Path | None = None) -> Path:
    """Return the kit folder: ``start`` (default: the current directory) or its nearest parent
    holding an ``exercises/`` folder.  Falls back to ``start`` itself, so that errors name it."""
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "exercises").is_dir():
            return folder
    return start


def load_kit(root: Path | None = None) -> Kit:
    """Load and validate the content of the kit folder ``root``.

    Raises
    ------
    ContentError
        Every problem in the content, each with file, line, field and a hint.
    """
    import dataclasses
    import json

    from pvkit.content.validate import load_kit as _load
    from pvkit.workbooks import workbook_use

    root = find_root(root) if root is None else Path(root)
    kit = _load(root)
    cited: dict[str, tuple[str, ...]] = {}
    for path in sorted((root / "workbooks").glob("*.ipynb")):
        try:
            use = workbook_use(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue  # validate_kit reports unreadable workbooks
        cited[path.stem] = tuple(dict.fromkeys(use.citations))
    return dataclasses.replace(kit, workbook_citations=cited)


@dataclass(frozen=True)
class ValidationReport:
    """What ``pvkit validate`` checked."""

    kit: Kit
    workbooks: tuple[str, ...]
    cohorts: tuple[str, ...]


def validate_kit(root: Path, cohort_paths: Sequence[Path] = ()) -> ValidationReport:
    """Validate content, workbooks and the cohort files given; raise one error listing all problems."""
    from pvkit.cohort import load_cohorts
    from pvkit.workbooks import check_workbooks

    kit = load_kit(root)
    problems: list[Problem] = list(check_workbooks(root, kit))
    cohorts: list[str] = []
    try:
        cohorts = [c.cohort.slug for c in load_cohorts(list(cohort_paths), kit)]
    except ContentError as exc:
        problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    workbooks = tuple(sorted(p.name for p in (Path(root) / "workbooks").glob("*.ipynb")))
    return ValidationReport(kit, workbooks, tuple(cohorts))
