"""Read response files: the JSON a learner downloads, or the CSV layout (a spreadsheet or form export).

The CSV layout has one header row and one row per response.  Column names:

================================  ==========================================================
``workshop``                      required: the workshop id, e.g. ``intro``
``response_id``                   optional: any short text; rows with the same id count once
``reaction.<id>``                 a reaction rating, 1 (strongly disagree) to 5 (strongly agree)
``before.<module>.<n>``           confidence before the workshop in objective n of a module, 1-5
``now.<module>.<n>``              confidence now in the same objective, 1-5
``knowledge.score``               knowledge-check score, with ``knowledge.out_of``
``knowledge.out_of``              the number of knowledge-check questions
``comment.<id>``                  a free-text answer
================================  ==========================================================

An empty cell is an unanswered question; a row with every cell empty is
ignored.  Commas, semicolons or tabs may separate the cells, and a UTF-8 byte
order mark (Excel) is fine.  A column that is not in the layout at all (a
form's ``Timestamp``, say) is never read and is reported; a column with a
layout prefix but an unknown id (``reaction.usefull``) makes the file invalid,
because its answers would otherwise be lost silently.

Every file and every row is read on its own: a bad one is reported and
skipped, never counted, and never stops the others.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Union

from pvkit.report.response import (
    RESPONSE_SCHEMA,
    SCHEMA_KEY,
    EvaluationForm,
    Response,
    ResponseError,
    check_response,
)

__all__ = ["MAX_FILE_BYTES", "ReadResult", "Skipped", "read_responses", "response_paths"]

#: Larger files are refused unread: no response or class list is this big.
MAX_FILE_BYTES = 10 * 1024 * 1024
_PREFIXES = ("reaction", "before", "now", "knowledge", "comment")


@dataclass(frozen=True)
class Skipped:
    """A file or row that was not counted, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class ReadResult:
    """The responses read, and everything that was skipped or ignored."""

    responses: list[Response] = field(default_factory=list)
    #: Where each counted response came from (same order as ``responses``); never shown in a report.
    sources: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    #: Things that did not stop a file from counting, such as an ignored column.
    notes: list[str] = field(default_factory=list)

    def add(self, source: str, outcome: Union[Response, ResponseError]) -> None:
        if isinstance(outcome, ResponseError):
            self.skipped.append(Skipped(source, "; ".join(outcome.problems)))
            return
        if outcome.response_id:
            for seen, where in zip(self.responses, self.sources, strict=True):
                if seen.workshop == outcome.workshop and seen.response_id == outcome.response_id:
                    self.skipped.append(Skipped(source, f"the same response as {where} (sent twice); "
                                                        "counted once"))
                    return
        self.responses.append(outcome)
        self.sources.append(source)


def response_paths(paths: Iterable[Path]) -> list[Path]:
    """Files given, with folders replaced by the files directly in them (sorted; hidden files left out)."""
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        else:
            out.append(path)
    return out


def read_responses(paths: Iterable[Path], forms: Mapping[str, EvaluationForm]) -> ReadResult:
    """Read every response file (JSON or CSV); bad files and rows go to ``skipped``, never raise."""
    result = ReadResult()
    for path in response_paths(paths):
        shown = path.as_posix()
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                result.skipped.append(Skipped(shown, f"larger than {MAX_FILE_BYTES // 1024 // 1024} MB; "
                                                     "not a response file"))
                continue
            raw = path.read_bytes()
        except OSError as exc:
            result.skipped.append(Skipped(shown, f"cannot be read ({exc.strerror or exc})"))
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            result.skipped.append(Skipped(shown, "not a UTF-8 text file (save the spreadsheet as CSV UTF-8)"))
            continue
        suffix = path.suffix.lower()
        if suffix == ".json":
            _read_json(text, shown, forms, result)
        elif suffix in (".csv", ".tsv", ".txt"):
            _read_csv(text, shown, forms, result)
        else:
            result.skipped.append(Skipped(shown, "not a .json or .csv file"))
    return result


