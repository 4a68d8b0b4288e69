"""Checks of the workbook notebooks against the conventions and the content.

A workbook is ``workbooks/<workshop-id>.ipynb``.  Like nbgrader's metadata
checker, this reads each cell's namespaced metadata (``metadata.pvkit``) and
tags, and fails loudly, naming the notebook and the cell.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from pvkit.content.citations import citations_in
from pvkit.content.models import Kit
from pvkit.errors import Problem

__all__ = [
    "FACILITATOR_TAG",
    "KNOWN_TAGS",
    "LIVE_TAG",
    "REQUIRED_PARAMETERS",
    "WorkbookUse",
    "check_workbooks",
    "workbook_use",
]

FACILITATOR_TAG = "pv-facilitator"
LIVE_TAG = "pv-live"
KNOWN_TAGS = frozenset({"parameters", "injected-parameters", FACILITATOR_TAG, LIVE_TAG})
#: Parameters every workbook declares (each with a default that works with no cohort).
REQUIRED_PARAMETERS = (
    "workshop", "render", "audience", "cohort_name", "agency", "date", "start",
    "facilitators", "modules", "breaks", "support",
)
#: pvkit functions a workbook cell may call, and which of them take a content id.
_CALLS = {
    "setup": None, "show": "exercise", "module": "module", "key_points": "module",
    "safety": None, "agenda": None, "glossary": None, "references": None, "term": "term",
}


@dataclass(frozen=True)
class WorkbookUse:
    """What one workbook uses: exercises, modules, cited keys, in order of appearance."""

    workshop: str
    exercises: tuple[str, ...]
    modules: tuple[str, ...]
    citations: tuple[str, ...]


def _cells(nb: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    for index, cell in enumerate(nb.get("cells", [])):
        yield index, cell


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _calls(tree: ast.Module) -> Iterator[tuple[str, list[Any]]]:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "pvkit"
        ):
            yield node.func.attr, [a.value if isinstance(a, ast.Constant) else a for a in node.args]


def workbook_use(nb: dict[str, Any]) -> WorkbookUse:
    """Return what the notebook ``nb`` (a parsed ``.ipynb``) uses."""
    exercises: list[str] = []
    modules: list[str] = []
    cites: list[str] = []
    workshop = ""
    for _, cell in _cells(nb):
        src = _source(cell)
        if cell.get("cell_type") == "markdown":
            cites.extend(citations_in(src))
            continue
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            for stmt in tree.body:
                if (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant)
                        and any(isinstance(t, ast.Name) and t.id == "workshop" for t in stmt.targets)):
                    workshop = str(stmt.value.value)
        for name, args in _calls(tree):
            if name == "show" and args and isinstance(args[0], str):
                exercises.append(args[0])
            if name == "module" and args and isinstance(args[0], str):
                modules.append(args[0])
    return WorkbookUse(workshop, tuple(exercises), tuple(modules), tuple(cites))


def check_workbooks(root: Path, kit: Kit) -> list[Problem]:
    """Check every ``workbooks/*.ipynb`` under ``root``; return all problems found."""
    problems: list[Problem] = []
    for path in sorted((Path(root) / "workbooks").glob("*.ipynb")):
        problems.extend(check_workbook(path, kit, shown=f"workbooks/{path.name}"))
    return problems


def check_workbook(path: Path, kit: Kit, shown: str | None = None) -> list[Problem]:
    """Check one workbook against the conventions in docs/workbook-format.md."""
    shown = shown or str(path)
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [Problem(shown, f"cannot read the notebook ({exc})", "open and save it in JupyterLab")]
    out: list[Problem] = []

    def add(index: int | None, message: str, hint: str) -> None:
        out.append(Problem(shown, message, hint, field="" if index is None else f"cell {index + 1}"))

    workshop_id = path.stem
    try:
        workshop = kit.workshop(workshop_id)
    except KeyError:
        return [Problem(shown, f"no workshop '{workshop_id}' for this workbook",
                        "name the workbook after a workshop id: " + ", ".join(w.id for w in kit.workshops))]
    module_ids = set(workshop.module_ids)
    cells = list(_cells(nb))
    param_index = next((i for i, c in cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if param_index is None:
        add(None, "no cell is tagged 'parameters'", "tag the first code cell 'parameters' (papermill)")
    else:
        out.extend(_check_parameters(shown, param_index, _source(cells[param_index][1]), workshop_id))
        following = [(i, c) for i, c in cells[param_index + 1:] if c.get("cell_type") == "code"]
        if not following or "pvkit.setup(" not in _source(following[0][1]):
            add(param_index, "the code cell after the parameters cell does not call pvkit.setup(...)",
                "add 'import pvkit' and 'pvkit.setup(workshop=workshop, render=render, ...)' right after it")
    for index, cell in cells:
        meta = cell.get("metadata", {})
        tags = meta.get("tags", [])
        for tag in tags:
            if tag not in KNOWN_TAGS:
                add(index, f"unknown tag '{tag}'", "use one of: " + ", ".join(sorted(KNOWN_TAGS)))
        module = (meta.get("pvkit") or {}).get("module")
        if module is None:
            add(index, "metadata.pvkit.module is missing", "set the module id this cell belongs to")
        elif module not in module_ids:
            add(index, f"metadata.pvkit.module '{module}' is not a module of '{workshop_id}'",
                "use one of: " + ", ".join(workshop.module_ids))
        if cell.get("cell_type") == "code":
            if cell.get("outputs") or cell.get("execution_count") is not None:
                add(index, "the cell has outputs or an execution count",
                    "clear all outputs before committing (Edit > Clear Outputs of All Cells)")
            if "parameters" not in tags:
                out.extend(_check_code(shown, index, _source(cell), kit, workshop_id, module_ids))
        elif cell.get("cell_type") == "markdown":
            for key in citations_in(_source(cell)):
                try:
                    kit.reference(key)
                except KeyError:
                    add(index, f"cited reference '{key}' is not defined",
                        "add it to exercises/references.yaml or fix the key")
    used = workbook_use(nb)
    for mid in workshop.module_ids:
        if mid not in used.modules:
            add(None, f"module '{mid}' has no pvkit.module(\"{mid}\") cell",
                "add a code cell that opens the module")
    return out


def _check_parameters(shown: str, index: int, src: str, workshop_id: str) -> list[Problem]:
    out = []
    try:
        tree = ast.parse(src)
    except SyntaxError as exc:
        return [Problem(shown, f"the parameters cell is not valid Python ({exc.msg})", "fix the syntax",
                        field=f"cell {index + 1}")]
    names = {t.id for s in tree.body if isinstance(s, ast.Assign) for t in s.targets if isinstance(t, ast.Name)}
    for name in REQUIRED_PARAMETERS:
        if name not in names:
            out.append(Problem(shown, f"parameter '{name}' is missing", "give it a default that works with no cohort",
                               field=f"cell {index + 1}"))
    for stmt in tree.body:
        if (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant)
                and any(isinstance(t, ast.Name) and t.id == "workshop" for t in stmt.targets)
                and stmt.value.value != workshop_id):
            out.append(Problem(shown, f"workshop = {stmt.value.value!r} but the file is {workshop_id}.ipynb",
                               f'set workshop = "{workshop_id}"', field=f"cell {index + 1}"))
    return out


def _check_code(
    shown: str, index: int, src: str, kit: Kit, workshop_id: str, module_ids: set[str]
) -> list[Problem]:
    where = f"cell {index + 1}"
    try:
        tree = ast.parse(src)
    except SyntaxError as exc:
        return [Problem(shown, f"the code is not valid Python ({exc.msg})", "fix the syntax", field=where)]
    out = []
    for stmt in tree.body:
        ok = (isinstance(stmt, ast.Import) and [a.name for a in stmt.names] == ["pvkit"]) or (
            isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Attribute)
            and isinstance(stmt.value.func.value, ast.Name) and stmt.value.func.value.id == "pvkit"
        )
        if not ok:
            out.append(Problem(shown, f"line {stmt.lineno} is not a call to pvkit",
                               "workbook code cells only 'import pvkit' and call pvkit functions; "
                               "put logic in src/pvkit", field=where))
    for name, args in _calls(tree):
        if name not in _CALLS:
            out.append(Problem(shown, f"pvkit.{name} is not a workbook function",
                               "use one of: " + ", ".join(f"pvkit.{n}" for n in _CALLS), field=where))
            continue
        kind = _CALLS[name]
        if kind is None:
            continue
        if not args or not isinstance(args[0], str):
            out.append(Problem(shown, f"pvkit.{name} needs a literal id", f'write pvkit.{name}("an-id")', field=where))
            continue
        ident = args[0]
        if kind == "exercise":
            try:
                exercise = kit.exercise(ident)
            except KeyError:
                out.append(Problem(shown, f"exercise '{ident}' does not exist", "add it under exercises/ or fix the id",
                                   field=where))
                continue
            if exercise.workshop != workshop_id:
                out.append(Problem(shown, f"exercise '{ident}' belongs to workshop '{exercise.workshop}'",
                                   f"use an exercise of '{workshop_id}'", field=where))
        elif kind == "module" and ident not in module_ids:
            out.append(Problem(shown, f"module '{ident}' is not a module of '{workshop_id}'",
                               "use one of: " + ", ".join(sorted(module_ids)), field=where))
        elif kind == "term":
            try:
                kit.term(ident)
            except KeyError:
                out.append(Problem(shown, f"glossary term '{ident}' is not defined",
                                   "add it to exercises/glossary.yaml", field=where))
    return out

