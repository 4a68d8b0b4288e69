"""Load a kit folder's content once, validate it, and build the :class:`Kit`.

Validation has two passes.  The first checks each file against the content
model with pydantic (strict types, unknown keys rejected).  The second checks
what no single file can: ids unique across files, references between
exercises, workshops, modules, glossary and sources, module minutes, and
kind-specific rules such as "a single-answer question has exactly one correct
option".  Every problem of every file is collected; :class:`ContentError`
carries them all.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence, Union

from pvkit.content import models as m
from pvkit.content.citations import citations_in, strings_in
from pvkit.content.yamlfile import Loc, YamlFile, field_path, locate, read_yaml, to_plain
from pvkit.errors import ContentError, Problem

__all__ = ["SLUG", "load_kit", "schema_problems"]

#: Ids of workshops, modules and exercises.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_FORMAT_DOC = "docs/content-format.md"


# --------------------------------------------------------------------------
# Pass 1: each file against the model


def _all_field_names() -> set[str]:
    names: set[str] = set()
    for obj in vars(m).values():
        if isinstance(obj, type) and is_dataclass(obj):
            names.update(f.name for f in fields(obj))
    return names


_TYPE_WORDS = {
    "string_type": ("text", 'put the value in quotes, e.g. title: "..."'),
    "int_type": ("a whole number", "write a number without quotes, e.g. minutes: 15"),
    "float_type": ("a number", "write a number without quotes, e.g. exhale: 6"),
    "bool_type": ("true or false", "write true or false without quotes"),
    "tuple_type": ("a list", "write a list: one '- item' line per entry, or [a, b]"),
    "list_type": ("a list", "write a list: one '- item' line per entry, or [a, b]"),
    "dict_type": ("a mapping of 'key: value' lines", "indent the keys under this field"),
    "dataclass_type": ("a mapping of 'key: value' lines", "indent the keys under this field"),
    "model_type": ("a mapping of 'key: value' lines", "indent the keys under this field"),
    "date_type": ("a date", "write the date as YYYY-MM-DD, e.g. 2027-03-14"),
    "date_from_datetime_parsing": ("a date", "write the date as YYYY-MM-DD, e.g. 2027-03-14"),
    "date_parsing": ("a date", "write the date as YYYY-MM-DD, e.g. 2027-03-14"),
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def schema_problems(
    error: Any, file: YamlFile, node: Any, prefix: Loc, label: str, allowed: Iterable[str] = ()
) -> list[Problem]:
    """Turn a pydantic ``ValidationError`` into :class:`Problem` objects with lines and hints.

    ``node`` is the raw YAML node that was validated, ``prefix`` its location
    inside ``file.root``, and ``label`` names the object for the user.
    """
    known = sorted(set(allowed) or _all_field_names())
    problems = []
    for err in error.errors(include_url=False):
        kind = err["type"]
        loc = list(err["loc"])
        if kind.startswith("union_tag"):
            loc = []
        elif loc and isinstance(loc[0], str) and loc[0] in m.EXERCISE_KINDS:
            loc = loc[1:]  # the discriminated union adds the kind as a first step
        path = field_path(loc)
        line = locate(file.root, [*prefix, *loc])
        last = loc[-1] if loc else ""
        where = f"{label}: {path}" if path else label
        if kind in ("missing", "missing_argument", "missing_keyword_only_argument"):
            message, hint = f"required field '{last}' is missing", f"add '{last}:' here (see {_FORMAT_DOC})"
            where = f"{label}: {path}"
        elif kind in ("unexpected_keyword_argument", "extra_forbidden"):
            close = difflib.get_close_matches(str(last), known, n=1)
            message = f"unknown key '{last}'"
            hint = f"did you mean '{close[0]}'?" if close else "remove it; allowed keys are in " + _FORMAT_DOC
        elif kind == "union_tag_invalid":
            tag = (err.get("ctx") or {}).get("tag", "?")
            message = f"unknown exercise kind '{tag}'"
            close = difflib.get_close_matches(str(tag), list(m.EXERCISE_KINDS), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            hint += "kind must be one of: " + ", ".join(m.EXERCISE_KINDS)
        elif kind == "union_tag_not_found":
            message = "required field 'kind' is missing"
            hint = "add 'kind:' with one of: " + ", ".join(m.EXERCISE_KINDS)
        elif kind == "literal_error":
            expected = (err.get("ctx") or {}).get("expected", "")
            message = f"{_describe(err.get('input'))} is not allowed here"
            hint = f"use one of: {expected}"
        elif kind in _TYPE_WORDS:
            want, hint = _TYPE_WORDS[kind]
            message = f"expected {want}, found {_describe(err.get('input'))}"
        else:
            message, hint = err["msg"], f"see {_FORMAT_DOC}"
        problems.append(Problem(file.shown, message, hint, line=line, field=where))
    return problems


@dataclass(frozen=True)
class _Item:
    """A validated object, where it came from, and its raw node for line look-ups."""

    obj: Any
    file: YamlFile
    loc: tuple[Union[str, int], ...]

    def line(self, *sub: Union[str, int]) -> int | None:
        return locate(self.file.root, [*self.loc, *sub])

    def problem(self, message: str, hint: str, *sub: Union[str, int], field: str = "") -> Problem:
        label = getattr(self.obj, "id", None) or getattr(self.obj, "key", None) or getattr(
            self.obj, "term", ""
        )
        path = field or field_path(list(sub))
        where = f"{label}: {path}" if path else str(label)
        return Problem(self.file.shown, message, hint, line=self.line(*sub), field=where)


class _Loader:
    """Reads every content file once and collects problems."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def read(self, path: Path) -> YamlFile | None:
        result = read_yaml(path, self.shown(path))
        if isinstance(result, Problem):
            self.problems.append(result)
            return None
        return result

    def validate(self, adapter: Any, file: YamlFile, loc: Loc, label: str) -> Any:
        from pydantic import ValidationError

        node = file.root
        for part in loc:
            node = node[part]
        try:
            return adapter.validate_json(json.dumps(to_plain(node), default=str), strict=True)
        except ValidationError as exc:
            self.problems.extend(schema_problems(exc, file, node, loc, label))
            return None

    def list_in(self, file: YamlFile, key: str) -> list[int]:
        """Indices of the list under ``key`` in ``file``; a problem if the shape is wrong."""
        root = file.root
        example = {"exercises": "- id: ...", "terms": "- term: ...", "references": "- key: ..."}
        if not isinstance(root, dict) or key not in root:
            extra = sorted(set(root) - {key}) if isinstance(root, dict) else []
            self.problems.append(
                Problem(
                    file.shown,
                    f"the file must start with '{key}:' followed by a list",
                    f"write '{key}:' on the first line, then one '{example[key]}' entry per item",
                    line=1,
                    field=f"unknown key '{extra[0]}'" if extra else "",
                )
            )
            return []
        unknown = [k for k in root if k != key]
        for k in unknown:
            self.problems.append(
                Problem(
                    file.shown,
                    f"unknown top-level key '{k}'",
                    f"only '{key}:' is allowed at the top of this file",
                    line=locate(root, [k]),
                )
            )
        items = root[key]
        if items is None:
            return []
        if not isinstance(items, list):
            self.problems.append(
                Problem(
                    file.shown,
                    f"'{key}' must be a list",
                    f"write one '{example[key]}' entry per item under '{key}:'",
                    line=locate(root, [key]),
                    field=key,
                )
            )
            return []
        return list(range(len(items)))


