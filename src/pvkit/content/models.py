"""The content model: frozen stdlib dataclasses shared by every path.

These classes are the single content model of pvkit.  At build time
:mod:`pvkit.content.validate` checks YAML against them with pydantic (which
understands stdlib dataclasses); at run time, in a learner's kernel or under
Pyodide, :mod:`pvkit.content.bundle` rebuilds them from the validated JSON
bundle with the standard library alone.  Nothing here may import anything
outside the standard library.

Every class sets ``__pydantic_config__`` as a plain dict (``ConfigDict`` is a
``TypedDict``), so unknown keys are rejected without importing pydantic here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar, Literal, Mapping, Optional, Union

__all__ = [
    "Alternative",
    "Checkin",
    "CheckinState",
    "Choice",
    "EXERCISE_KINDS",
    "Evaluation",
    "EvaluationItem",
    "Exercise",
    "FormField",
    "Kit",
    "Map",
    "Module",
    "Objective",
    "Option",
    "Plan",
    "PlanSection",
    "Practice",
    "Question",
    "Quiz",
    "Reference",
    "Reflection",
    "Scenario",
    "ScenarioStep",
    "Sort",
    "SortBin",
    "SortItem",
    "Term",
    "Timer",
    "Workshop",
]

_STRICT: dict[str, object] = {"extra": "forbid"}


def _frozen(cls: type) -> type:
    """Make ``cls`` a frozen, keyword-only dataclass that forbids unknown keys."""
    cls.__pydantic_config__ = _STRICT  # type: ignore[attr-defined]
    return dataclass(frozen=True, kw_only=True)(cls)


# --------------------------------------------------------------------------
# References and glossary


@_frozen
class Reference:
    """One entry of ``exercises/references.yaml``; cited as ``[@key]``."""

    key: str
    authors: str
    title: str
    year: Optional[int] = None
    venue: str = ""
    doi: str = ""
    url: str = ""
    note: str = ""
    #: Short in-text name where the author list does not give one, e.g. "SAMHSA".
    label: str = ""

    def citation(self) -> str:
        """Return a one-line plain-text citation."""
        year = "n.d." if self.year is None else str(self.year)
        title = self.title if self.title.endswith(("?", "!", ".")) else f"{self.title}."
        parts = [f"{self.authors} ({year}). {title}"]
        if self.venue:
            parts.append(f"{self.venue}.")
        if self.doi:
            parts.append(f"https://doi.org/{self.doi}")
        elif self.url:
            parts.append(self.url)
        return " ".join(parts)


@_frozen
class Term:
    """One glossary entry: a term in the glossary's own words, one plain sentence."""

    term: str
    definition: str
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The term and its aliases, as they may appear in text."""
        return (self.term, *self.aliases)


# --------------------------------------------------------------------------
# Workshops


@_frozen
class Module:
    """One timed part of a workshop."""

    id: str
    title: str
    minutes: int
    objectives: tuple[str, ...]
    questions: tuple[str, ...]
    key_points: tuple[str, ...]
    terms: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@_frozen
class Workshop:
    """A workshop: an ordered list of modules whose minutes add up to ``minutes``."""

    id: str
    title: str
    minutes: int
    summary: str
    audience: str
    review_date: str
    modules: tuple[Module, ...]
    prerequisites: str = ""

    def module(self, module_id: str) -> Module:
        """Return the module ``module_id``; raise ``KeyError`` if absent."""
        for module in self.modules:
            if module.id == module_id:
                return module
        raise KeyError(module_id)

    @property
    def module_ids(self) -> tuple[str, ...]:
        """Module ids in workshop order."""
        return tuple(m.id for m in self.modules)


# --------------------------------------------------------------------------
# Building blocks shared by several exercise kinds


@_frozen
class FormField:
    """A labelled free-text input (reflection prompt, map cell, plan field).

    ``model_answer`` is facilitator-only: it is printed in the answer key,
    never in the learner's view.
    """

    id: str
    label: str
    hint: str = ""
    lines: int = 3
    model_answer: str = ""


@_frozen
class Option:
    """One answer option of a quiz question, with feedback explaining why."""

    text: str
    feedback: str
    correct: bool = False


@_frozen
class Question:
    """A quiz question; ``multiple`` means "select all that apply"."""

    text: str
    options: tuple[Option, ...]
    multiple: bool = False

    @property
    def correct_indices(self) -> tuple[int, ...]:
        """Indices of the correct options."""
        return tuple(i for i, o in enumerate(self.options) if o.correct)


@_frozen
class SortBin:
    """A named bin that sort items are placed into."""

    id: str
    label: str
    description: str = ""


@_frozen
class SortItem:
    """An item to sort, the bin it belongs in, and why."""

    text: str
    bin: str
    feedback: str


@_frozen
class Choice:
    """A choice at a scenario step; ``next`` names a further step, or is empty."""

    text: str
    feedback: str
    rating: Literal["helpful", "mixed", "unhelpful"]
    next: str = ""


@_frozen
class ScenarioStep:
    """A decision point of a branching scenario."""

    id: str
    text: str
    choices: tuple[Choice, ...]


@_frozen
class CheckinState:
    """A state a learner may pick in a check-in."""

    id: str
    label: str
    description: str
    blended: bool = False


@_frozen
class Alternative:
    """A non-breath (or otherwise different) way to take part in a practice."""

    title: str
    text: str


@_frozen
class EvaluationItem:
    """A statement an evaluation asks learners to rate, e.g. "The workshop was useful for my work"."""

    id: str
    label: str


@dataclass(frozen=True)
class Objective:
    """One module objective as an evaluation rates it; ``id`` is ``<module-id>.<n>`` (n from 1)."""

    id: str
    module: Module
    text: str


@_frozen
class PlanSection:
    """A group of plan fields under one heading."""

    id: str
    title: str
    fields: tuple[FormField, ...]
    hint: str = ""


# --------------------------------------------------------------------------
# Exercises: one class per kind, all sharing the fields below


@_frozen
class _ExerciseBase:
    id: str
    workshop: str
    module: str
    title: str
    prompt: str
    facilitator_notes: str = ""
    sources: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    minutes: Optional[int] = None

    #: Exercises whose answers are the learner's own (saved locally, never printed).
    personal: ClassVar[bool] = False


@_frozen
class Quiz(_ExerciseBase):
    """Questions with feedback on every option, a score and retry."""

    kind: Literal["quiz"] = "quiz"
    questions: tuple[Question, ...]
    shuffle: bool = False
    seed: int = 0


@_frozen
class Sort(_ExerciseBase):
    """Items to place into named bins, checked with per-item feedback."""

    kind: Literal["sort"] = "sort"
    bins: tuple[SortBin, ...]
    items: tuple[SortItem, ...]


@_frozen
class Scenario(_ExerciseBase):
    """A branching case vignette; the first step is where it starts."""

    kind: Literal["scenario"] = "scenario"
    setting: str
    steps: tuple[ScenarioStep, ...]
    discussion: tuple[str, ...] = ()

    def step(self, step_id: str) -> ScenarioStep:
        """Return the step ``step_id``; raise ``KeyError`` if absent."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)


