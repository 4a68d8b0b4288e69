"""Shared fixtures: a small, valid kit folder copied fresh for each test."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from pvkit.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def kit_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/kit."""
    target = tmp_path / "kit"
    shutil.copytree(FIXTURES / "kit", target)
    return target


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli():
    """Call ``pvkit.cli.main(argv)`` in-process and capture its output."""

    def run(*argv: str) -> Run:
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), stdout=out, stderr=err)
        return Run(code, out.getvalue(), err.getvalue())

    return run
