"""Small HTML helpers shared by the static (handout) and live faces.

Stdlib only: this runs in learners' kernels and under Pyodide.  Content text
is always escaped first; the few inline Markdown marks content uses
(``**bold**``, ``*em*``, ``[@key]`` citations) are applied to the escaped
text, so a ``<`` in YAML always shows as ``<``.
"""

from __future__ import annotations

import html
import re
from typing import Callable, Iterable, Optional

from pvkit.content.citations import CITATION, citation_keys

__all__ = ["LIVE_STYLE", "esc", "inline", "paragraphs", "citation_label", "CitationLabel"]

#: Styles for live exercises: long option texts, choices and labels wrap instead of
#: overlapping or being cut off (ipywidgets sizes these controls for one short line).
LIVE_STYLE = """<style>
.pv-exercise { max-width: 56em; }
.pv-exercise .widget-radio-box { height: auto; }
.pv-exercise .widget-radio-box label { white-space: normal; height: auto; line-height: 1.35;
  display: flex; flex-direction: row-reverse; justify-content: flex-end; align-items: flex-start;
  gap: 0.5em; margin: 0.25em 0; }
.pv-exercise .widget-radio-box input { flex: none; margin-top: 0.2em; }
.pv-exercise .widget-checkbox, .pv-exercise .widget-checkbox label { height: auto; white-space: normal; }
.pv-exercise .widget-checkbox label { line-height: 1.35; }
.pv-exercise .jupyter-button { white-space: normal; height: auto; min-height: 28px; line-height: 1.35;
  text-align: left; padding: 0.3em 0.8em; max-width: 100%; }
.pv-exercise .widget-label { white-space: normal; overflow: visible; text-overflow: clip; height: auto;
  line-height: 1.35; }
.pv-exercise .widget-dropdown { flex-wrap: wrap; height: auto; gap: 0.2em 0.6em; margin-bottom: 0.5em; }
.pv-exercise .widget-dropdown > label { flex: 1 1 22em; max-width: none; text-align: left; }
.pv-exercise .widget-dropdown > select { flex: 0 1 16em; min-width: 12em; }
.pv-exercise .widget-textarea { flex-wrap: wrap; }
</style>"""

CitationLabel = Callable[[str], Optional[str]]

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![\*\w])\*(?=\S)(.+?)(?<=\S)\*(?![\*\w])")
_CODE = re.compile(r"`([^`]+)`")


def esc(text: object) -> str:
    """Escape ``text`` for HTML content and attribute values."""
    return html.escape(str(text), quote=True)


def inline(text: str, cite: CitationLabel | None = None) -> str:
    """Escape ``text``, then render inline Markdown marks and ``[@key]`` citations.

    ``cite(key)`` returns the label for a reference (e.g. "Dana 2018") or
    ``None``; citations become links to ``#ref-<key>`` in the references list.
    """
    out = esc(text)
    out = _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", out)
    out = _BOLD.sub(lambda m: f"<strong>{m.group(1)}</strong>", out)
    out = _EM.sub(lambda m: f"<em>{m.group(1)}</em>", out)

    def cite_group(match: re.Match[str]) -> str:
        links = []
        for key in citation_keys(match.group(0)):
            label = (cite(key) if cite else None) or key
            links.append(f'<a class="pv-cite" href="#ref-{esc(key)}">{esc(label)}</a>')
        return "(" + "; ".join(links) + ")"

    return CITATION.sub(cite_group, out)


def paragraphs(text: str, cite: CitationLabel | None = None) -> str:
    """Render blank-line separated paragraphs (and ``- `` bullet lines) as HTML."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [ln for ln in block.splitlines() if ln.strip()]
        if lines and all(ln.lstrip().startswith(("- ", "* ")) for ln in lines):
            items = "".join(f"<li>{inline(ln.lstrip()[2:], cite)}</li>" for ln in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif lines:
            blocks.append(f"<p>{inline(' '.join(ln.strip() for ln in lines), cite)}</p>")
    return "".join(blocks)


def citation_label(authors: str, year: Optional[int], label: str = "") -> str:
    """A short author-year label: "Dana 2018", "Grossman & Taylor 2007", "Porges et al. 1996"."""
    when = year if year is not None else "n.d."
    if label:
        return f"{label} {when}"
    many = "et al" in authors
    text = authors.replace("et al.", "").replace("et al", "")
    names = re.findall(r"([^\s,&][^,&]*?),\s*(?:[A-Z][a-z]?\.[\s-]*)+", text)
    if not names:
        names = [n.strip() for n in re.split(r",|&| and ", text) if n.strip()]
    if many or len(names) > 2:
        return f"{names[0]} et al. {when}"
    return f"{' & '.join(names)} {when}"


def join(parts: Iterable[str]) -> str:
    """Concatenate HTML fragments."""
    return "".join(parts)
