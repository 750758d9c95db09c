"""Helpers for running the real ``detente`` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DETENTE = Path(sys.executable).with_name("detente")
DATA = Path(__file__).resolve().parents[1] / "data"
SALARY = DATA / "salary.yaml"


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``detente ARGS`` and capture its output (wide terminal, no colour)."""
    env = {**os.environ, "COLUMNS": "160", "NO_COLOR": "1", "TERM": "dumb"}
    return subprocess.run(
        [str(DETENTE), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def salary_text() -> str:
    return SALARY.read_text(encoding="utf-8")
