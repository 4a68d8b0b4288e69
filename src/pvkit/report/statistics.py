"""Cohort statistics of evaluation responses: pure functions, no I/O, no plotting.

Anonymity rule: a group (one rated item, the knowledge check, the answers to
one free-text question) with fewer than :data:`MIN_GROUP` responses is
suppressed: no mean, no distribution and no comments are given for it, only
the fact that it was suppressed.  Free-text comments are put in a shuffled
order that depends only on the set of comments, so that their order says
nothing about which file, or which ratings, they came with.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from pvkit.content.models import Objective
from pvkit.report.response import EvaluationForm, Response

__all__ = [
    "MIN_GROUP",
    "CommentGroup",
    "EvaluationSummary",
    "KnowledgeSummary",
    "ObjectiveSummary",
    "RatingSummary",
    "distribution",
    "mean",
    "shuffled",
    "summarise",
]

#: Groups smaller than this are suppressed to protect anonymity.
MIN_GROUP = 3


def mean(values: Sequence[float]) -> Optional[float]:
    """The arithmetic mean, or ``None`` for no values."""
    return sum(values) / len(values) if values else None


def distribution(values: Sequence[int], low: int, high: int) -> tuple[int, ...]:
    """How many values equal each of ``low..high`` (inclusive), in that order."""
    return tuple(sum(1 for v in values if v == level) for level in range(low, high + 1))


def shuffled(texts: Sequence[str]) -> tuple[str, ...]:
    """``texts`` in an order that depends only on which texts there are, never on their input order."""
    ordered = sorted(texts)
    seed = hashlib.sha256("\x00".join(ordered).encode("utf-8")).hexdigest()
    random.Random(seed).shuffle(ordered)
    return tuple(ordered)


@dataclass(frozen=True)
class RatingSummary:
    """One rated item (a reaction statement); ``counts[i]`` is how many rated it ``i + 1``."""

    id: str
    label: str
    n: int
    mean: Optional[float]
    counts: tuple[int, ...]
    suppressed: bool


@dataclass(frozen=True)
class ObjectiveSummary:
    """Confidence before and now in one objective, over the responses that rated both."""

    objective: Objective
    n: int
    before_mean: Optional[float]
    now_mean: Optional[float]
    before_counts: tuple[int, ...]
    now_counts: tuple[int, ...]
    suppressed: bool

    @property
    def change(self) -> Optional[float]:
        """Mean change (now minus before), or ``None`` when suppressed or empty."""
        if self.before_mean is None or self.now_mean is None:
            return None
        return self.now_mean - self.before_mean


@dataclass(frozen=True)
class KnowledgeSummary:
    """Knowledge-check scores; ``counts[s]`` is how many scored ``s`` of ``out_of``."""

    quiz: str
    out_of: int
    n: int
    mean: Optional[float]
    counts: tuple[int, ...]
    suppressed: bool


@dataclass(frozen=True)
class CommentGroup:
    """The answers to one free-text question, shuffled; empty when suppressed."""

    id: str
    label: str
    n: int
    comments: tuple[str, ...]
    suppressed: bool


@dataclass(frozen=True)
class EvaluationSummary:
    """Everything a cohort report shows, with small groups already suppressed."""

    form: EvaluationForm
    n: int
    reactions: tuple[RatingSummary, ...]
    objectives: tuple[ObjectiveSummary, ...]
    knowledge: Optional[KnowledgeSummary]
    comments: tuple[CommentGroup, ...]
    #: Responses that rated objectives of modules this cohort did not run (those ratings are left out).
    outside_modules: int = 0

    @property
    def suppressed(self) -> int:
        """How many groups were suppressed."""
        groups: list[Any] = [*self.reactions, *self.objectives, *self.comments]
        if self.knowledge is not None:
            groups.append(self.knowledge)
        return sum(1 for g in groups if g.suppressed)


def _rating(id_: str, label: str, values: Sequence[int], top: int) -> RatingSummary:
    small = len(values) < MIN_GROUP
    return RatingSummary(id_, label, len(values), None if small else mean(values),
                         () if small else distribution(values, 1, top), small)


def summarise(
    responses: Sequence[Response], form: EvaluationForm, module_ids: Sequence[str] = ()
) -> EvaluationSummary:
    """Summarise the responses to one workshop's evaluation, for the objectives of ``module_ids``.

    ``module_ids`` are the modules the cohort ran (default: all).  Objective
    means use only responses that rated both before and now (paired ratings).
    """
    e = form.evaluation
    mine = [r for r in responses if r.workshop == form.workshop.id]
    reactions = tuple(_rating(item.id, item.label, [r.reactions[item.id] for r in mine if item.id in r.reactions],
                              len(e.agreement)) for item in e.reactions)
    top = len(e.confidence)
    objectives = []
    for objective in e.objectives(form.workshop, tuple(module_ids)):
        pairs = [(r.before[objective.id], r.now[objective.id]) for r in mine
                 if objective.id in r.before and objective.id in r.now]
        small = len(pairs) < MIN_GROUP
        before = [b for b, _ in pairs]
        now = [n for _, n in pairs]
        objectives.append(ObjectiveSummary(
            objective, len(pairs),
            None if small else mean(before), None if small else mean(now),
            () if small else distribution(before, 1, top), () if small else distribution(now, 1, top),
            small,
        ))
    knowledge = None
    if e.knowledge_check:
        scores = [r.knowledge[0] for r in mine if r.knowledge is not None]
        small = len(scores) < MIN_GROUP
        knowledge = KnowledgeSummary(e.knowledge_check, form.quiz_questions, len(scores),
                                     None if small else mean(scores),
                                     () if small else distribution(scores, 0, form.quiz_questions), small)
    comments = []
    for question in e.comments:
        texts = [r.comments[question.id] for r in mine if question.id in r.comments]
        small = len(texts) < MIN_GROUP
        comments.append(CommentGroup(question.id, question.label, len(texts),
                                     () if small else shuffled(texts), small))
    run = {o.id for o in e.objectives(form.workshop, tuple(module_ids))}
    outside = sum(1 for r in mine if any(oid not in run for oid in (*r.before, *r.now)))
    return EvaluationSummary(form, len(mine), reactions, tuple(objectives), knowledge, tuple(comments), outside)
