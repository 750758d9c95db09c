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


def test_unlocked_amendment_is_adopted_by_the_gap_analysis_too() -> None:
    # the base analysis with the amendment adopted must match what the candidate
    # analysis (amendment not adopted) says remains once it is adopted
    import json

    base = json.loads(_run("analyze", "--format", "json").stdout)
    (candidate,) = base["amendments"]
    adopted = _run("analyze", "--unlock", "sustainable-calm-wording", "--format", "json")
    assert adopted.returncode == 0, adopted.stderr
    data = json.loads(adopted.stdout)
    remaining = sorted(sorted(g["red_lines"]) for g in candidate["remaining_gaps"])
    assert sorted(sorted(g["red_lines"]) for g in data["gaps"]) == remaining
    assert data["amendments"] == []  # nothing left to propose
    assert data["gaps_complete"] is True


def test_stability_certificates_justify_every_equilibrium() -> None:
    import json

    res = _run("stability", "--format", "json", "--certificates")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    certs = data["certificates"]
    seen = {(c["concept"], c["state"], c["dm"]) for c in certs}
    dms = list(data["decision_makers"])
    for concept, states in data["equilibria"].items():
        for state in states:
            assert {(concept, state, dm) for dm in dms} <= seen
    for c in certs:
        assert c["stable"] is True  # equilibria: stable for every decision maker
        for imp in c["improvements"]:
            assert imp["blocked"] is True
            if c["concept"] != "nash":
                assert imp["path"], "a blocked improvement names its sanction path"
                assert imp["path"][-1]["to"] == imp["sanction"]
                assert all(m["dm"] != c["dm"] for m in imp["path"])
