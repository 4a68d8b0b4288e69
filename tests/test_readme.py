"""The README's examples stay true."""

from __future__ import annotations

import re
from pathlib import Path

from pvkit.content.models import EXERCISE_KINDS
from tests.conftest import REPO


def _example() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- readme-example-exercises -->\n```yaml\n(.*?)```", text, re.S)
    assert match, "the README lost its exercise examples"
    return match.group(1)


def test_readme_exercise_examples_validate(kit_dir: Path, run_cli):
    """The README's one-example-per-kind block is valid content, covering every kind."""
    (kit_dir / "exercises" / "mini" / "readme.yaml").write_text(_example(), encoding="utf-8")
    result = run_cli("validate", "--root", str(kit_dir))
    assert result.code == 0, result.err
    kinds = set(re.findall(r"kind: (\w+)", _example()))
    assert kinds == set(EXERCISE_KINDS)


def test_readme_quick_start_is_two_commands():
    """The quick start is the setup plus main job, then the test command that .ci/run runs."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start.*?```bash\n(.*?)```", text, re.S).group(1).strip().splitlines()
    assert block == ["bash .ci/setup && pvkit demo", "python -m pytest"]
    assert "python -m pytest" in (REPO / ".ci" / "run").read_text()
