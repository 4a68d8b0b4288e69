"""Learners' own answers: a JSON file beside the notebook, on the learner's machine only.

Check-ins, maps, reflections and plans save here as the learner types.  The
file is re-read when the notebook is re-run, can be downloaded as Markdown or
JSON, loaded back from a downloaded file, and erased.  pvkit never sends it
anywhere, and handout builds never read it.  Stdlib only (runs under Pyodide).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Optional

__all__ = ["ANSWERS_SCHEMA", "AnswerStore", "AnswersFileError"]

ANSWERS_SCHEMA = 1


class AnswersFileError(ValueError):
    """A file given to :meth:`AnswerStore.load_text` is not a pvkit answers file."""


class AnswerStore:
    """Answers of one workshop, kept in ``folder/pvkit-answers-<workshop>.json``.

    ``enabled=False`` (handout builds) keeps everything in memory and never
    touches disk.  A corrupt file is moved aside (never silently discarded)
    and ``notice`` says where it went.
    """

    def __init__(self, workshop: str, folder: Optional[Path] = None, enabled: bool = True) -> None:
        self.workshop = workshop
        self.enabled = enabled
        self.path = Path(folder or Path.cwd()) / f"pvkit-answers-{workshop}.json"
        self.notice = ""
        self._data: dict[str, dict[str, Any]] = {}
        self._listeners: list[Callable[[], None]] = []
        if enabled:
            self._read()

    # -- reading and writing -------------------------------------------------
    def _read(self) -> None:
        if not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self._data = self._checked(data)
        except (OSError, ValueError) as exc:
            aside = self.path.with_name(f"{self.path.stem}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}.json")
            try:
                os.replace(self.path, aside)
                self.notice = (f"Your saved answers file could not be read ({exc}). It was kept as "
                               f"{aside.name}; new answers go to a fresh file.")
            except OSError:
                self.notice = f"Your saved answers file could not be read ({exc}); it was left as it is."
            self._data = {}

    def _checked(self, data: Any) -> dict[str, dict[str, Any]]:
        if not isinstance(data, dict) or data.get("pvkit_answers") != ANSWERS_SCHEMA:
            raise AnswersFileError("not a pvkit answers file")
        answers = data.get("answers")
        if not isinstance(answers, dict) or not all(isinstance(v, dict) for v in answers.values()):
            raise AnswersFileError("the answers in it are not in the expected shape")
        return {str(k): dict(v) for k, v in answers.items()}

    def _write(self) -> None:
        if not self.enabled:
            return
        # A fresh temporary name (O_EXCL): a link planted at a fixed name cannot redirect the write.
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(self.to_json())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # -- the public API ------------------------------------------------------
    def get(self, exercise_id: str) -> dict[str, Any]:
        """Saved answers of one exercise (a copy; empty if none)."""
        return dict(self._data.get(exercise_id, {}))

    def set(self, exercise_id: str, answers: dict[str, Any]) -> None:
        """Replace one exercise's answers and save."""
        self._data[exercise_id] = dict(answers)
        self._write()

    def delete_all(self) -> None:
        """Erase every answer of this workshop, on disk too."""
        self._data = {}
        if self.enabled and self.path.exists():
            self.path.unlink()
        self._changed()

    def load_text(self, text: str) -> int:
        """Replace the answers with a downloaded JSON file's; return how many exercises it held."""
        try:
            data = self._checked(json.loads(text))
        except ValueError as exc:
            raise AnswersFileError(f"this is not a pvkit answers file ({exc})") from exc
        self._data = data
        self._write()
        self._changed()
        return len(data)

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` when answers are loaded or deleted (widgets refresh themselves)."""
        self._listeners.append(callback)

    def _changed(self) -> None:
        for callback in list(self._listeners):
            callback()

    def to_json(self) -> str:
        """All answers as the JSON that :meth:`load_text` reads back."""
        return json.dumps(
            {"pvkit_answers": ANSWERS_SCHEMA, "workshop": self.workshop, "answers": self._data},
            ensure_ascii=False, indent=1, sort_keys=True,
        ) + "\n"

    def to_markdown(self, titles: dict[str, str] | None = None,
                    labels: dict[str, dict[str, str]] | None = None) -> str:
        """All answers as readable Markdown, for the learner to keep.

        ``titles`` maps exercise ids to headings; ``labels`` maps, per exercise, each answer's key
        to the question it answers.  Keys without a label are shown as they are saved.
        """
        titles, labels = titles or {}, labels or {}
        lines = [f"# My answers: {self.workshop}", ""]
        for exercise_id, answers in self._data.items():
            lines += [f"## {titles.get(exercise_id, exercise_id)}", ""]
            named = labels.get(exercise_id, {})
            for key, value in answers.items():
                lines += _markdown_item(named.get(key, key), value)
            lines.append("")
        return "\n".join(lines)


def _markdown_item(label: str, value: Any) -> list[str]:
    if isinstance(value, dict):
        return [f"- **{label}**:", *(f"  - {k}: {v}" for k, v in value.items())] if value else []
    shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return [f"- **{label}**: {shown}"] if "\n" not in shown else [f"- **{label}**:", "", shown, ""]