def _adapter(tp: Any) -> Any:
    from typing import Annotated

    from pydantic import Field, TypeAdapter

    if tp is m.Exercise:
        return TypeAdapter(Annotated[m.Exercise, Field(discriminator="kind")])
    return TypeAdapter(tp)


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def load_kit(root: Path) -> m.Kit:
    """Read and validate all content under ``root/exercises``; return the :class:`Kit`.

    Raises
    ------
    ContentError
        With every problem found, each naming file, line and field.
    """
    root = Path(root)
    content = root / "exercises"
    loader = _Loader(root)
    if not content.is_dir():
        raise ContentError(
            [
                Problem(
                    str(root),
                    "this is not a pvkit kit folder: it has no 'exercises/' folder",
                    "run pvkit inside the kit folder, or pass --root DIR",
                )
            ]
        )
    workshops: list[_Item] = []
    exercises: list[_Item] = []
    terms: list[_Item] = []
    references: list[_Item] = []

    workshop_adapter = _adapter(m.Workshop)
    for path in _yaml_files(content / "workshops"):
        file = loader.read(path)
        if file is None:
            continue
        obj = loader.validate(workshop_adapter, file, (), f"workshop '{path.stem}'")
        if obj is not None:
            workshops.append(_Item(obj, file, ()))

    exercise_adapter = _adapter(m.Exercise)
    exercise_files = [
        p for d in sorted(content.iterdir()) if d.is_dir() and d.name != "workshops"
        for p in _yaml_files(d)
    ]
    for path in exercise_files:
        file = loader.read(path)
        if file is None:
            continue
        for i in loader.list_in(file, "exercises"):
            raw = file.root["exercises"][i]
            label = raw.get("id", f"exercises[{i}]") if isinstance(raw, dict) else f"exercises[{i}]"
            obj = loader.validate(exercise_adapter, file, ("exercises", i), str(label))
            if obj is not None:
                exercises.append(_Item(obj, file, ("exercises", i)))

    for name, key, tp, bucket in (
        ("glossary.yaml", "terms", m.Term, terms),
        ("references.yaml", "references", m.Reference, references),
    ):
        path = content / name
        if not path.exists():
            loader.problems.append(
                Problem(loader.shown(path), "the file is missing", f"create it with '{key}:' and a list")
            )
            continue
        file = loader.read(path)
        if file is None:
            continue
        adapter = _adapter(tp)
        for i in loader.list_in(file, key):
            obj = loader.validate(adapter, file, (key, i), f"{key}[{i}]")
            if obj is not None:
                bucket.append(_Item(obj, file, (key, i)))

    if not workshops and not any(p.file.startswith("exercises/workshops") for p in loader.problems):
        loader.problems.append(
            Problem(
                "exercises/workshops",
                "no workshop files found",
                "add one YAML file per workshop under exercises/workshops/",
            )
        )

    loader.problems.extend(_cross_check(workshops, exercises, terms, references))
    if loader.problems:
        raise ContentError(loader.problems)
    return m.Kit(
        workshops=tuple(i.obj for i in workshops),
        exercises=tuple(i.obj for i in exercises),
        glossary=tuple(i.obj for i in terms),
        references=tuple(i.obj for i in references),
    )


