"""pvkit: Jupyter workbooks, exercises and handouts for Polyvagal Theory staff workshops.

The live path (``setup``, ``show`` and the other workbook functions) imports
only the standard library and ipywidgets, so that it also runs under Pyodide.
Everything else is imported lazily, on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "setup": "pvkit.live",
    "show": "pvkit.live",
    "module": "pvkit.live",
    "key_points": "pvkit.live",
    "safety": "pvkit.live",
    "agenda": "pvkit.live",
    "glossary": "pvkit.live",
    "references": "pvkit.live",
    "term": "pvkit.live",
    "current": "pvkit.live",
    "load_kit": "pvkit.kitfolder",
    "validate_kit": "pvkit.kitfolder",
    "load_cohorts": "pvkit.cohort",
    "PvkitError": "pvkit.errors",
    "ContentError": "pvkit.errors",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pvkit' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
