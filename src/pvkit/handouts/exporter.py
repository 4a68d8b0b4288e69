"""nbconvert exporters for the two handout variants.

Registered as nbconvert entry points, so ``jupyter nbconvert --to pvkit-learner
executed.ipynb`` works too.  ``from_notebook_node`` deep-copies its input (as
every nbconvert exporter does), so one executed notebook feeds both variants.
"""

from __future__ import annotations

import copy
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from traitlets import Bool, Dict, Enum, default

from pvkit import __version__
from pvkit.handouts.preprocessors import variant_preprocessors

__all__ = ["FacilitatorHandoutExporter", "HandoutExporter", "LearnerHandoutExporter", "handout_css"]

_IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)[^>]*>")
TEMPLATES = Path(str(files("pvkit.handouts") / "templates"))
KIND_LABELS = {"learner": "Learner handout", "facilitator": "Facilitator guide"}


def handout_css(paper: str = "a4") -> str:
    """The handout style sheet, with the page size of the cohort's paper."""
    css = (files("pvkit.handouts") / "handout.css").read_text(encoding="utf-8")
    size = {"a4": "A4", "letter": "letter"}[paper]
    return css + f"\n@page {{ size: {size}; }}\n"


class HandoutExporter(HTMLExporter):
    """A self-contained HTML handout: no code, no prompts, no JavaScript, no external URL."""

    export_from_notebook = "pvkit handout"
    variant = Enum(["learner", "facilitator"], default_value="learner",
                   help="Which handout: the learner handout or the facilitator guide.").tag(config=True)
    context = Dict(help="Cover and contents: cohort, workshop, links (see pvkit.handouts.build).").tag(config=True)

    @default("template_name")
    def _template_name_default(self) -> str:
        return "pvkit_handout"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATES)]

    # Handouts show outputs and Markdown only: no code, no prompts, nothing of unknown type.
    exclude_input = Bool(True, help="Leave out code input.").tag(config=True)
    exclude_input_prompt = Bool(True, help="Leave out input prompts.").tag(config=True)
    exclude_output_prompt = Bool(True, help="Leave out output prompts.").tag(config=True)
    exclude_unknown = Bool(True, help="Leave out cells of unknown type.").tag(config=True)

    def from_notebook_node(self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any) -> tuple[str, dict]:
        nb = copy.deepcopy(nb)
        resources = self._init_resources(resources)
        context = {**_default_context(nb, self.variant), **self.context, **resources.get("pvkit", {})}
        context["kind_label"] = KIND_LABELS[self.variant]
        context["variant"] = self.variant
        context.setdefault("css", handout_css(context.get("paper", "a4")))
        resources["pvkit"] = context
        for preprocessor in variant_preprocessors(self.variant, context.get("citation_labels", {})):
            nb, resources = preprocessor(nb, resources)
        # HTMLExporter.from_notebook_node re-parses the page with BeautifulSoup to add alt text and
        # tabindex to notebook cells, about half of the export time.  Handouts have no notebook
        # chrome to focus, and pvkit writes alt text itself, so register its filters and render
        # with TemplateExporter directly.
        self.register_filter("highlight_code", self.filters.get("highlight_code", Highlight2HTML(parent=self)))
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        missing = _IMG_WITHOUT_ALT.findall(html)
        if missing:
            raise ValueError(f"{len(missing)} image(s) in the handout have no alt text: {missing[0][:120]}")
        return html, resources


def _default_context(nb: Any, variant: str) -> dict[str, Any]:
    """A cover for notebooks converted without a cohort (``jupyter nbconvert --to pvkit-...``)."""
    params = nb.metadata.get("papermill", {}).get("parameters", {})
    title = nb.metadata.get("title") or params.get("workshop") or "pvkit workbook"
    return {
        "version": __version__, "title": title, "workshop_title": title,
        "cohort_name": params.get("cohort_name", ""), "agency": params.get("agency", ""),
        "date_text": params.get("date", ""), "start": params.get("start", "09:00"),
        "facilitators": ", ".join(params.get("facilitators", [])), "support": params.get("support", ""),
        "minutes": "", "break_minutes": 0, "toc": [], "links": [], "review_date": "", "logo": "",
        "paper": "a4",
    }


class LearnerHandoutExporter(HandoutExporter):
    """``--to pvkit-learner``: the learner handout, without facilitator cells or outputs."""

    @default("variant")
    def _variant_default(self) -> str:
        return "learner"


class FacilitatorHandoutExporter(HandoutExporter):
    """``--to pvkit-facilitator``: the facilitator guide, with run sheet, notes and answer keys."""

    @default("variant")
    def _variant_default(self) -> str:
        return "facilitator"
