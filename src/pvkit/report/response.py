"""Evaluation responses: the anonymous file a learner sends, and checking one that comes back.

A response is one JSON object (``RESPONSE_SCHEMA`` below) or one row of the
CSV layout (see :mod:`pvkit.report.readers`).  It holds ratings, a quiz score
and free text, and nothing about the person or the machine: no name, no
e-mail, no date or time, no file path, no host.  ``response_id`` is a random
token made when the learner first opens the form; it only lets the report
count a file sent twice once.

Stdlib only: the live evaluation widget builds its download with this module,
in learners' kernels and under Pyodide.
"""

from __future__ import annotations

import difflib
import json
import secrets
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence

from pvkit.content.models import Evaluation, Kit, Objective, Workshop

__all__ = [
    "RESPONSE_SCHEMA",
    "SCHEMA_KEY",
    "EvaluationForm",
    "Response",
    "ResponseError",
    "check_response",
    "new_response_id",
    "response_json",
]

#: Version of the response file format; bumped whenever it changes incompatibly.
RESPONSE_SCHEMA = 1
#: The key that marks a pvkit evaluation response (its value is the schema version).
SCHEMA_KEY = "pvkit_evaluation"
#: Every key a response file may have.  Anything else (a name, a date, a host) is refused.
RESPONSE_KEYS = (SCHEMA_KEY, "workshop", "exercise", "response_id", "scales", "reactions", "objectives",
                 "knowledge_check", "comments")
#: Longest free-text answer accepted, in characters.
MAX_COMMENT = 5000


class ResponseError(ValueError):
    """A response is not a valid pvkit evaluation response; ``problems`` says every reason."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


def new_response_id() -> str:
    """A random token for one response (no clock, no machine, no person in it)."""
    return secrets.token_hex(6)


@dataclass(frozen=True)
class EvaluationForm:
    """What a valid response of one workshop's evaluation may contain."""

    evaluation: Evaluation
    workshop: Workshop
    #: Questions in the knowledge-check quiz, or 0 if the evaluation names none.
    quiz_questions: int = 0

    @classmethod
    def of(cls, kit: Kit, workshop_id: str) -> Optional["EvaluationForm"]:
        """The form of ``workshop_id``'s evaluation, or ``None`` if it has none."""
        evaluation = next((e for e in kit.exercises
                           if isinstance(e, Evaluation) and e.workshop == workshop_id), None)
        if evaluation is None:
            return None
        questions = 0
        if evaluation.knowledge_check:
            questions = len(getattr(kit.exercise(evaluation.knowledge_check), "questions", ()))
        return cls(evaluation, kit.workshop(workshop_id), questions)

    @property
    def objectives(self) -> tuple[Objective, ...]:
        """Every objective of the workshop (a learner may have run all modules)."""
        return self.evaluation.objectives(self.workshop)

    def csv_columns(self, module_ids: Sequence[str] = ()) -> list[str]:
        """The CSV layout's header for this form, in order (see :mod:`pvkit.report.readers`)."""
        e = self.evaluation
        cols = ["workshop", "response_id"]
        cols += [f"reaction.{r.id}" for r in e.reactions]
        for o in e.objectives(self.workshop, tuple(module_ids)):
            cols += [f"before.{o.id}", f"now.{o.id}"]
        if e.knowledge_check:
            cols += ["knowledge.score", "knowledge.out_of"]
        cols += [f"comment.{c.id}" for c in e.comments]
        return cols


@dataclass(frozen=True)
class Response:
    """One checked response.  Ratings run from 1 to the scale's length; absent means not answered."""

    workshop: str
    reactions: Mapping[str, int] = field(default_factory=dict)
    before: Mapping[str, int] = field(default_factory=dict)
    now: Mapping[str, int] = field(default_factory=dict)
    #: ``(score, out_of)`` of the knowledge check, if the learner took it and chose to include it.
    knowledge: Optional[tuple[int, int]] = None
    comments: Mapping[str, str] = field(default_factory=dict)
    response_id: str = ""


