"""Every command of docs/guide.md runs and exits 0, and the claims it quotes hold."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
COMMANDS = [
    line.strip()
    for block in re.findall(r"```sh\n(.*?)```", GUIDE, re.S)
    for line in block.splitlines()
    if line.strip().startswith("detente ")
]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # run from a copy of the paths the guide names, so nothing is written in the repo
    here = tmp_path_factory.mktemp("guide")
    shutil.copytree(ROOT / "src" / "detente" / "examples", here / "src" / "detente" / "examples")
    return here


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    args = shlex.split(command)[1:]
    return subprocess.run(
        [sys.executable, "-m", "detente", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        env={"COLUMNS": "120", "PATH": "/usr/bin:/bin"},
    )


def test_the_guide_has_commands() -> None:
    assert len(COMMANDS) >= 8


@pytest.mark.parametrize("command", COMMANDS)
def test_guide_command_runs(command: str, workdir: Path) -> None:
    result = _run(command, workdir)
    assert result.returncode == 0, result.stderr


def test_the_guide_s_claims_hold(workdir: Path) -> None:
    check = " ".join(_run(COMMANDS[1], workdir).stdout.split())
    assert "Israel rejected" in check and "consistent" in check
    amended = " ".join(_run(COMMANDS[3], workdir).stdout.split())
    assert "1 minimal conflict" in amended
    assert "Rests on reported demands only" in amended
    stability = " ".join(_run(COMMANDS[4], workdir).stdout.split())
    assert "only without United States: YNNN" in stability
