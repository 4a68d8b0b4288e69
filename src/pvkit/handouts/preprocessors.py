"""Small nbconvert preprocessors, one concern each, and the pipeline of each variant.

Every preprocessor follows nbconvert's contract, ``(nb, resources) -> (nb,
resources)``; most override only ``preprocess_cell``.  pvkit's base class is
enabled by default (a plain nbconvert ``Preprocessor`` is not), and each
variant's pipeline is a declared list rather than a set of toggled flags.
"""

from __future__ import annotations

import re
from typing import Any

from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from traitlets import Dict, List, Unicode

from pvkit.content.citations import CITATION, citation_keys
from pvkit.workbooks import FACILITATOR_TAG, LIVE_TAG

__all__ = [
    "DropModulesNotRun",
    "LinkCitations",
    "PvkitPreprocessor",
    "StripExecutionMetadata",
    "StripWidgetState",
    "VARIANTS",
    "variant_preprocessors",
]

PARAMETER_TAGS = ("parameters", "injected-parameters")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


class PvkitPreprocessor(Preprocessor):
    """Base class: enabled by default, unlike nbconvert's ``Preprocessor``."""

    enabled = True


class DropModulesNotRun(PvkitPreprocessor):
    """Remove cells of modules a cohort does not run (``metadata.pvkit.module``)."""

    modules = List(Unicode(), help="Module ids to keep; empty keeps all.").tag(config=True)

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        if self.modules:
            keep = set(self.modules)
            nb.cells = [
                c for c in nb.cells
                if c.metadata.get("pvkit", {}).get("module") in keep
                or any(t in PARAMETER_TAGS for t in c.metadata.get("tags", []))
                or "pvkit.setup(" in c.source
            ]
        return nb, resources


class StripWidgetState(PvkitPreprocessor):
    """Drop saved widget state and widget views: handouts carry static HTML, not live widgets."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        nb.metadata.pop("widgets", None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: Any, resources: dict[str, Any], index: int) -> tuple[Any, dict[str, Any]]:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if WIDGET_MIME not in o.get("data", {})]
        return cell, resources


class StripExecutionMetadata(PvkitPreprocessor):
    """Remove timestamps and durations so the same inputs give the same bytes."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        papermill = nb.metadata.pop("papermill", None)
        if papermill and "parameters" in papermill:  # the cohort's parameters stay, for audit and re-export
            nb.metadata["papermill"] = {"parameters": papermill["parameters"]}
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: Any, resources: dict[str, Any], index: int) -> tuple[Any, dict[str, Any]]:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        return cell, resources


class LinkCitations(PvkitPreprocessor):
    """Turn ``[@key]`` in Markdown into author-year links to the references list."""

    labels = Dict(help="Reference key -> short label, e.g. 'Dana 2018'.").tag(config=True)

    def preprocess_cell(self, cell: Any, resources: dict[str, Any], index: int) -> tuple[Any, dict[str, Any]]:
        if cell.cell_type == "markdown":
            cell.source = CITATION.sub(self._link, cell.source)
        return cell, resources

    def _link(self, match: re.Match[str]) -> str:
        keys = citation_keys(match.group(0))
        links = [f"[{self.labels.get(k, k)}](#ref-{k})" for k in keys]
        return "(" + "; ".join(links) + ")"


#: Cell tags each variant removes, and output tags it removes.
VARIANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "facilitator": {"cells": (LIVE_TAG, *PARAMETER_TAGS), "outputs": ()},
    "learner": {"cells": (LIVE_TAG, FACILITATOR_TAG, *PARAMETER_TAGS), "outputs": (FACILITATOR_TAG,)},
}


def variant_preprocessors(variant: str, labels: dict[str, str]) -> list[Preprocessor]:
    """The declared pipeline for one variant of a handout."""
    tags = VARIANTS[variant]
    return [
        TagRemovePreprocessor(
            enabled=True,
            remove_cell_tags=set(tags["cells"]),
            remove_single_output_tags=set(tags["outputs"]),
        ),
        StripWidgetState(),
        StripExecutionMetadata(),
        LinkCitations(labels=labels),
    ]