# --------------------------------------------------------------------------
# Pass 2: what no single file can check


def _cross_check(
    workshops: Sequence[_Item],
    exercises: Sequence[_Item],
    terms: Sequence[_Item],
    references: Sequence[_Item],
) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append

    def unique(items: Sequence[_Item], key: str, what: str) -> dict[str, _Item]:
        seen: dict[str, _Item] = {}
        for item in items:
            value = getattr(item.obj, key)
            for name in (value, *getattr(item.obj, "aliases", ())):
                folded = name.casefold() if what == "glossary term" else name
                if folded in seen:
                    first = seen[folded]
                    add(item.problem(
                        f"duplicate {what} '{name}' (already defined at {first.file.shown}:{first.line()})",
                        f"give each {what} a unique {key}, or remove one of the two",
                        key,
                    ))
                else:
                    seen[folded] = item
        return seen

    by_workshop = unique(workshops, "id", "workshop id")
    by_exercise = unique(exercises, "id", "exercise id")
    by_term = unique(terms, "term", "glossary term")
    by_reference = unique(references, "key", "reference key")

    def check_id(item: _Item, value: str, *loc: Union[str, int]) -> None:
        if not SLUG.fullmatch(value):
            add(item.problem(
                f"'{value}' is not a valid id",
                "use lower-case letters, digits and single hyphens, e.g. quiz-three-states",
                *loc,
            ))

    def check_sources(item: _Item, keys: Sequence[str], *loc: Union[str, int]) -> None:
        for i, key in enumerate(keys):
            if key not in by_reference:
                add(item.problem(*_unknown(key, by_reference, "reference key", "exercises/references.yaml"),
                                 *loc, i))

    def check_terms(item: _Item, names: Sequence[str], *loc: Union[str, int]) -> None:
        for i, name in enumerate(names):
            if name.casefold() not in by_term:
                add(item.problem(*_unknown(name, by_term, "glossary term", "exercises/glossary.yaml"),
                                 *loc, i))

    def check_citations(item: _Item) -> None:
        for loc, text in strings_in(item.obj):
            for key in citations_in(text):
                if key not in by_reference:
                    add(item.problem(
                        *_unknown(key, by_reference, "cited reference", "exercises/references.yaml"),
                        *loc,
                    ))

    modules: dict[tuple[str, str], m.Module] = {}
    for item in workshops:
        w: m.Workshop = item.obj
        check_id(item, w.id, "id")
        expected = item.file.path.stem
        if w.id != expected:
            add(item.problem(
                f"workshop id '{w.id}' does not match its file name '{item.file.path.name}'",
                f"rename the file to {w.id}.yaml or set id: {expected}",
                "id",
            ))
        if not w.modules:
            add(item.problem("the workshop has no modules", "add at least one module", "modules"))
        seen_modules: set[str] = set()
        for i, module in enumerate(w.modules):
            check_id(item, module.id, "modules", i, "id")
            if module.id in seen_modules:
                add(item.problem(f"duplicate module id '{module.id}'", "give each module a unique id",
                                 "modules", i, "id"))
            seen_modules.add(module.id)
            modules[(w.id, module.id)] = module
            if module.minutes <= 0:
                add(item.problem("module minutes must be more than 0", "set the module's length in minutes",
                                 "modules", i, "minutes"))
            for list_field in ("objectives", "questions", "key_points"):
                if not getattr(module, list_field):
                    add(item.problem(f"module '{module.id}' has no {list_field.replace('_', ' ')}",
                                     f"add at least one entry under '{list_field}:'", "modules", i, list_field))
            check_sources(item, module.sources, "modules", i, "sources")
            check_terms(item, module.terms, "modules", i, "terms")
        total = sum(mod.minutes for mod in w.modules)
        if w.modules and total != w.minutes:
            add(item.problem(
                f"module minutes add up to {total}, but the workshop says minutes: {w.minutes}",
                "change module minutes or the workshop's minutes so that they agree",
                "minutes",
            ))
        check_citations(item)

    evaluations: dict[str, _Item] = {}
    for item in exercises:
        e = item.obj
        check_id(item, e.id, "id")
        if e.workshop not in by_workshop:
            add(item.problem(*_unknown(e.workshop, by_workshop, "workshop", "exercises/workshops/"), "workshop"))
        elif (e.workshop, e.module) not in modules:
            ids = [mid for (wid, mid) in modules if wid == e.workshop]
            close = difflib.get_close_matches(e.module, ids, n=1)
            add(item.problem(
                f"module '{e.module}' does not exist in workshop '{e.workshop}'",
                (f"did you mean '{close[0]}'? " if close else "") + "modules are: " + ", ".join(ids),
                "module",
            ))
        if e.minutes is not None and e.minutes <= 0:
            add(item.problem("minutes must be more than 0", "give the time in whole minutes", "minutes"))
        check_sources(item, e.sources, "sources")
        check_terms(item, e.terms, "terms")
        check_citations(item)
        problems.extend(_kind_rules(item))
        if isinstance(e, m.Evaluation):
            problems.extend(_evaluation_links(item, e, by_exercise, evaluations))

    for item in terms:
        t: m.Term = item.obj
        check_sources(item, t.sources, "sources")
        check_terms(item, t.related, "related")
        check_citations(item)
    for item in references:
        check_id(item, item.obj.key, "key")
    return problems