def response_json(
    evaluation: Evaluation,
    objectives: Sequence[Objective],
    answers: Mapping[str, Any],
    knowledge: Optional[Mapping[str, Any]],
    response_id: str,
) -> str:
    """The anonymous response file, as the live widget offers it for download.

    ``answers`` are the widget's saved values (``reactions``, ``before``, ``now``,
    ``comments``); ``knowledge`` is the quiz's saved ``{"score", "out_of"}`` or ``None``.
    Unanswered items are left out, so an empty form gives an empty response.
    """
    def ratings(key: str, ids: Sequence[str]) -> dict[str, int]:
        given = answers.get(key) or {}
        return {i: given[i] for i in ids if isinstance(given.get(i), int) and not isinstance(given.get(i), bool)}

    before = ratings("before", [o.id for o in objectives])
    now = ratings("now", [o.id for o in objectives])
    texts = answers.get("comments") or {}
    data: dict[str, Any] = {
        SCHEMA_KEY: RESPONSE_SCHEMA,
        "workshop": evaluation.workshop,
        "exercise": evaluation.id,
        "response_id": response_id,
        "scales": {"agreement": len(evaluation.agreement), "confidence": len(evaluation.confidence)},
        "reactions": ratings("reactions", [r.id for r in evaluation.reactions]),
        "objectives": {o.id: {k: v for k, v in (("before", before.get(o.id)), ("now", now.get(o.id)))
                              if v is not None}
                       for o in objectives if o.id in before or o.id in now},
        "comments": {c.id: texts[c.id].strip() for c in evaluation.comments
                     if isinstance(texts.get(c.id), str) and texts[c.id].strip()},
    }
    if knowledge is not None:
        data["knowledge_check"] = {"quiz": evaluation.knowledge_check, "score": knowledge.get("score"),
                                   "out_of": knowledge.get("out_of")}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# --------------------------------------------------------------------------
# Checking a response that comes back


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _unknown_key(key: str, known: Sequence[str], where: str) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{where}: unknown key '{key}'{hint}"