@_frozen
class Checkin(_ExerciseBase):
    """Where am I now: a state and an intensity; private by default."""

    kind: Literal["checkin"] = "checkin"
    states: tuple[CheckinState, ...]
    scale_max: int = 10
    scale_low: str = "barely"
    scale_high: str = "very strongly"
    #: False where a show of hands would be exposing: no tally in the live or printed facilitator view.
    room_tally: bool = True
    personal: ClassVar[bool] = True


@_frozen
class Map(_ExerciseBase):
    """A personal autonomic map: per state, several aspects; plus lists."""

    kind: Literal["map"] = "map"
    states: tuple[CheckinState, ...]
    aspects: tuple[FormField, ...]
    lists: tuple[FormField, ...] = ()
    personal: ClassVar[bool] = True


@_frozen
class Reflection(_ExerciseBase):
    """Prompts with space to write."""

    kind: Literal["reflection"] = "reflection"
    prompts: tuple[FormField, ...]
    personal: ClassVar[bool] = True


@_frozen
class Practice(_ExerciseBase):
    """A guided regulation practice with a visual pacer and alternatives."""

    kind: Literal["practice"] = "practice"
    steps: tuple[str, ...]
    alternatives: tuple[Alternative, ...]
    opt_out: str
    inhale: float = 4.0
    exhale: float = 6.0
    rounds: int = 6


