"""Charts for the evaluation report: matplotlib figures as SVG ``data:`` URIs, each with alt text.

Every chart is drawn with the object-oriented API (no pyplot state), with
fixed SVG ids and no date in the metadata, so the same numbers give the same
bytes.  The alt text states every number the chart shows, so nothing is lost
for a reader who cannot see it; the report's tables repeat them too.
"""

from __future__ import annotations

import base64
import io
import textwrap
from dataclasses import dataclass
from typing import Any, Optional, Sequence

__all__ = ["Bar", "Chart", "score_chart", "stacked_chart"]

#: Light to dark, one colour per rating level (ColorBrewer "Blues", safe for colour-blind readers).
_LEVEL_COLOURS = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b", "#041f45")
_STYLE: Any = {"svg.hashsalt": "pvkit", "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9}


@dataclass(frozen=True)
class Chart:
    """A chart ready for ``<img src=... alt=...>``."""

    src: str
    alt: str


@dataclass(frozen=True)
class Bar:
    """One horizontal bar of a stacked chart: ``counts[i]`` rated ``i + 1``."""

    label: str
    counts: tuple[int, ...]
    mean: Optional[float]


def _wrap(text: str, width: int = 34) -> str:
    """A tick label: at most 90 characters, on lines of ``width``."""
    return "\n".join(textwrap.wrap(textwrap.shorten(text, 90, placeholder="..."), width))


def _svg(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def stacked_chart(title: str, bars: Sequence[Bar], levels: Sequence[str]) -> Chart:
    """Horizontal 100% stacked bars of rating counts, with each bar's mean written at its end."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(6.6, 0.8 + 0.34 * len(bars)))
        ax = fig.add_subplot()
        rows = list(reversed(bars))  # first bar at the top
        totals = [sum(bar.counts) or 1 for bar in rows]
        lefts = [0.0] * len(rows)
        for level, name in enumerate(levels):
            widths = [100 * bar.counts[level] / total for bar, total in zip(rows, totals, strict=True)]
            colour = _LEVEL_COLOURS[level * (len(_LEVEL_COLOURS) - 1) // max(1, len(levels) - 1)]
            ax.barh(range(len(rows)), widths, left=lefts, color=colour, edgecolor="white", height=0.7, label=name)
            for y, (bar, width, left) in enumerate(zip(rows, widths, lefts, strict=True)):
                if bar.counts[level] and width >= 6:
                    ax.text(left + width / 2, y, str(bar.counts[level]), ha="center", va="center", fontsize=8,
                            color="black" if level < len(levels) / 2 else "white")
            lefts = [left + width for left, width in zip(lefts, widths, strict=True)]
        for y, bar in enumerate(rows):
            if bar.mean is not None:
                ax.text(101.5, y, f"mean {bar.mean:.1f}", va="center", fontsize=8)
        ax.set_yticks(range(len(rows)), [_wrap(b.label) for b in rows])
        ax.set_xlim(0, 100)
        ax.set_xlabel("% of responses (numbers in the bars are counts)")
        ax.set_title(title, loc="left", fontsize=10)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 - 0.6 / (1 + len(bars))),
                  ncol=min(len(levels), 5), frameon=False, fontsize=7.5)
        src = _svg(fig)
    parts = []
    for bar in bars:
        spread = ", ".join(f"{c} {levels[i]}" for i, c in enumerate(bar.counts))
        mean_text = f"mean {bar.mean:.1f} of {len(levels)}" if bar.mean is not None else "no mean"
        parts.append(f"{bar.label}: {mean_text} ({spread})")
    return Chart(src, f"Chart: {title}. " + "; ".join(parts) + ".")


def score_chart(title: str, counts: Sequence[int], out_of: int) -> Chart:
    """Vertical bars: how many learners scored 0, 1, ... ``out_of``."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(6.0, 2.6))
        ax = fig.add_subplot()
        scores = list(range(out_of + 1))
        ax.bar(scores, counts, color=_LEVEL_COLOURS[4], width=0.7)
        for score, count in zip(scores, counts, strict=True):
            if count:
                ax.text(score, count, str(count), ha="center", va="bottom", fontsize=8)
        ax.set_xticks(scores)
        ax.set_xlabel(f"score (of {out_of})")
        ax.set_ylabel("learners")
        ax.set_ylim(0, max(max(counts, default=0), 1) * 1.2)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(title, loc="left", fontsize=10)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        src = _svg(fig)
    spread = ", ".join(f"{c} scored {s}" for s, c in enumerate(counts) if c)
    return Chart(src, f"Chart: {title}. Scores out of {out_of}: {spread or 'none'}.")
