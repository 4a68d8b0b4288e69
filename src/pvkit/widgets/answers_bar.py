"""The answers bar, and the base class of the widgets whose answers are the learner's own.

Check-ins, maps, reflections and plans save every change to the session's
:class:`~pvkit.answers.AnswerStore`: a JSON file beside the notebook, where
the learner's kernel runs.  Each of these widgets ends with an
:class:`AnswersBar`: the note that says so, download links (Markdown and
JSON, as ``data:`` links, so they work offline and without JavaScript),
loading a downloaded file back, and deleting every answer.

Stdlib and ipywidgets only: this runs under Pyodide too.
"""

from __future__ import annotations

import base64
import weakref
from typing import Any, Callable, Iterable, Optional, Sequence

import ipywidgets as w

from pvkit.answers import AnswerStore
from pvkit.widgets.html import esc, paragraphs

__all__ = ["AnswersBar", "PersonalWidget", "TextAreasWidget", "header", "listen", "save_answers", "store_of", "text_of"]

#: Every live answers bar of a store, so that a save refreshes their download links.
_BARS: "weakref.WeakKeyDictionary[AnswerStore, weakref.WeakSet[AnswersBar]]" = weakref.WeakKeyDictionary()


def store_of(session: Any, exercise: Any = None) -> AnswerStore:
    """The session's answer store, or a store in memory when there is no session."""
    if session is not None and getattr(session, "answers", None) is not None:
        return session.answers
    return AnswerStore(getattr(exercise, "workshop", "pvkit"), enabled=False)


def listen(store: AnswerStore, method: Callable[[], None]) -> None:
    """Call the bound ``method`` when answers are loaded or deleted, without keeping its widget alive."""
    ref = weakref.WeakMethod(method)

    def call() -> None:
        target = ref()
        if target is not None:
            target()

    store.on_change(call)


def save_answers(store: AnswerStore, exercise_id: str, answers: dict[str, Any]) -> None:
    """Save one exercise's answers and refresh the download links of every answers bar."""
    store.set(exercise_id, answers)
    for bar in list(_BARS.get(store, ())):
        bar.refresh()


def text_of(value: Any) -> str:
    """A saved text answer, or ``""`` if a loaded file holds something else there."""
    return value if isinstance(value, str) else ""


def header(exercise: Any, cite: Any) -> str:
    """The exercise title and prompt."""
    return f'<h3 class="pv-title">{esc(exercise.title)}</h3>{paragraphs(exercise.prompt, cite)}'


def answer_labels(exercise: Any) -> dict[str, str]:
    """Saved answer key -> the question it answers, for the Markdown download."""
    kind = exercise.kind
    if kind == "reflection":
        return {f.id: f.label for f in exercise.prompts}
    if kind == "plan":
        return {f"{s.id}.{f.id}": f"{s.title}: {f.label}" for s in exercise.sections for f in s.fields}
    if kind == "map":
        return {**{f"{s.id}.{a.id}": f"{s.label}: {a.label}" for s in exercise.states for a in exercise.aspects},
                **{f.id: f.label for f in exercise.lists}}
    if kind == "checkin":
        return {"state": "State", "intensity": "How strongly"}
    if kind in ("quiz", "sort"):
        return {"score": "Score", "out_of": "Out of"}
    if kind == "scenario":
        return {"path": "My choices"}
    return {}


def _download_link(text: str, file_name: str, mime: str, payload: str) -> str:
    data = base64.b64encode(payload.encode("utf-8")).decode("ascii")
    return (f'<a class="pv-download" download="{esc(file_name)}" '
            f'href="data:{mime};charset=utf-8;base64,{data}">{esc(text)}</a>')