def _unknown(value: str, known: dict[str, Any], what: str, where: str) -> tuple[str, str]:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'? Otherwise " if close else ""
    if 0 < len(known) <= 5:
        hint = f"{hint}use one of: {', '.join(sorted(known))}, or "
    return f"{what} '{value}' is not defined", f"{hint}add it to {where}"


def _kind_rules(item: _Item) -> list[Problem]:
    """Rules of one exercise kind that the types alone cannot express."""
    e = item.obj
    out: list[Problem] = []
    if isinstance(e, m.Quiz):
        if not e.questions:
            out.append(item.problem("a quiz needs at least one question", "add a question", "questions"))
        for qi, q in enumerate(e.questions):
            n = len(q.correct_indices)
            if len(q.options) < 2:
                out.append(item.problem("a question needs at least two options", "add options",
                                        "questions", qi, "options"))
            if not q.multiple and n != 1:
                out.append(item.problem(
                    f"a single-answer question needs exactly one 'correct: true' option, found {n}",
                    "mark the one best answer with correct: true, or set multiple: true",
                    "questions", qi, "options",
                ))
            elif q.multiple and n == 0:
                out.append(item.problem("no option is marked 'correct: true'",
                                        "mark every right answer with correct: true", "questions", qi, "options"))
    elif isinstance(e, m.Sort):
        bins = {b.id for b in e.bins}
        if len(e.bins) < 2:
            out.append(item.problem("a sort needs at least two bins", "add bins", "bins"))
        if not e.items:
            out.append(item.problem("a sort needs items", "add items", "items"))
        for ii, it in enumerate(e.items):
            if it.bin not in bins:
                out.append(item.problem(f"bin '{it.bin}' is not one of this sort's bins",
                                        "use one of: " + ", ".join(sorted(bins)), "items", ii, "bin"))
    elif isinstance(e, m.Scenario):
        out.extend(_scenario_rules(item, e))
    elif isinstance(e, m.Practice):
        if not e.alternatives:
            out.append(item.problem("a practice must offer at least one alternative",
                                    "add a non-breath alternative under 'alternatives:'", "alternatives"))
        if not e.opt_out.strip():
            out.append(item.problem("the opt-out note is empty", "say how someone can sit this out", "opt_out"))
        for name in ("inhale", "exhale"):
            if not 1 <= getattr(e, name) <= 15:
                out.append(item.problem(f"{name} must be between 1 and 15 seconds", "use a comfortable pace", name))
        if e.rounds < 1:
            out.append(item.problem("rounds must be at least 1", "set the number of breaths", "rounds"))
    elif isinstance(e, m.Evaluation):
        out.extend(_evaluation_rules(item, e))
    elif isinstance(e, m.Checkin):
        if len(e.states) < 2:
            out.append(item.problem("a check-in needs at least two states", "add states", "states"))
        if not 2 <= e.scale_max <= 10:
            out.append(item.problem("scale_max must be between 2 and 10", "use 10 for a 0-10 scale", "scale_max"))
    for path, group in _form_groups(e):
        ids = [f.id for f in group]
        for fi, fid in enumerate(ids):
            if fid in ids[:fi]:
                out.append(item.problem(f"duplicate field id '{fid}'", "give each field a unique id", *path, fi, "id"))
    return out


