"""pvkit's one exception family.

Every message says *where* (file:line and field, cohort, workbook cell) and
*what to do*.  :func:`pvkit.cli.main` is the one place that turns these into
text on stderr and an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

__all__ = [
    "BuildError",
    "ContentError",
    "PvkitError",
    "Problem",
    "UsageError",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, and how to fix it."""

    file: str
    message: str
    hint: str = ""
    line: Optional[int] = None
    field: str = ""

    @property
    def where(self) -> str:
        """``file:line`` followed by the field, as far as they are known."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}" if self.field else where

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        return f"{text}\n  How to fix: {self.hint}" if self.hint else text


class PvkitError(Exception):
    """Base class of every error pvkit reports to a user; ``exit_code`` is the CLI's."""

    exit_code = 2


class UsageError(PvkitError):
    """The command line or an argument is wrong."""


class ContentError(PvkitError):
    """One or more problems in content, workbooks or cohort files (all of them, not just the first)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n\n".join(str(p) for p in self.problems))


class BuildError(PvkitError):
    """A build step failed for one cohort and workshop."""

    exit_code = 1
