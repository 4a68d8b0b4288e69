"""The workbook API: ``setup``, ``show`` and friends.

This is the live path: it imports only the standard library, ipywidgets and
IPython.display, so the released learner notebooks also run under Pyodide.
Content comes from the validated JSON bundle; in a kit folder (developers,
handout builds) it may come from the YAML files, validated on the spot.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Mapping, Optional, Sequence

from pvkit.answers import AnswerStore
from pvkit.content import bundle
from pvkit.content.models import Exercise, Kit, Workshop
from pvkit.runsheet import run_sheet as _agenda_rows
from pvkit.widgets.html import citation_label, esc, inline, paragraphs

__all__ = [
    "BUNDLE_NAME",
    "DEFAULT_SUPPORT",
    "FACILITATOR_OUTPUT",
    "Session",
    "agenda",
    "current",
    "glossary",
    "key_points",
    "module",
    "references",
    "safety",
    "setup",
    "show",
    "term",
]

#: File name of the content bundle that released notebooks read.
BUNDLE_NAME = "pvkit-content.json"
#: Output metadata that marks facilitator-only outputs (answer keys, notes, timings).
FACILITATOR_OUTPUT = {"tags": ["pv-facilitator"]}
DEFAULT_SUPPORT = (
    "If anything in this workshop stirs you up, you can pause, step out or stop at any time. "
    "Talk to your facilitator, your supervisor or your service's support for staff. "
    "In a crisis, contact your local emergency services."
)


@dataclass(frozen=True)
class Session:
    """What ``pvkit.setup`` was given: the workbook's parameters and the content."""

    kit: Kit = field(repr=False)
    workshop: Workshop = field(repr=False)
    render: Literal["live", "handout"] = "live"
    audience: Literal["learner", "facilitator"] = "learner"
    cohort_name: str = ""
    agency: str = ""
    date: str = ""
    start: str = "09:00"
    facilitators: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    breaks: tuple[Mapping[str, Any], ...] = ()
    support: str = ""
    binder_url: str = ""
    hub_url: str = ""
    answers: AnswerStore = field(default=None, repr=False)  # type: ignore[assignment]
    cited: tuple[str, ...] = ()

    @property
    def facilitator(self) -> bool:
        """True when facilitator material is shown."""
        return self.audience == "facilitator"

    @property
    def support_text(self) -> str:
        """The cohort's support text, or the default."""
        return self.support.strip() or DEFAULT_SUPPORT

    def cite(self, key: str) -> Optional[str]:
        """Short label for a reference key, for inline citations."""
        try:
            ref = self.kit.reference(key)
        except KeyError:
            return None
        return citation_label(ref.authors, ref.year, ref.label)

    def exercise(self, exercise_id: str) -> Exercise:
        """Look an exercise up, with a message that helps a workbook author."""
        try:
            return self.kit.exercise(exercise_id)
        except KeyError:
            raise LookupError(
                f"exercise '{exercise_id}' is not in the content; check the id, or run 'pvkit validate'"
            ) from None


_SESSION: Optional[Session] = None
_KITS: dict[tuple[str, float], Kit] = {}


def _load_kit(content: Optional[str]) -> Kit:
    """Find the content: an explicit bundle, $PVKIT_CONTENT, a bundle here, or a kit folder."""
    candidates = [content, os.environ.get("PVKIT_CONTENT"), BUNDLE_NAME]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            path = Path(candidate).resolve()
            key = (str(path), path.stat().st_mtime)
            if key not in _KITS:
                _KITS[key] = bundle.loads(path.read_text(encoding="utf-8"))
            return _KITS[key]
        if candidate and candidate is content:
            raise FileNotFoundError(f"content bundle {candidate} not found")
    from pvkit.kitfolder import find_root, load_kit  # build-time path: YAML + validation

    return load_kit(find_root())