def _form_groups(e: Any) -> Iterator[tuple[tuple[Union[str, int], ...], Sequence[m.FormField]]]:
    if isinstance(e, m.Reflection):
        yield ("prompts",), e.prompts
    elif isinstance(e, m.Map):
        yield ("aspects",), e.aspects
        yield ("lists",), e.lists
    elif isinstance(e, m.Plan):
        for si, section in enumerate(e.sections):
            yield ("sections", si, "fields"), section.fields
    elif isinstance(e, m.Evaluation):
        yield ("comments",), e.comments


def _evaluation_rules(item: _Item, e: m.Evaluation) -> list[Problem]:
    out: list[Problem] = []
    if not e.reactions:
        out.append(item.problem("an evaluation needs at least one reaction item",
                                "add items such as {id: useful, label: The workshop was useful for my work.}",
                                "reactions"))
    ids = [r.id for r in e.reactions]
    for ri, rid in enumerate(ids):
        if not SLUG.fullmatch(rid):
            out.append(item.problem(f"'{rid}' is not a valid id", "use lower-case letters, digits and hyphens",
                                    "reactions", ri, "id"))
        if rid in ids[:ri]:
            out.append(item.problem(f"duplicate reaction id '{rid}'", "give each reaction item a unique id",
                                    "reactions", ri, "id"))
    if not e.comments:
        out.append(item.problem("an evaluation needs at least one free-text question",
                                "add questions under 'comments:', e.g. {id: best, label: What helped most?}",
                                "comments"))
    for name in ("agreement", "confidence"):
        labels = getattr(e, name)
        if not 3 <= len(labels) <= 7 or not all(label.strip() for label in labels):
            out.append(item.problem(f"'{name}' must list 3 to 7 non-empty labels, lowest first",
                                    "leave it out for the default 5-point scale", name))
    for ci, comment in enumerate(e.comments):
        if not SLUG.fullmatch(comment.id):
            out.append(item.problem(f"'{comment.id}' is not a valid id",
                                    "use lower-case letters, digits and hyphens", "comments", ci, "id"))
    return out


