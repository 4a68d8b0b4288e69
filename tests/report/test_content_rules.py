"""The evaluation kind's content rules: each broken evaluation is refused with exit 2 and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.conftest import EVALUATION_YAML

FILE = "exercises/mini/evaluation.yaml"

# (old text in EVALUATION_YAML, new text, expected message fragments)
CASES = [
    pytest.param("knowledge_check: quiz-mini-check", "knowledge_check: quiz-mini-chek",
                 ["knowledge check 'quiz-mini-chek' is not an exercise", "use one of: quiz-mini-check, quiz-states"],
                 id="knowledge-check-unknown"),
    pytest.param("knowledge_check: quiz-mini-check", "knowledge_check: sort-cues",
                 ["knowledge check 'sort-cues' is a sort, not a quiz"], id="knowledge-check-not-a-quiz"),
    pytest.param("    reactions:\n      - {id: useful, label: The workshop was useful.}\n"
                 "      - {id: relevant, label: The content was relevant.}\n"
                 "      - {id: facilitation, label: The facilitation helped me learn.}\n",
                 "    reactions: []\n", ["an evaluation needs at least one reaction item"], id="no-reactions"),
    pytest.param("{id: relevant, label", "{id: useful, label", ["duplicate reaction id 'useful'"],
                 id="duplicate-reaction"),
    pytest.param("{id: change, label", "{id: best, label", ["duplicate field id 'best'"], id="duplicate-comment"),
    pytest.param("    comments:\n      - {id: best, label: What helped most?}\n"
                 "      - {id: change, label: What should change?}\n",
                 "    comments: []\n", ["at least one free-text question"], id="no-comments"),
    pytest.param("    knowledge_check: quiz-mini-check\n", "    knowledge_check: quiz-mini-check\n    agreement: [No, Yes]\n",
                 ["'agreement' must list 3 to 7 non-empty labels"], id="scale-too-short"),
    pytest.param("id: evaluation-mini", "id: evaluation-mini\n    surname: x",
                 ["unknown key 'surname'"], id="unknown-key"),
]


@pytest.mark.parametrize(("old", "new", "fragments"), CASES)
def test_broken_evaluation_is_refused(old: str, new: str, fragments: list[str], kit_dir: Path, run_cli):
    """pvkit validate exits 2 and names the evaluation's problem."""
    assert old in EVALUATION_YAML
    (kit_dir / FILE).write_text(EVALUATION_YAML.replace(old, new), encoding="utf-8")
    result = run_cli("validate", "--root", str(kit_dir))
    assert result.code == 2
    for fragment in fragments:
        assert fragment in result.err, result.err
    assert FILE in result.err


def test_second_evaluation_in_a_workshop_is_refused(kit_dir: Path, run_cli):
    """A workshop has at most one evaluation: the report reads its responses."""
    block = EVALUATION_YAML[EVALUATION_YAML.index("  - id: evaluation-mini"):]
    (kit_dir / FILE).write_text(EVALUATION_YAML + block.replace("evaluation-mini", "evaluation-two"), "utf-8")
    result = run_cli("validate", "--root", str(kit_dir))
    assert result.code == 2 and "workshop 'mini' already has an evaluation, 'evaluation-mini'" in result.err


def test_knowledge_check_of_another_workshop_is_refused(kit_dir: Path, run_cli):
    """The knowledge check must be a quiz of the evaluation's own workshop."""
    workshops = kit_dir / "exercises" / "workshops"
    (workshops / "other.yaml").write_text((workshops / "mini.yaml").read_text("utf-8").replace("id: mini", "id: other", 1),
                                          "utf-8")
    text = EVALUATION_YAML.replace("workshop: mini\n    module: close\n    title: Evaluation",
                                   "workshop: other\n    module: close\n    title: Evaluation")
    (kit_dir / FILE).write_text(text, encoding="utf-8")
    result = run_cli("validate", "--root", str(kit_dir))
    assert result.code == 2
    assert "knowledge check 'quiz-mini-check' belongs to workshop 'mini', not 'other'" in result.err
