"""The validated JSON bundle that the live path reads (stdlib only).

``pvkit release`` and the handout build write the bundle from a validated
:class:`~pvkit.content.models.Kit`; learners' kernels (Binder, JupyterHub,
JupyterLite) rebuild the same frozen dataclasses from it without pydantic or
YAML.  ``schema`` is bumped whenever the model changes incompatibly.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import typing
from typing import Any, Union

from pvkit.content import models as m

__all__ = ["BUNDLE_SCHEMA", "BundleError", "dumps", "loads"]

BUNDLE_SCHEMA = 1


class BundleError(ValueError):
    """The bundle is not a pvkit content bundle of a version this pvkit reads."""


def dumps(kit: m.Kit) -> str:
    """Serialise ``kit`` as deterministic JSON (sorted keys, stable order)."""
    data = {
        "schema": BUNDLE_SCHEMA,
        "workshops": [dataclasses.asdict(w) for w in kit.workshops],
        "exercises": [dataclasses.asdict(e) for e in kit.exercises],
        "glossary": [dataclasses.asdict(t) for t in kit.glossary],
        "references": [dataclasses.asdict(r) for r in kit.references],
        "workbook_citations": {k: list(v) for k, v in sorted(kit.workbook_citations.items())},
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def loads(text: str) -> m.Kit:
    """Rebuild a :class:`Kit` from :func:`dumps` output."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BundleError(f"not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("schema") != BUNDLE_SCHEMA:
        raise BundleError(f"not a pvkit content bundle of schema {BUNDLE_SCHEMA}")
    return m.Kit(
        workshops=tuple(_build(m.Workshop, w) for w in data["workshops"]),
        exercises=tuple(_build(m.EXERCISE_KINDS[e["kind"]], e) for e in data["exercises"]),
        glossary=tuple(_build(m.Term, t) for t in data["glossary"]),
        references=tuple(_build(m.Reference, r) for r in data["references"]),
        workbook_citations={k: tuple(v) for k, v in data.get("workbook_citations", {}).items()},
    )


def _build(cls: type, data: dict[str, Any]) -> Any:
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    kwargs = {f.name: _convert(hints[f.name], data[f.name]) for f in dataclasses.fields(cls) if f.name in data}
    return cls(**kwargs)


def _convert(tp: Any, value: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin is tuple:
        (item_type, _) = typing.get_args(tp)
        return tuple(_convert(item_type, v) for v in value)
    if origin is Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return None if value is None else _convert(args[0], value)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _build(tp, value)
    return value
