"""Fixtures for handout tests: cohort files, a workbook for the small test kit, HTML text extraction."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HOSTILE_NAME = "<script>alert('x')</script> **Harbour** {{ cohort }} {% raw %} $x$"


class _Text(HTMLParser):
    """Visible text of an HTML page, and every tag with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "title"):
            self._skip += 1

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in ("style", "title"):
            self._skip -= 1

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if not self._skip:
            self.parts.append(data)


def parse_html(html: str) -> tuple[str, list[tuple[str, dict[str, str | None]]]]:
    """Return (visible text with whitespace collapsed, tags)."""
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts)), parser.tags


def write_mini_workbook(kit_dir: Path, extra: dict[str, list[str]] | None = None) -> Path:
    """Write workbooks/mini.ipynb for the test kit, with optional extra code cells per module."""
    extra = extra or {}
    params = ('workshop = "mini"\nrender = "live"\naudience = "learner"\ncohort_name = ""\nagency = ""\n'
              'date = ""\nstart = "09:00"\nfacilitators = []\nmodules = []\nbreaks = []\nsupport = ""\n'
              'binder_url = ""\nhub_url = ""')
    setup = ("import pvkit\npvkit.setup(workshop=workshop, render=render, audience=audience, cohort_name=cohort_name, "
             "agency=agency, date=date, start=start, facilitators=facilitators, modules=modules, breaks=breaks, "
             "support=support, binder_url=binder_url, hub_url=hub_url)")
    cells = [new_markdown_cell("# Test workbook"), new_code_cell(params, metadata={"tags": ["parameters"]}),
             new_code_cell(setup)]
    shows = {"states": ["quiz-states", "sort-cues", "scenario-hatch"], "close": ["practice-exhale", "reflect-close"]}
    for module in ("states", "close"):
        cells.append(new_code_cell(f'pvkit.module("{module}")'))
        cells.append(new_markdown_cell(f"Teaching text of {module} [@dana-2018]."))
        cells.append(new_markdown_cell(f"**Facilitator:** private notes for {module}.",
                                       metadata={"tags": ["pv-facilitator"]}))
        cells += [new_code_cell(f'pvkit.show("{e}")') for e in shows[module]]
        cells += [new_code_cell(src) for src in extra.get(module, [])]
        cells.append(new_code_cell(f'pvkit.key_points("{module}")'))
    cells += [new_code_cell("pvkit.glossary()"), new_code_cell("pvkit.references()")]
    module = "states"
    for cell in cells:
        if cell.source.startswith('pvkit.module("close")'):
            module = "close"
        cell.metadata.setdefault("pvkit", {})["module"] = module
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = kit_dir / "workbooks" / "mini.ipynb"
    path.parent.mkdir(exist_ok=True)
    nbformat.write(nb, path)
    return path