def _read_json(text: str, shown: str, forms: Mapping[str, EvaluationForm], result: ReadResult) -> None:
    try:
        data = json.loads(text)
    except ValueError as exc:
        result.skipped.append(Skipped(shown, f"not valid JSON ({exc})"))
        return
    if isinstance(data, dict) and SCHEMA_KEY not in data and "pvkit_answers" in data:
        result.skipped.append(Skipped(shown, "this is a learner's private answers file, not an evaluation "
                                             "response; ask for the evaluation response file instead"))
        return
    try:
        result.add(shown, check_response(data, forms))
    except ResponseError as exc:
        result.add(shown, exc)


def _dialect(text: str) -> Any:
    head = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(head, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _read_csv(text: str, shown: str, forms: Mapping[str, EvaluationForm], result: ReadResult) -> None:
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), _dialect(text)))
    except csv.Error as exc:
        result.skipped.append(Skipped(shown, f"not a readable CSV file ({exc})"))
        return
    if not rows or not any(cell.strip() for cell in rows[0]):
        result.skipped.append(Skipped(shown, "empty: no header row"))
        return
    header = [h.strip() for h in rows[0]]
    problem = _header_problem(header, forms)
    if problem:
        result.skipped.append(Skipped(shown, problem))
        return
    for name in header:
        if name.split(".", 1)[0] not in (*_PREFIXES, "workshop", "response_id", "exercise"):
            result.notes.append(f"{shown}: column '{name}' is not part of the layout and was not read")
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"{shown}:{number}"
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
            result.add(where, ResponseError([f"row {number} has more cells than the header has columns"]))
            continue
        try:
            data = _row_to_response(dict(zip(header, row, strict=False)), forms)  # short rows: empty cells
            result.add(where, check_response(data, forms))
        except ResponseError as exc:
            result.add(where, exc)


def _header_problem(header: list[str], forms: Mapping[str, EvaluationForm]) -> Optional[str]:
    if "workshop" not in header:
        if any(h.startswith(SCHEMA_KEY) for h in header) or not any(h.split(".", 1)[0] in _PREFIXES for h in header):
            return "not a pvkit evaluation CSV: it has no 'workshop' column (see the CSV layout in the README)"
        return "the header has no 'workshop' column; add one with the workshop id in every row"
    duplicates = sorted({h for h in header if h and header.count(h) > 1})
    if duplicates:
        return "columns named more than once: " + ", ".join(duplicates)
    known = {col for form in forms.values() for col in form.csv_columns()}
    for name in header:
        if name.split(".", 1)[0] in _PREFIXES and name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            return f"column '{name}' is not in the layout for these workshops{hint}"
    return None


def _row_to_response(row: Mapping[str, str], forms: Mapping[str, EvaluationForm]) -> dict[str, Any]:
    """One CSV row as the JSON shape :func:`check_response` reads; cell numbers parsed here."""
    problems: list[str] = []

    def number(name: str, value: str) -> Union[int, str]:
        try:
            return int(value)
        except ValueError:
            problems.append(f"{name}: {value!r} is not a whole number")
            return value

    workshop = row.get("workshop", "").strip()
    form = forms.get(workshop)
    data: dict[str, Any] = {SCHEMA_KEY: RESPONSE_SCHEMA, "workshop": workshop}
    if form is not None:
        e = form.evaluation
        data["scales"] = {"agreement": len(e.agreement), "confidence": len(e.confidence)}
    reactions: dict[str, Any] = {}
    objectives: dict[str, dict[str, Any]] = {}
    comments: dict[str, str] = {}
    knowledge: dict[str, Any] = {}
    for name, cell in row.items():
        value = (cell or "").strip()
        prefix, _, rest = name.partition(".")
        if not value:
            continue
        if name == "response_id":
            data["response_id"] = value
        elif name == "exercise":
            data["exercise"] = value
        elif prefix == "reaction":
            reactions[rest] = number(name, value)
        elif prefix in ("before", "now"):
            objectives.setdefault(rest, {})[prefix] = number(name, value)
        elif prefix == "knowledge" and rest in ("score", "out_of"):
            knowledge[rest] = number(name, value)
        elif prefix == "comment":
            comments[rest] = cell
    if problems:
        raise ResponseError(problems)
    data.update(reactions=reactions, objectives=objectives, comments=comments)
    if knowledge:
        data["knowledge_check"] = knowledge
    return data
