"""The cohort evaluation report as one self-contained HTML page (Jinja2, autoescape on), and its PDF.

The page uses the handout style sheet, so reports look like the handouts and
print the same way.  Charts are SVG ``data:`` images with alt text; nothing is
loaded from anywhere.  No file name, response id or time appears in it, and
the same responses give byte-identical HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from typing import Any, Optional

from pvkit.content.models import Kit
from pvkit.report.charts import Bar, Chart, score_chart, stacked_chart
from pvkit.report.statistics import MIN_GROUP, EvaluationSummary

__all__ = ["ReportInfo", "render_html"]


@dataclass(frozen=True)
class ReportInfo:
    """The cohort facts a report shows on top."""

    cohort_name: str
    date_text: str
    agency: str = ""
    paper: str = "a4"
    #: Files or rows not counted (only the number is shown).
    skipped: int = 0


def _environment() -> Any:
    from jinja2 import Environment, FunctionLoader, StrictUndefined

    def load(name: str) -> str:
        return (files("pvkit.report") / "templates" / name).read_text(encoding="utf-8")

    return Environment(loader=FunctionLoader(load), autoescape=True, undefined=StrictUndefined,
                       keep_trailing_newline=True)


def _reaction_chart(summary: EvaluationSummary) -> Optional[Chart]:
    bars = [Bar(r.label, r.counts, r.mean) for r in summary.reactions if not r.suppressed]
    if not bars:
        return None
    return stacked_chart("Reaction", bars, summary.form.evaluation.agreement)


def _modules(summary: EvaluationSummary) -> list[dict[str, Any]]:
    levels = summary.form.evaluation.confidence
    out: list[dict[str, Any]] = []
    for o in summary.objectives:
        if not out or out[-1]["id"] != o.objective.module.id:
            out.append({"id": o.objective.module.id, "title": o.objective.module.title, "objectives": [], "bars": []})
        number = int(o.objective.id.rsplit(".", 1)[1])
        out[-1]["objectives"].append({
            "number": number, "text": o.objective.text, "n": o.n, "suppressed": o.suppressed,
            "before_mean": o.before_mean, "now_mean": o.now_mean, "change": o.change,
            "before_counts": o.before_counts, "now_counts": o.now_counts,
        })
        if not o.suppressed:
            out[-1]["bars"] += [Bar(f"{number} before", o.before_counts, o.before_mean),
                                Bar(f"{number} now", o.now_counts, o.now_mean)]
    for part in out:
        bars = part.pop("bars")
        part["chart"] = stacked_chart(f"Confidence: {part['title']}", bars, levels) if bars else None
    return out


def _cite(kit: Kit, key: str) -> tuple[str, str]:
    from pvkit.widgets.html import citation_label

    try:
        ref = kit.reference(key)
    except KeyError:
        return "", ""
    return citation_label(ref.authors, ref.year, ref.label), ref.citation()


def render_html(summary: EvaluationSummary, info: ReportInfo, kit: Kit) -> str:
    """The report page for one cohort and workshop."""
    from pvkit import __version__
    from pvkit.handouts.exporter import handout_css

    e = summary.form.evaluation
    kirkpatrick, kirkpatrick_ref = _cite(kit, "kirkpatrick-2006")
    howard, howard_ref = _cite(kit, "howard-1979")
    knowledge = summary.knowledge
    knowledge_chart = None
    if knowledge is not None and not knowledge.suppressed:
        knowledge_chart = score_chart("Knowledge check", knowledge.counts, knowledge.out_of)
    context = {
        "version": __version__,
        "css": handout_css(info.paper),
        "workshop_title": summary.form.workshop.title,
        "cohort_name": info.cohort_name,
        "agency": info.agency,
        "date_text": info.date_text,
        "n": summary.n,
        "skipped": info.skipped,
        "min_group": MIN_GROUP,
        "suppressed": summary.suppressed,
        "outside_modules": summary.outside_modules,
        "agreement": e.agreement,
        "confidence": e.confidence,
        "reactions": summary.reactions,
        "reaction_chart": _reaction_chart(summary),
        "modules": _modules(summary),
        "knowledge": knowledge,
        "knowledge_chart": knowledge_chart,
        "comments": summary.comments,
        "cites": {"kirkpatrick": kirkpatrick, "howard": howard},
        "references": [r for r in (kirkpatrick_ref, howard_ref) if r],
    }
    return str(_environment().get_template("evaluation.html.j2").render(context))
