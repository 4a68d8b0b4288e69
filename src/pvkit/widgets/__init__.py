"""Exercise widgets: one module per kind, each with two faces from the same model.

Each kind module defines

``live(exercise, session) -> ipywidgets.Widget``
    the interactive view for JupyterLab, Voila, Binder and JupyterLite;
``static(exercise, session) -> Static``
    print-friendly HTML for handouts: no JavaScript, no external URL.

Kind modules are imported on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from types import ModuleType

__all__ = ["KIND_MODULES", "Static", "face"]

#: Exercise kind -> module implementing its two faces.
KIND_MODULES = {
    "quiz": "pvkit.widgets.quiz",
    "sort": "pvkit.widgets.sort",
    "scenario": "pvkit.widgets.scenario",
    "checkin": "pvkit.widgets.checkin",
    "map": "pvkit.widgets.autonomic_map",
    "reflection": "pvkit.widgets.reflection",
    "practice": "pvkit.widgets.practice",
    "plan": "pvkit.widgets.plan",
    "timer": "pvkit.widgets.timer",
    "evaluation": "pvkit.widgets.evaluation",
}


@dataclass(frozen=True)
class Static:
    """The static face: what every reader sees, and the facilitator-only answer key."""

    learner: str
    key: str = ""


def face(kind: str) -> ModuleType:
    """Return the module implementing exercise kind ``kind``."""
    return import_module(KIND_MODULES[kind])
