"""The workshop workbooks: structure against the content, and real execution with papermill."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pvkit.kitfolder import load_kit
from pvkit.workbooks import FACILITATOR_TAG, check_workbook, workbook_use
from tests.conftest import REPO

WORKBOOKS = sorted((REPO / "workbooks").glob("*.ipynb"))
IDS = [p.stem for p in WORKBOOKS]


@pytest.fixture(scope="module")
def kit():
    return load_kit(REPO)


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_both_workshops_have_a_workbook():
    """Each workshop in the content has its workbook."""
    assert {"intro", "advanced"} <= set(IDS) or IDS == ["intro"], IDS


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS)
def test_workbook_follows_the_conventions(path: Path, kit):
    """Tags, parameters, setup cell, module metadata, pvkit-only code and no outputs all check out."""
    assert check_workbook(path, kit) == []


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS)
def test_everything_the_workbook_uses_exists(path: Path, kit):
    """Every module, exercise, cited reference and listed glossary term exists; modules have objectives."""
    use = workbook_use(_nb(path))
    workshop = kit.workshop(use.workshop)
    assert use.workshop == path.stem
    assert set(use.modules) == set(workshop.module_ids)
    for mid in workshop.module_ids:
        module = workshop.module(mid)
        assert module.objectives and module.minutes > 0 and module.key_points, mid
        for name in module.terms:
            kit.term(name)
    for eid in use.exercises:
        assert kit.exercise(eid).workshop == workshop.id
    for key in use.citations:
        kit.reference(key)
    assert sum(m.minutes for m in workshop.modules) == workshop.minutes


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS)
def test_every_exercise_of_the_workshop_is_shown(path: Path, kit):
    """No exercise in the content is left out of its workbook."""
    use = workbook_use(_nb(path))
    content = {e.id for e in kit.exercises if e.workshop == use.workshop}
    assert content - set(use.exercises) == set()


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS)
def test_facilitator_cells_exist_for_every_module(path: Path):
    """Each module has at least one facilitator-only cell (timings, how to run, debrief)."""
    nb = _nb(path)
    modules = {c["metadata"]["pvkit"]["module"] for c in nb["cells"]
               if FACILITATOR_TAG in c["metadata"].get("tags", []) and c["cell_type"] == "markdown"}
    assert modules == set(workbook_use(nb).modules)


@pytest.mark.slow
@pytest.mark.parametrize("render", ["live", "handout"])
@pytest.mark.parametrize("audience", ["learner", "facilitator"])
@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS)
def test_workbook_runs_clean_with_papermill(path: Path, render: str, audience: str, tmp_path: Path):
    """papermill runs the workbook top to bottom: no error, no warning, no stderr output."""
    import papermill

    out = tmp_path / path.name
    papermill.execute_notebook(
        str(path), str(out), parameters={"render": render, "audience": audience},
        cwd=str(path.parent), kernel_name="python3", progress_bar=False,
    )
    nb = _nb(out)
    problems = [
        (i, o.get("name") or o.get("ename"), (o.get("text") or o.get("evalue") or "")[:300])
        for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
        for o in c.get("outputs", [])
        if o["output_type"] == "error" or (o["output_type"] == "stream" and o["name"] == "stderr")
    ]
    assert problems == []
    if render == "handout" and audience == "facilitator":
        tagged = [o for c in nb["cells"] for o in c.get("outputs", [])
                  if FACILITATOR_TAG in o.get("metadata", {}).get("tags", [])]
        assert tagged, "facilitator-only outputs (answer keys, notes) must be tagged"
