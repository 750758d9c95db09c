"""Helpers for running the ``detente`` command (in-process by default, or a real process)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.invoke import Outcome, detente, process

DATA = Path(__file__).resolve().parents[1] / "data"
SALARY = DATA / "salary.yaml"


def run(*args: str | Path, cwd: Path | None = None) -> Outcome:
    """``detente ARGS`` in-process (see tests/invoke.py); ``run_process`` for a real one."""
    return detente(*args, cwd=cwd)


def run_process(*args: str | Path, cwd: Path | None = None) -> Outcome:
    """``detente ARGS`` as a real process (exit codes, tracebacks, what the shell sees)."""
    return process(*args, cwd=cwd)


@pytest.fixture
def salary_text() -> str:
    return SALARY.read_text(encoding="utf-8")
