"""Every command of docs/guide.md runs and exits 0, and the claims it quotes hold."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from tests.invoke import Outcome, detente

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


def _run(command: str, cwd: Path) -> Outcome:
    return detente(*shlex.split(command)[1:], cwd=cwd)


def test_the_guide_has_commands() -> None:
    assert len(COMMANDS) >= 10


@pytest.fixture(scope="module")
def outputs(workdir: Path) -> dict[str, Outcome]:
    # in the guide's order: a command may use what an earlier one wrote (examples copy)
    return {command: _run(command, workdir) for command in COMMANDS}


@pytest.mark.parametrize("command", COMMANDS)
def test_guide_command_runs(command: str, outputs: dict[str, Outcome]) -> None:
    result = outputs[command]
    assert result.returncode == 0, result.stderr


def _output(outputs: dict[str, Outcome], prefix: str) -> str:
    """The output of the guide's command ``prefix`` (or the one starting so), on one line."""
    (command,) = [c for c in COMMANDS if c == prefix] or [
        c for c in COMMANDS if c.startswith(prefix)
    ]
    assert outputs[command].returncode == 0, outputs[command].stderr
    return " ".join(outputs[command].stdout.split())


CAIRO = "src/detente/examples/cairo-2024-05.yaml"


def test_the_guide_s_claims_hold(outputs: dict[str, Outcome]) -> None:
    demo = _output(outputs, f"detente demo {CAIRO}")
    assert demo.startswith("Bottom line: Cairo cease-fire")
    assert "40 of the 40 numbers behind the positions" in demo
    assert "Of the positions' 20 items" in demo
    assert "4 are reported with a source and 16 are the analyst's assumptions" in demo

    check = _output(outputs, f"detente check {CAIRO}")
    assert "Israel rejected" in check and "consistent" in check
    assert "11 completions" in check
    assert (
        "'living-before-bodies', 'veto-on-prisoner-selection' and 'no-permanent-ceasefire'" in check
    )

    analyze = _output(outputs, f"detente analyze {CAIRO}")
    bottom = analyze[: analyze.index("Acceptability per party")]  # the Bottom line block
    assert bottom.startswith("Bottom line: Cairo cease-fire")
    assert "No deal: no outcome meets every party's red lines and reservation." in bottom
    assert "Minimal conflicts: 6, 1 resting on reported demands only" in bottom
    assert "1. [reported] Israel: veto on prisoner selection vs Hamas: choose prisoners" in bottom
    assert "Israel: No permanent cease-fire clause vs Hamas: commitment beyond six weeks" in bottom
    assert "The floated amendment does not open a deal." in bottom
    assert "Cheapest bridge (cost 15" in bottom
    assert "relax Israel: No permanent cease-fire clause and Hamas: choose prisoners" in bottom
    assert "it opens 143 outcomes; the fair deal then gives Israel 0.51, Hamas 0.61" in bottom
    assert "Nash YNNY" in bottom and "The status quo NNNN is stable under GMR, SMR, SEQ" in bottom
    assert "Outside pressure matters" in bottom
    assert "(2) Israel 'No permanent cease-fire clause' [D3] against Hamas 'A commitment" in analyze
    assert "[Rests on assumptions: D5.]" in analyze  # D5: hamas/commitment-beyond-six-weeks
    assert (
        "resolves conflicts (2), (3), (4), (5) and (6). Still blocking: Israel 'Israel keeps a veto"
        in analyze
    )

    amended = _output(outputs, f"detente analyze {CAIRO} --unlock")
    assert "Minimal conflicts: 1, 1 resting on reported demands only" in amended
    assert "1 minimal conflict" in amended
    assert "Rests on reported demands only" in amended
    assert "Cheapest bridge (cost 6)" in amended and "Bridge 2 (cost 7)" in amended
    assert "2 bridges in all" in amended

    stability = _output(outputs, f"detente stability {CAIRO} --from-status-quo")
    assert "equilibrium 1 (NNNN; GMR, SMR, SEQ): by any moves: already there" in stability
    assert "Nash with: YNNY; without: YNNN (changes)" in stability
    assert "only without United States: YNNN" in stability
    preferences = _output(outputs, f"detente stability {CAIRO} --preferences")
    assert preferences.startswith("Preferences over the feasible states")
    assert "Israel: 6 NYYN > " in preferences

    copied = _output(outputs, "detente validate my-analysis/")
    assert copied.startswith("ok: my-analysis/cairo-2024-05.yaml")
