"""Fixtures for widget tests: a session on the test kit, without a kernel."""

from __future__ import annotations

from pathlib import Path

import pytest

from pvkit import live


@pytest.fixture
def session(kit_dir: Path, tmp_path: Path, monkeypatch):
    """A live learner session on the test kit; answers go to a temporary folder."""
    monkeypatch.chdir(kit_dir)
    answers = tmp_path / "answers"
    answers.mkdir()
    live.setup(workshop="mini", render="live", audience="learner", answers_dir=str(answers))
    return live.current()


@pytest.fixture
def handout_session(kit_dir: Path, monkeypatch):
    """A handout (static) facilitator session on the test kit."""
    monkeypatch.chdir(kit_dir)
    live.setup(workshop="mini", render="handout", audience="facilitator")
    return live.current()