class AnswersBar(w.VBox):
    """Where the answers are kept, download links, load a downloaded file, delete every answer.

    Parameters
    ----------
    store
        The session's answer store.
    exercises
        The workshop's exercises, for the headings and question labels of the Markdown download.
    """

    def __init__(self, store: AnswerStore, exercises: Iterable[Any] = ()) -> None:
        self.store = store
        exercises = tuple(exercises)
        self.titles = {e.id: e.title for e in exercises}
        self.labels = {e.id: answer_labels(e) for e in exercises}
        note = (f"Your answers are saved only in a file next to this notebook ({store.path.name}); "
                "nothing is sent anywhere. On Binder the session is deleted when you close it: "
                "download your answers to keep them.")
        self.notice = w.HTML(self._notice_html())
        self.links = w.HTML("")
        # width="auto": the default button width cuts these labels off ("Delete my answ...")
        self.upload = w.FileUpload(accept=".json", multiple=False, description="Load my answers",
                                   tooltip="Load a JSON file of answers you downloaded before",
                                   layout=w.Layout(width="auto"))
        self.delete_button = w.Button(description="Delete my answers", icon="trash",
                                      tooltip="Erase every answer of this workshop from this computer",
                                      layout=w.Layout(width="auto"))
        self.yes_button = w.Button(description="Yes, delete", button_style="danger", icon="trash",
                                   layout=w.Layout(width="auto"))
        self.cancel_button = w.Button(description="Cancel", layout=w.Layout(width="auto"))
        self.confirm = w.HBox([w.HTML("<p><strong>Delete every answer of this workshop?</strong> "
                                      "This cannot be undone.</p>"), self.yes_button, self.cancel_button],
                              layout=w.Layout(display="none", flex_flow="row wrap", align_items="center"))
        self.message = w.HTML("")
        self.upload.observe(self._uploaded, names="value")
        self.delete_button.on_click(lambda _: self.delete())
        self.yes_button.on_click(lambda _: self.confirm_delete())
        self.cancel_button.on_click(lambda _: self._hide_confirm())
        super().__init__([
            w.HTML(f'<p class="pv-answers-note" role="note">{esc(note)}</p>'), self.notice, self.links,
            w.HBox([self.upload, self.delete_button], layout=w.Layout(flex_flow="row wrap")),
            self.confirm, self.message,
        ])
        self.add_class("pv-answers-bar")
        _BARS.setdefault(store, weakref.WeakSet()).add(self)
        listen(store, self.refresh)
        self.refresh()

    def _notice_html(self) -> str:
        if not self.store.notice:
            return ""
        return f'<p class="pv-notice" role="status"><strong>Note:</strong> {esc(self.store.notice)}</p>'

    def refresh(self) -> None:
        """Rebuild the download links from the answers saved now."""
        stem = self.store.path.stem
        self.links.value = (
            '<p class="pv-downloads">Download my answers: '
            + _download_link("as Markdown (to read)", f"{stem}.md", "text/markdown",
                             self.store.to_markdown(self.titles, self.labels))
            + " | "
            + _download_link("as JSON (to load back later)", f"{stem}.json", "application/json",
                             self.store.to_json())
            + "</p>"
        )

    def _say(self, text: str, problem: bool = False) -> None:
        label = "Problem: " if problem else ""
        self.message.value = f'<p class="pv-message" role="status"><strong>{label}</strong>{esc(text)}</p>'

    def _uploaded(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        chosen = files[0]
        self.load_bytes(bytes(chosen["content"]), str(chosen.get("name") or "the file"))
        self.upload.value = ()

    def load_bytes(self, data: bytes, name: str = "the file") -> Optional[int]:
        """Load a downloaded JSON file; return how many exercises it held, or ``None`` if it was refused."""
        try:
            count = self.store.load_text(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            self._say(f"{name} could not be loaded: it is not a text file. Your answers were not changed.",
                      problem=True)
            return None
        except ValueError as exc:  # AnswersFileError: not JSON, or not a pvkit answers file
            self._say(f"{name} could not be loaded: {exc}. Your answers were not changed.", problem=True)
            return None
        self._say(f"Loaded your answers to {count} exercise(s) from {name}.")
        return count

    def delete(self) -> None:
        """Ask to confirm deleting every answer."""
        self.confirm.layout.display = "flex"
        self.message.value = ""

    def _hide_confirm(self) -> None:
        self.confirm.layout.display = "none"

    def confirm_delete(self) -> None:
        """Delete every answer of this workshop, on disk too."""
        self._hide_confirm()
        self.store.delete_all()
        self._say("Your answers were deleted.")


class PersonalWidget(w.VBox):
    """Base of the widgets whose answers are the learner's own.

    A subclass builds its inputs, passes them to ``__init__`` as ``body`` and
    observes their ``value`` with :meth:`save`; it implements :meth:`values`
    (what to save) and :meth:`fill` (show saved answers).  The saved answers
    are shown when the widget is built and again whenever answers are loaded
    or deleted.
    """

    def __init__(self, exercise: Any, session: Any, body: Sequence[w.Widget]) -> None:
        self.exercise = exercise
        self.session = session
        self.cite = session.cite if session is not None else None
        self.store = store_of(session, exercise)
        self.bar = AnswersBar(self.store, session.kit.exercises if session is not None else ())
        self._filling = False
        super().__init__([w.HTML(header(exercise, self.cite)), *body, self.bar])
        self.add_class("pv-exercise")
        self.add_class(f"pv-{exercise.kind}")
        self.refresh()
        listen(self.store, self.refresh)

    def values(self) -> dict[str, Any]:
        """The answers to save now."""
        raise NotImplementedError

    def fill(self, answers: dict[str, Any]) -> None:
        """Show ``answers`` (empty: clear every input)."""
        raise NotImplementedError

    def changed(self) -> None:
        """Called after every save and refresh (a hook for pictures drawn from the answers)."""

    def refresh(self) -> None:
        """Show the saved answers."""
        self._filling = True
        try:
            self.fill(self.store.get(self.exercise.id))
        finally:
            self._filling = False
        self.changed()

    def save(self, _change: Any = None) -> None:
        """Save the answers (inputs call this whenever their value changes)."""
        if self._filling:
            return
        save_answers(self.store, self.exercise.id, self.values())
        self.changed()


class TextAreasWidget(PersonalWidget):
    """A personal widget whose inputs are text areas keyed by answer id (reflection, plan, map)."""

    def __init__(self, exercise: Any, session: Any, body: Sequence[w.Widget], areas: dict[str, w.Textarea]) -> None:
        self.areas = areas
        super().__init__(exercise, session, body)
        for area in areas.values():
            area.observe(self.save, names="value")

    def values(self) -> dict[str, Any]:
        """Non-empty answers by answer id."""
        return {key: area.value for key, area in self.areas.items() if area.value.strip()}

    def fill(self, answers: dict[str, Any]) -> None:
        """Show saved answers; clear the rest."""
        for key, area in self.areas.items():
            area.value = text_of(answers.get(key))
