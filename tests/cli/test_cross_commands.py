"""Commands given the wrong kind of scenario, and output files that already exist."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "detente", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("command", ["analyze", "gaps", "plot"])
def test_deal_commands_on_a_conflict_only_scenario(command: str, tmp_path: Path) -> None:
    extra = ["-o", str(tmp_path / "x.html")] if command == "plot" else []
    res = _run(command, str(DATA / "prisoners-dilemma.yaml"), *extra)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert "prisoners-dilemma.yaml" in res.stderr
    assert "no issues" in res.stderr
    assert "detente stability" in res.stderr


def test_stability_on_a_deal_only_scenario_names_the_file() -> None:
    res = _run("stability", str(DATA / "salary.yaml"))
    assert res.returncode == 2
    assert "salary.yaml" in res.stderr
    assert "no 'conflict' section" in res.stderr


@pytest.mark.parametrize(
    ("args", "scenario"),
    [
        (["plot"], "salary.yaml"),
        (["plot-conflict"], "prisoners-dilemma.yaml"),
    ],
)
def test_plots_never_overwrite_without_force(
    args: list[str], scenario: str, tmp_path: Path
) -> None:
    out = tmp_path / "mine.html"
    out.write_text("my notes", encoding="utf-8")
    res = _run(*args, str(DATA / scenario), "-o", str(out))
    assert res.returncode == 2
    assert "not overwriting" in res.stderr
    assert out.read_text(encoding="utf-8") == "my notes"
    forced = _run(*args, str(DATA / scenario), "-o", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "<html" in out.read_text(encoding="utf-8").lower()
