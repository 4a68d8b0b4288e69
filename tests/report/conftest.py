"""Fixtures for evaluation report tests: the test kit with an evaluation, and response builders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import pytest

from pvkit.kitfolder import load_kit
from pvkit.report.response import EvaluationForm

#: A four-question knowledge check and an evaluation for the test kit's 'mini' workshop.
EVALUATION_YAML = """\
exercises:
  - id: quiz-mini-check
    kind: quiz
    workshop: mini
    module: close
    title: Knowledge check
    prompt: Four questions.
    questions:
""" + "".join(
    f"      - {{text: Question {i}?, options: [{{text: Right, correct: true, feedback: Yes.}}, "
    f"{{text: Wrong, feedback: No.}}]}}\n" for i in range(1, 5)
) + """\
  - id: evaluation-mini
    kind: evaluation
    workshop: mini
    module: close
    title: Evaluation
    prompt: Anonymous and optional.
    knowledge_check: quiz-mini-check
    reactions:
      - {id: useful, label: The workshop was useful.}
      - {id: relevant, label: The content was relevant.}
      - {id: facilitation, label: The facilitation helped me learn.}
    comments:
      - {id: best, label: What helped most?}
      - {id: change, label: What should change?}
    facilitator_notes: Learners send their response file to the shared folder.
"""


def add_evaluation(kit_dir: Path) -> Path:
    """Add the evaluation (and its knowledge check) to a copy of the test kit."""
    (kit_dir / "exercises" / "mini" / "evaluation.yaml").write_text(EVALUATION_YAML, encoding="utf-8")
    return kit_dir


@pytest.fixture
def eval_kit(kit_dir: Path) -> Path:
    """A writable test kit whose 'mini' workshop has an evaluation."""
    return add_evaluation(kit_dir)


@pytest.fixture
def kit(eval_kit: Path):
    return load_kit(eval_kit)


@pytest.fixture
def forms(kit) -> dict[str, EvaluationForm]:
    form = EvaluationForm.of(kit, "mini")
    assert form is not None
    return {"mini": form}


def response(
    reactions: Optional[dict[str, Any]] = None,
    objectives: Optional[dict[str, Any]] = None,
    score: Any = None,
    comments: Optional[dict[str, Any]] = None,
    **extra: Any,
) -> dict[str, Any]:
    """A response to the mini evaluation, as the JSON file holds it."""
    data: dict[str, Any] = {
        "pvkit_evaluation": 1, "workshop": "mini", "exercise": "evaluation-mini", "response_id": "",
        "scales": {"agreement": 5, "confidence": 5},
        "reactions": reactions or {}, "objectives": objectives or {}, "comments": comments or {},
    }
    if score is not None:
        data["knowledge_check"] = {"quiz": "quiz-mini-check", "score": score, "out_of": 4}
    data.update(extra)
    return data


#: Four responses whose statistics are worked out by hand in test_statistics.py.
SMALL_SET = [
    response({"useful": 5, "relevant": 4, "facilitation": 3},
             {"states.1": {"before": 2, "now": 4}, "close.1": {"before": 1, "now": 3}}, 4,
             {"best": "Alpha", "change": "Whisky"}),
    response({"useful": 4, "relevant": 4, "facilitation": 5},
             {"states.1": {"before": 3, "now": 4}, "close.1": {"before": 2, "now": 2}}, 3, {"best": "Bravo"}),
    response({"useful": 3, "relevant": 5},
             {"states.1": {"before": 1, "now": 5}, "close.1": {"now": 4}}, 2,
             {"best": "Charlie", "change": "X-ray"}),
    response({"useful": 4}, {"states.1": {"before": 2, "now": 3}}),
]


def write_json(folder: Path, responses: list[dict[str, Any]]) -> list[Path]:
    """Write each response as its own file; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, data in enumerate(responses, start=1):
        path = folder / f"response-{i:02d}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        paths.append(path)
    return paths