def setup(
    workshop: str = "intro",
    render: str = "live",
    audience: str = "learner",
    cohort_name: str = "",
    agency: str = "",
    date: str = "",
    start: str = "09:00",
    facilitators: Sequence[str] = (),
    modules: Sequence[str] = (),
    breaks: Sequence[Mapping[str, Any]] = (),
    support: str = "",
    binder_url: str = "",
    hub_url: str = "",
    content: Optional[str] = None,
    answers_dir: Optional[str] = None,
) -> None:
    """Start a workbook session; ``show`` and the other calls read it (see :func:`current`).

    Parameters
    ----------
    workshop, render, audience
        Which workshop; ``"live"`` widgets or ``"handout"`` static HTML; ``"learner"`` or
        ``"facilitator"`` material.
    cohort_name, agency, date, start, facilitators, modules, breaks, support, binder_url, hub_url
        The cohort fields a workbook shows (all optional; defaults work with no cohort).
    content
        Path of a content bundle (default: ``$PVKIT_CONTENT``, ``pvkit-content.json`` here, or
        the kit folder's YAML).
    answers_dir
        Where learner answers are saved (default: ``$PVKIT_ANSWERS_DIR`` or the current folder).
    """
    global _SESSION
    if render not in ("live", "handout"):
        raise ValueError(f'render must be "live" or "handout", not {render!r}')
    if audience not in ("learner", "facilitator"):
        raise ValueError(f'audience must be "learner" or "facilitator", not {audience!r}')
    kit = _load_kit(content)
    try:
        ws = kit.workshop(workshop)
    except KeyError:
        raise LookupError(f"workshop '{workshop}' is not in the content") from None
    folder = answers_dir or os.environ.get("PVKIT_ANSWERS_DIR")
    store = AnswerStore(workshop, Path(folder) if folder else None, enabled=render == "live")
    _SESSION = Session(
        kit=kit, workshop=ws, render=render, audience=audience,  # type: ignore[arg-type]
        cohort_name=cohort_name, agency=agency, date=date, start=start or "09:00",
        facilitators=tuple(facilitators), modules=tuple(modules),
        breaks=tuple(dict(b) for b in breaks), support=support,
        binder_url=binder_url, hub_url=hub_url, answers=store,
        cited=tuple(kit.workbook_citations.get(workshop, ())),
    )
    if store.notice:
        _display_html(f'<div class="pv-notice" role="status">{esc(store.notice)}</div>')


def current() -> Session:
    """The session started by ``pvkit.setup``."""
    if _SESSION is None:
        raise RuntimeError("call pvkit.setup(...) first: run the workbook's first code cells")
    return _SESSION


# --------------------------------------------------------------------------
# Display helpers


def _display_html(html: str, facilitator: bool = False) -> None:
    from IPython.display import HTML, display

    display(HTML(html), metadata=dict(FACILITATOR_OUTPUT) if facilitator else {})


def _box(kind: str, title: str, body: str, role: str = "note") -> str:
    return (f'<section class="pv-box pv-{kind}" role="{role}" aria-label="{esc(title)}">'
            f'<p class="pv-box-title"><strong>{esc(title)}</strong></p>{body}</section>')


def show(exercise_id: str) -> None:
    """Show one exercise: a live widget, or its static rendering in a handout."""
    from pvkit.widgets import face

    s = current()
    exercise = s.exercise(exercise_id)
    kind = face(exercise.kind)
    if s.render == "handout":
        static = kind.static(exercise, s)
        if static.learner:
            _display_html(static.learner)
        if s.facilitator:
            key = static.key + _notes_html(exercise, s)
            if key:
                _display_html(key, facilitator=True)
        return
    import ipywidgets as w
    from IPython.display import display

    from pvkit.widgets.html import LIVE_STYLE

    display(w.VBox([w.HTML(LIVE_STYLE), kind.live(exercise, s)]))
    if s.facilitator and exercise.facilitator_notes:
        _display_html(_notes_html(exercise, s), facilitator=True)


def _notes_html(exercise: Exercise, s: Session) -> str:
    if not exercise.facilitator_notes.strip():
        return ""
    return _box("facilitator", f"Facilitator notes: {exercise.title}",
                paragraphs(exercise.facilitator_notes, s.cite))


def module(module_id: str) -> None:
    """Open a module: heading, minutes, objectives and key questions; timings for facilitators."""
    s = current()
    m = s.workshop.module(module_id)
    number = s.workshop.module_ids.index(module_id) + 1
    objectives = "".join(f"<li>{inline(o, s.cite)}</li>" for o in m.objectives)
    questions = "".join(f"<li>{inline(q, s.cite)}</li>" for q in m.questions)
    _display_html(
        f'<section class="pv-module" id="module-{esc(m.id)}">'
        f'<h2>{number}. {esc(m.title)} <span class="pv-minutes">({m.minutes} min)</span></h2>'
        f'<p><strong>By the end you can:</strong></p><ul>{objectives}</ul>'
        f'<p><strong>Questions we answer:</strong></p><ul>{questions}</ul></section>'
    )
    if s.facilitator:
        row = next((r for r in _agenda_rows(s.workshop, s.start, s.modules, s.breaks) if r.module_id == m.id), None)
        when = f"{row.start}-{row.end}" if row else "not run for this cohort"
        _display_html(_box("facilitator", "Facilitator timing",
                           f"<p>{esc(m.title)}: {m.minutes} minutes, {esc(when)}.</p>"), facilitator=True)


