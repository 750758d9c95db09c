"""Commands given the wrong kind of scenario, and output files that already exist."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.invoke import Outcome, detente

DATA = Path(__file__).resolve().parents[1] / "data"


def _run(*args: str) -> Outcome:
    return detente(*args)


@pytest.mark.parametrize("command", ["gaps", "plot"])
def test_deal_commands_on_a_conflict_only_scenario(command: str, tmp_path: Path) -> None:
    extra = ["-o", str(tmp_path / "x.html")] if command == "plot" else []
    res = _run(command, str(DATA / "prisoners-dilemma.yaml"), *extra)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert "prisoners-dilemma.yaml" in res.stderr
    assert "no issues" in res.stderr
    assert "detente stability" in res.stderr
    assert not (tmp_path / "x.html").exists()
    as_json = _run(command, str(DATA / "prisoners-dilemma.yaml"), *extra, "--format", "json")
    assert as_json.returncode == 2
    refusal = json.loads(as_json.stdout)
    assert refusal["command"] == command and refusal["scenario"] == "prisoners-dilemma"
    assert refusal["ok"] is False and refusal["error"] == "invalid"
    assert "no issues" in refusal["problems"][0]["message"]


def test_analyze_on_a_conflict_only_scenario_gives_the_strategic_analysis() -> None:
    res = _run("analyze", str(DATA / "prisoners-dilemma.yaml"), "--format", "json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    # no deal model: the deal and gap keys are left out, the bottom line says so
    assert list(data) == ["command", "format_version", "scenario", "summary", "stability"]
    assert data["scenario"] == "prisoners-dilemma"
    summary = data["summary"]
    assert summary["deal"] is None and summary["zopa_size"] is None
    assert summary["gaps"] == [] and summary["cheapest_bridge"] is None
    assert summary["equilibria"]["nash"] == ["NY"]
    assert summary["status_quo"] == "NN" and summary["status_quo_stable"]["nash"] is False
    assert data["stability"]["equilibria"]["nash"] == [3]
    assert data["stability"]["status_quo"]["state"] == 1
    text = _run("analyze", str(DATA / "prisoners-dilemma.yaml"))
    assert text.returncode == 0, text.stderr
    flat = " ".join(text.stdout.split())
    assert flat.startswith("Bottom line: Prisoner's dilemma")
    assert "The status quo NN is not an equilibrium." in flat
    assert "Strategic analysis (Graph Model for Conflict Resolution)" in flat
    assert "zone of possible agreement" not in flat


def test_stability_on_a_deal_only_scenario_names_the_file() -> None:
    res = _run("stability", str(DATA / "salary.yaml"))
    assert res.returncode == 2
    assert "salary.yaml" in res.stderr
    assert "no 'conflict' section" in res.stderr


def test_from_status_quo_without_a_status_quo_is_refused(tmp_path: Path) -> None:
    text = (DATA / "prisoners-dilemma.yaml").read_text(encoding="utf-8")
    assert '  status_quo: "NN"' in text
    path = tmp_path / "no-status-quo.yaml"
    path.write_text(text.replace('  status_quo: "NN"', ""), encoding="utf-8")
    res = _run("stability", str(path), "--from-status-quo")
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert "the conflict has no status quo" in res.stderr
    as_json = _run("stability", str(path), "--from-status-quo", "--format", "json")
    assert as_json.returncode == 2
    refusal = json.loads(as_json.stdout)
    assert refusal["scenario"] == "prisoners-dilemma" and refusal["error"] == "invalid"
    assert refusal["problems"][0]["path"] == "conflict.status_quo"
    plain = _run("stability", str(path), "--format", "json")  # without the option: fine
    assert plain.returncode == 0, plain.stderr
    assert "status_quo" not in json.loads(plain.stdout)


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
