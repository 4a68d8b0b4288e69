"""Each handout preprocessor on in-memory notebooks, and the exporters' contract."""

from __future__ import annotations

import copy

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from pvkit.handouts.exporter import FacilitatorHandoutExporter, LearnerHandoutExporter
from pvkit.handouts.preprocessors import (
    DropModulesNotRun,
    LinkCitations,
    StripExecutionMetadata,
    StripWidgetState,
    variant_preprocessors,
)


def _cell(kind: str, source: str, module: str = "a", tags: tuple[str, ...] = (), outputs=()):
    cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
    cell.metadata["pvkit"] = {"module": module}
    if tags:
        cell.metadata["tags"] = list(tags)
    if kind == "code":
        cell.outputs = list(outputs)
    return cell


def _html_output(text: str, tags: tuple[str, ...] = ()):
    out = new_output("display_data", data={"text/html": text})
    if tags:
        out.metadata["tags"] = list(tags)
    return out


def _notebook():
    nb = new_notebook()
    nb.cells = [
        _cell("code", 'workshop = "mini"', tags=("parameters",)),
        _cell("code", 'import pvkit\npvkit.setup(workshop=workshop)'),
        _cell("md", "Teaching text for everyone [@dana-2018]."),
        _cell("md", "**Facilitator:** secret timing notes", tags=("pv-facilitator",)),
        _cell("md", "Click the button below.", tags=("pv-live",)),
        _cell("code", 'pvkit.show("quiz")', outputs=[_html_output("<p>Question one</p>"),
                                                    _html_output("<p>Answer key: b</p>", ("pv-facilitator",))]),
        _cell("md", "Module b text", module="b"),
    ]
    return nb


def _run(preprocessors, nb):
    resources: dict = {}
    for p in preprocessors:
        nb, resources = p(nb, resources)
    return nb


def test_drop_modules_not_run_keeps_parameters_and_setup():
    """Cells of modules a cohort skips go; the parameters and setup cells stay."""
    nb = _run([DropModulesNotRun(modules=["b"])], _notebook())
    sources = [c.source for c in nb.cells]
    assert sources == ['workshop = "mini"', 'import pvkit\npvkit.setup(workshop=workshop)', "Module b text"]


def test_drop_modules_with_no_subset_keeps_everything():
    """An empty module list means the whole workshop."""
    assert len(_run([DropModulesNotRun()], _notebook()).cells) == 7


def test_strip_widget_state():
    """Saved widget state and widget-view outputs are removed; other outputs stay."""
    nb = _notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    nb.cells[5].outputs.append(new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": {"model_id": "x"}, "text/plain": "VBox()"}))
    nb = _run([StripWidgetState()], nb)
    assert "widgets" not in nb.metadata and len(nb.cells[5].outputs) == 2


def test_strip_execution_metadata_keeps_parameters():
    """Timestamps go; the cohort's parameters stay for audit."""
    nb = _notebook()
    nb.metadata["papermill"] = {"parameters": {"cohort_name": "X"}, "start_time": "2026-01-01", "duration": 3.2}
    nb.cells[1].metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
    nb = _run([StripExecutionMetadata()], nb)
    assert nb.metadata["papermill"] == {"parameters": {"cohort_name": "X"}}
    assert "execution" not in nb.cells[1].metadata


def test_link_citations():
    """[@key] and [@a; @b] become author-year links to the references list."""
    nb = new_notebook()
    nb.cells = [new_markdown_cell("One [@dana-2018]. Two [@porges-2011; @dana-2021].")]
    nb = _run([LinkCitations(labels={"dana-2018": "Dana 2018", "porges-2011": "Porges 2011"})], nb)
    assert nb.cells[0].source == ("One ([Dana 2018](#ref-dana-2018)). "
                                  "Two ([Porges 2011](#ref-porges-2011); [dana-2021](#ref-dana-2021)).")


def test_learner_pipeline_removes_facilitator_and_live_material():
    """The learner variant drops facilitator cells and outputs, live-only cells and parameter cells."""
    nb = _run(variant_preprocessors("learner", {}), _notebook())
    text = nbformat.writes(nb)
    assert "secret timing notes" not in text and "Answer key" not in text and "Click the button" not in text
    assert 'workshop = \\"mini\\"' not in text
    assert "Question one" in text and "Teaching text" in text


def test_facilitator_pipeline_keeps_notes_and_keys():
    """The facilitator variant keeps notes and keys but drops live-only and parameter cells."""
    text = nbformat.writes(_run(variant_preprocessors("facilitator", {}), _notebook()))
    assert "secret timing notes" in text and "Answer key" in text
    assert "Click the button" not in text


def test_exporters_do_not_mutate_their_input():
    """One executed notebook feeds both variants: the exporter works on a copy."""
    nb = _notebook()
    before = copy.deepcopy(nb)
    LearnerHandoutExporter().from_notebook_node(nb)
    assert nb == before


def test_exported_html_is_self_contained():
    """No script, no code, no external resource; cover text escaped."""
    context = {"cohort_name": "<script>alert(1)</script> **bold**", "agency": "A & B"}
    html, _ = FacilitatorHandoutExporter(context=context).from_notebook_node(_notebook())
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold**" in html and "A &amp; B" in html
    assert "pvkit.setup" not in html and 'src="http' not in html and "<link" not in html
    assert "Facilitator guide" in html