@_frozen
class Plan(_ExerciseBase):
    """A structured form, such as an implementation or follow-up plan."""

    kind: Literal["plan"] = "plan"
    sections: tuple[PlanSection, ...]
    personal: ClassVar[bool] = True


@_frozen
class Timer(_ExerciseBase):
    """A facilitator countdown; ``minutes`` defaults to the module's minutes."""

    kind: Literal["timer"] = "timer"
    agenda: bool = False


@_frozen
class Evaluation(_ExerciseBase):
    """An anonymous workshop evaluation (Kirkpatrick levels 1 and 2).

    Reaction items rated on ``agreement``; a retrospective before/now self-rating
    of confidence (on ``confidence``) for every objective of the modules run; the
    score of the ``knowledge_check`` quiz, if the learner took it; and free-text
    ``comments``.  Scale labels run from the lowest rating (1) to the highest.
    """

    kind: Literal["evaluation"] = "evaluation"
    reactions: tuple[EvaluationItem, ...]
    comments: tuple[FormField, ...]
    knowledge_check: str = ""
    agreement: tuple[str, ...] = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
                                  "Strongly agree")
    confidence: tuple[str, ...] = ("Not at all confident", "A little confident", "Somewhat confident",
                                   "Quite confident", "Very confident")
    personal: ClassVar[bool] = True

    def objectives(self, workshop: Workshop, module_ids: tuple[str, ...] = ()) -> tuple[Objective, ...]:
        """The objectives to rate: every objective of ``module_ids`` (default: all modules), in workshop order."""
        return tuple(
            Objective(id=f"{mod.id}.{n}", module=mod, text=text)
            for mod in workshop.modules if not module_ids or mod.id in module_ids
            for n, text in enumerate(mod.objectives, start=1)
        )


Exercise = Union[Quiz, Sort, Scenario, Checkin, Map, Reflection, Practice, Plan, Timer, Evaluation]

#: Exercise kind name -> class.
EXERCISE_KINDS: dict[str, type] = {
    cls.kind: cls  # type: ignore[attr-defined]
    for cls in (Quiz, Sort, Scenario, Checkin, Map, Reflection, Practice, Plan, Timer, Evaluation)
}


# --------------------------------------------------------------------------
# The whole kit


@dataclass(frozen=True)
class Kit:
    """All content of a kit folder, validated; look-ups by id."""

    workshops: tuple[Workshop, ...]
    exercises: tuple[Exercise, ...]
    glossary: tuple[Term, ...]
    references: tuple[Reference, ...]
    #: Workshop id -> reference keys cited in that workbook's Markdown cells.
    workbook_citations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def _workshops(self) -> dict[str, Workshop]:
        return {w.id: w for w in self.workshops}

    @cached_property
    def _exercises(self) -> dict[str, Exercise]:
        return {e.id: e for e in self.exercises}

    @cached_property
    def _references(self) -> dict[str, Reference]:
        return {r.key: r for r in self.references}

    @cached_property
    def _terms(self) -> dict[str, Term]:
        return {name.casefold(): t for t in self.glossary for name in t.names}

    def workshop(self, workshop_id: str) -> Workshop:
        """Return the workshop ``workshop_id``; raise ``KeyError`` if absent."""
        return self._workshops[workshop_id]

    def exercise(self, exercise_id: str) -> Exercise:
        """Return the exercise ``exercise_id``; raise ``KeyError`` if absent."""
        return self._exercises[exercise_id]

    def reference(self, key: str) -> Reference:
        """Return the reference ``key``; raise ``KeyError`` if absent."""
        return self._references[key]

    def term(self, name: str) -> Term:
        """Return the glossary entry for ``name`` or one of its aliases (any case)."""
        return self._terms[name.casefold()]

    def module(self, workshop_id: str, module_id: str) -> Module:
        """Return one module of one workshop."""
        return self.workshop(workshop_id).module(module_id)
