"""Learner releases: the workbooks as learners open them on Binder, a JupyterHub or JupyterLite.

A release is a folder holding one notebook per workshop and the validated
content bundle they read (``pvkit-content.json``).  The notebooks have no
facilitator cells, ``audience = "learner"`` and ``render = "live"`` in their
parameters cell, and no outputs; the bundle has no facilitator notes or model
answers, but keeps quiz and scenario feedback, which learners studying alone
need.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pvkit import __version__
from pvkit.atomic import write_atomic
from pvkit.content import bundle
from pvkit.content.models import Kit
from pvkit.workbooks import FACILITATOR_TAG

__all__ = ["LEARNER_DEFAULTS", "Release", "learner_kit", "learner_notebook", "release", "release_summary"]

#: Parameter values every released notebook carries.
LEARNER_DEFAULTS = {"audience": "learner", "render": "live"}
_FACILITATOR_ONLY_FIELDS = ("facilitator_notes", "model_answer")


@dataclass(frozen=True)
class Release:
    """What ``pvkit release`` wrote."""

    folder: Path
    notebooks: tuple[Path, ...]
    bundle: Path


def learner_kit(kit: Kit) -> Kit:
    """``kit`` without facilitator-only text (notes, model answers); feedback stays."""

    def strip(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            changes = {}
            for f in dataclasses.fields(obj):
                value = getattr(obj, f.name)
                if f.name in _FACILITATOR_ONLY_FIELDS:
                    changes[f.name] = ""
                elif isinstance(value, tuple) or dataclasses.is_dataclass(value):
                    changes[f.name] = strip(value)
            return dataclasses.replace(obj, **changes) if changes else obj
        if isinstance(obj, tuple):
            return tuple(strip(item) for item in obj)
        return obj

    return dataclasses.replace(kit, exercises=tuple(strip(e) for e in kit.exercises))


def learner_notebook(nb: Any) -> Any:
    """A learner copy of a workbook: no facilitator cells, learner/live parameters, no outputs."""
    import copy

    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if FACILITATOR_TAG not in c.metadata.get("tags", [])]
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        if "parameters" in cell.metadata.get("tags", []):
            for name, value in LEARNER_DEFAULTS.items():
                cell.source = re.sub(rf"^{name}\s*=.*$", f'{name} = "{value}"', cell.source, flags=re.M)
    nb.metadata["pvkit"] = {"release": __version__, "audience": "learner"}
    return nb


def release(root: Path, kit: Kit, out_dir: Path) -> Release:
    """Write the learner notebooks and their content bundle to ``out_dir``."""
    import nbformat

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    notebooks = []
    for source in sorted((Path(root) / "workbooks").glob("*.ipynb")):
        nb = learner_notebook(nbformat.read(source, as_version=4))
        target = out_dir / source.name
        write_atomic(target, (nbformat.writes(nb) + "\n").encode("utf-8"))
        notebooks.append(target)
    target = out_dir / "pvkit-content.json"
    write_atomic(target, bundle.dumps(learner_kit(kit)).encode("utf-8"))
    readme = out_dir / "README.md"
    write_atomic(readme, _README.encode("utf-8"))
    return Release(out_dir, tuple(notebooks), target)


_README = """\
# Workshop workbooks (learner edition)

Open a workbook and run it from the top (Run > Run All Cells). The exercises answer as you click.

- Your own answers (check-ins, maps, reflections, plans) are saved only in a file next to the
  notebook. Nothing is sent anywhere.
- On Binder the session is deleted when you close it: use "Download my answers" to keep them.
- This is education, not therapy, diagnosis or medical advice.

`pvkit-content.json` holds the workshop content the workbooks read; keep it next to them.
"""


def release_summary(result: Release) -> str:
    """One line per file, for the command line."""
    lines = [f"wrote {p}" for p in (*result.notebooks, result.bundle)]
    return "\n".join(lines)