def key_points(module_id: str) -> None:
    """Close a module with its key points."""
    s = current()
    m = s.workshop.module(module_id)
    items = "".join(f"<li>{inline(p, s.cite)}</li>" for p in m.key_points)
    _display_html(_box("keypoints", f"Key points: {m.title}", f"<ul>{items}</ul>"))


def safety() -> None:
    """The safety and consent box shown before experiential exercises."""
    s = current()
    body = (
        "<p>This workshop is <strong>education, not therapy, diagnosis or medical advice</strong>.</p>"
        "<ul><li>Every experiential exercise is an invitation. You can take part, watch, or sit it out, "
        "and nobody will ask why.</li>"
        "<li>You never need to share anything personal. Eyes can stay open. Where an exercise uses the "
        "breath, there is always another way to take part.</li>"
        "<li>Your own answers (check-ins, maps, reflections, plans) stay on your own device. They are "
        "not collected and never appear in a handout.</li></ul>"
        f'<p><strong>Support:</strong> {esc(s.support_text)}</p>'  # the cohort's words, as typed
    )
    _display_html(_box("safety", "Safety and consent", body, role="note"))


def agenda() -> None:
    """The run sheet with clock times (a facilitator's view of the day)."""
    s = current()
    rows = _agenda_rows(s.workshop, s.start, s.modules, s.breaks)
    body = "".join(
        f"<tr><td>{r.start}-{r.end}</td><td>{r.minutes}</td><td>{'<em>' if r.is_break else ''}"
        f"{esc(r.title)}{'</em>' if r.is_break else ''}</td></tr>" for r in rows
    )
    total = sum(r.minutes for r in rows)
    who = f" for {esc(s.cohort_name)}" if s.cohort_name else ""
    when = f" on {esc(s.date)}" if s.date else ""
    _display_html(
        f'<section class="pv-agenda"><h2>Run sheet{who}{when}</h2>'
        f'<table><caption>{esc(s.workshop.title)}: {total} minutes from {esc(s.start)}</caption>'
        f"<thead><tr><th scope=\"col\">Time</th><th scope=\"col\">Minutes</th><th scope=\"col\">Module</th>"
        f"</tr></thead><tbody>{body}</tbody></table></section>",
        facilitator=True,
    )


def _workshop_exercises(s: Session) -> list[Exercise]:
    return [e for e in s.kit.exercises if e.workshop == s.workshop.id and (not s.modules or e.module in s.modules)]


def glossary() -> None:
    """The glossary terms this workshop uses, with plain definitions."""
    s = current()
    names: list[str] = []
    for m in s.workshop.modules:
        if not s.modules or m.id in s.modules:
            names += m.terms
    for e in _workshop_exercises(s):
        names += e.terms
    terms = {}
    for name in names:
        try:
            t = s.kit.term(name)
        except KeyError:
            continue
        terms[t.term] = t
    items = "".join(
        f'<dt id="term-{esc(t.term.replace(" ", "-"))}">{esc(t.term)}</dt><dd>{inline(t.definition, s.cite)}</dd>'
        for t in sorted(terms.values(), key=lambda t: t.term.casefold())
    )
    _display_html(f'<section class="pv-glossary"><h2>Glossary</h2><dl>{items}</dl></section>')


def references() -> None:
    """The sources cited in this workshop's text and exercises."""
    from pvkit.content.citations import citations_in, strings_in

    s = current()
    keys: list[str] = list(s.cited)
    for m in s.workshop.modules:
        keys += m.sources
        for text in (*m.objectives, *m.questions, *m.key_points):
            keys += citations_in(text)
    for e in _workshop_exercises(s):
        keys += e.sources
        keys += [key for _, text in strings_in(e) for key in citations_in(text)]
    refs = []
    for key in dict.fromkeys(keys):
        try:
            refs.append(s.kit.reference(key))
        except KeyError:
            continue
    refs.sort(key=lambda r: (r.authors.casefold(), r.year or 0))
    items = "".join(
        f'<li id="ref-{esc(r.key)}">{esc(r.citation())}'
        f'{" <em>" + esc(r.note) + "</em>" if r.note else ""}</li>' for r in refs
    )
    _display_html(f'<section class="pv-references"><h2>References</h2><ul>{items}</ul></section>')


def term(name: str) -> None:
    """Show one glossary term and its definition, inline in the teaching text."""
    s = current()
    t = s.kit.term(name)
    _display_html(f'<p class="pv-term"><dfn>{esc(t.term)}</dfn>: {inline(t.definition, s.cite)}</p>')
