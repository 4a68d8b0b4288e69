"""Fixtures for widget tests: a session on the test kit, without a kernel."""

from __future__ import annotations

from pathlib import Path

import pytest

from pvkit import live


@pytest.fixture
def live_session(kit_dir: Path, tmp_path: Path, monkeypatch):
    """Make a live session on the test kit for an audience; its answers go to a temporary folder."""
    monkeypatch.chdir(kit_dir)

    def make(audience: str = "learner"):
        answers = tmp_path / f"answers-{audience}"
        answers.mkdir(exist_ok=True)
        live.setup(workshop="mini", render="live", audience=audience, answers_dir=str(answers))
        return live.current()

    return make


@pytest.fixture
def session(live_session):
    """A live learner session on the test kit; answers go to a temporary folder."""
    return live_session("learner")


@pytest.fixture
def handout_session(kit_dir: Path, monkeypatch):
    """A handout (static) facilitator session on the test kit."""
    monkeypatch.chdir(kit_dir)
    live.setup(workshop="mini", render="handout", audience="facilitator")
    return live.current()