def _evaluation_links(
    item: _Item, e: m.Evaluation, by_exercise: dict[str, _Item], evaluations: dict[str, _Item]
) -> list[Problem]:
    """One evaluation per workshop; its knowledge check is a quiz of the same workshop."""
    out: list[Problem] = []
    first = evaluations.setdefault(e.workshop, item)
    if first is not item:
        out.append(item.problem(
            f"workshop '{e.workshop}' already has an evaluation, '{first.obj.id}' "
            f"({first.file.shown}:{first.line()})",
            "keep one evaluation per workshop: the cohort report reads its responses", "id",
        ))
    if not e.knowledge_check:
        return out
    target = by_exercise.get(e.knowledge_check)
    quizzes = sorted(i.obj.id for i in by_exercise.values()
                     if isinstance(i.obj, m.Quiz) and i.obj.workshop == e.workshop)
    hint = ("use one of: " + ", ".join(quizzes)) if quizzes else "add a quiz to this workshop"
    hint += ", or leave knowledge_check out"
    if target is None:
        out.append(item.problem(f"knowledge check '{e.knowledge_check}' is not an exercise", hint,
                                "knowledge_check"))
    elif not isinstance(target.obj, m.Quiz):
        out.append(item.problem(f"knowledge check '{e.knowledge_check}' is a {target.obj.kind}, not a quiz", hint,
                                "knowledge_check"))
    elif target.obj.workshop != e.workshop:
        out.append(item.problem(
            f"knowledge check '{e.knowledge_check}' belongs to workshop '{target.obj.workshop}', "
            f"not '{e.workshop}'", hint, "knowledge_check"))
    return out


def _scenario_rules(item: _Item, e: m.Scenario) -> list[Problem]:
    out: list[Problem] = []
    ids = [s.id for s in e.steps]
    if not e.steps:
        return [item.problem("a scenario needs at least one step", "add a step", "steps")]
    for si, step in enumerate(e.steps):
        if step.id in ids[:si]:
            out.append(item.problem(f"duplicate step id '{step.id}'", "give each step a unique id", "steps", si, "id"))
        if len(step.choices) < 2:
            out.append(item.problem("a decision point needs at least two choices", "add choices",
                                    "steps", si, "choices"))
        for ci, choice in enumerate(step.choices):
            if choice.next and choice.next not in ids:
                out.append(item.problem(f"step '{choice.next}' does not exist",
                                        "use one of: " + ", ".join(ids), "steps", si, "choices", ci, "next"))
    graph = {s.id: [c.next for c in s.choices if c.next in ids] for s in e.steps}
    # Every step reachable from the first; no loops, so every path ends.
    reached: list[str] = []
    stack = [(ids[0], ())]
    while stack:
        node, trail = stack.pop()
        if node in trail:
            out.append(item.problem(f"the steps loop back to '{node}'", "make every path end", "steps"))
            break
        if node not in reached:
            reached.append(node)
        stack.extend((nxt, (*trail, node)) for nxt in graph[node])
    for si, sid in enumerate(ids):
        if sid not in reached:
            out.append(item.problem(f"step '{sid}' cannot be reached from the first step",
                                    "point a choice's 'next' at it, or remove it", "steps", si, "id"))
    return out