def check_response(data: Any, forms: Mapping[str, EvaluationForm]) -> Response:
    """Check one response (a decoded JSON object) against the evaluation forms by workshop.

    Raises
    ------
    ResponseError
        With every problem found: not a response at all, a workshop with no
        form here (a foreign file), unknown or identifying keys, ratings off
        the scale, an impossible score, or nothing answered.
    """
    if not isinstance(data, dict) or SCHEMA_KEY not in data:
        raise ResponseError([f"not a pvkit evaluation response (it has no '{SCHEMA_KEY}' key)"])
    version = data[SCHEMA_KEY]
    if version != RESPONSE_SCHEMA:
        newer = _is_int(version) and version > RESPONSE_SCHEMA
        raise ResponseError([f"response schema {version!r} is not {RESPONSE_SCHEMA}"
                             + ("; it was made by a newer pvkit: update pvkit" if newer else "")])
    workshop = data.get("workshop")
    form = forms.get(workshop) if isinstance(workshop, str) else None
    if form is None:
        known = ", ".join(sorted(forms)) or "none"
        raise ResponseError([f"it is for workshop {workshop!r}, which is not evaluated in this report "
                             f"(workshops here: {known})"])
    e = form.evaluation
    problems: list[str] = []
    for key in data:
        if key not in RESPONSE_KEYS:
            problems.append(_unknown_key(str(key), RESPONSE_KEYS, "response")
                            + "; response files hold no names or other identifying data")
    if data.get("exercise", e.id) != e.id:
        problems.append(f"exercise: {data['exercise']!r} is not this workshop's evaluation '{e.id}'")
    rid = data.get("response_id", "")
    if not isinstance(rid, str) or len(rid) > 64:
        problems.append("response_id: expected a short text")
        rid = ""
    scales = data.get("scales", {})
    expected = {"agreement": len(e.agreement), "confidence": len(e.confidence)}
    if not isinstance(scales, dict):
        problems.append("scales: expected a mapping")
    else:
        for name, size in scales.items():
            if name not in expected:
                problems.append(_unknown_key(str(name), list(expected), "scales"))
            elif size != expected[name]:
                problems.append(f"scales.{name}: the form had {size!r} points, this evaluation has {expected[name]}")

    def rating(value: Any, top: int, where: str) -> Optional[int]:
        if _is_int(value) and 1 <= value <= top:
            return int(value)
        problems.append(f"{where}: {value!r} is not a rating from 1 to {top}")
        return None

    def mapping(key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if isinstance(value, dict):
            return value
        problems.append(f"{key}: expected a mapping")
        return {}

    reaction_ids = [r.id for r in e.reactions]
    reactions: dict[str, int] = {}
    for rid_, value in mapping("reactions").items():
        if rid_ not in reaction_ids:
            problems.append(_unknown_key(str(rid_), reaction_ids, "reactions"))
        elif (r := rating(value, len(e.agreement), f"reactions.{rid_}")) is not None:
            reactions[rid_] = r

    objective_ids = [o.id for o in form.objectives]
    before: dict[str, int] = {}
    now: dict[str, int] = {}
    for oid, pair in mapping("objectives").items():
        if oid not in objective_ids:
            problems.append(_unknown_key(str(oid), objective_ids, "objectives")
                            + f"; workshop '{form.workshop.id}' has no such objective")
            continue
        if not isinstance(pair, dict):
            problems.append(f"objectives.{oid}: expected {{before, now}}")
            continue
        for when, value in pair.items():
            target = {"before": before, "now": now}.get(when)
            if target is None:
                problems.append(_unknown_key(str(when), ["before", "now"], f"objectives.{oid}"))
            elif (r := rating(value, len(e.confidence), f"objectives.{oid}.{when}")) is not None:
                target[oid] = r

    knowledge: Optional[tuple[int, int]] = None
    kc = data.get("knowledge_check")
    if kc is not None:
        if not e.knowledge_check:
            problems.append("knowledge_check: this evaluation has no knowledge check")
        elif not isinstance(kc, dict):
            problems.append("knowledge_check: expected {quiz, score, out_of}")
        else:
            for key in kc:
                if key not in ("quiz", "score", "out_of"):
                    problems.append(_unknown_key(str(key), ["quiz", "score", "out_of"], "knowledge_check"))
            if kc.get("quiz", e.knowledge_check) != e.knowledge_check:
                problems.append(f"knowledge_check.quiz: {kc['quiz']!r} is not '{e.knowledge_check}'")
            score: Any = kc.get("score")
            out_of: Any = kc.get("out_of")
            if out_of != form.quiz_questions:
                problems.append(f"knowledge_check.out_of: {out_of!r}, but the quiz has {form.quiz_questions} questions")
            elif not (_is_int(score) and 0 <= score <= out_of):
                problems.append(f"knowledge_check.score: {score!r} is not a whole number from 0 to {out_of}")
            else:
                knowledge = (int(score), int(out_of))

    comment_ids = [c.id for c in e.comments]
    comments: dict[str, str] = {}
    for cid, text in mapping("comments").items():
        if cid not in comment_ids:
            problems.append(_unknown_key(str(cid), comment_ids, "comments"))
        elif not isinstance(text, str):
            problems.append(f"comments.{cid}: expected text")
        elif len(text) > MAX_COMMENT:
            problems.append(f"comments.{cid}: {len(text)} characters; at most {MAX_COMMENT} are accepted")
        elif text.strip():
            comments[cid] = text.strip()

    if not problems and not (reactions or before or now or knowledge or comments):
        problems.append("nothing is answered in it")
    if problems:
        raise ResponseError(problems)
    return Response(workshop=form.workshop.id, reactions=reactions, before=before, now=now,
                    knowledge=knowledge, comments=comments, response_id=rid)
