"""``detente analyze`` and ``detente plot`` end to end (in-process; the first as a real process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.invoke import Outcome, detente, process

ROOT = Path(__file__).resolve().parents[2]
SALARY = ROOT / "tests" / "data" / "salary.yaml"


def run(*args: str | Path, cwd: Path | None = None) -> Outcome:
    return detente(*args, cwd=cwd)


def test_analyze_json_contract() -> None:
    out = process("analyze", SALARY, "--format", "json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert list(doc)[:6] == ["command", "format_version", "scenario", "summary", "method", "exact"]
    assert list(doc)[-1] == "stability" and doc["stability"] is None  # no conflict section
    assert doc["method"] == "enumeration" and doc["exact"] is True
    assert doc["summary"]["deal"] is True and doc["summary"]["zopa_size"] == 17
    assert doc["zopa"]["size"] == 17 and doc["zopa"]["empty"] is False
    assert len(doc["frontier"]) == 6 and len(doc["frontier_all"]) == 13
    point = doc["frontier"][0]
    assert set(point) >= {"terms", "utilities", "count", "ties"}
    assert set(point["utilities"]) == {"union", "firm"}
    sols = doc["solutions"]
    assert list(sols) == ["nash", "kalai_smorodinsky", "egalitarian", "utilitarian"]
    assert sols["nash"]["terms"] == {"raise": 4, "term": "two_years", "remote": True}
    for sol in sols.values():
        assert list(sol) == ["terms", "utilities", "value", "count", "ties", "optimal", "method"]
        assert sol["optimal"] is True and sol["method"] == "enumeration"
    assert doc["summary"]["nash_deal"] == sols["nash"]
    assert doc["summary"]["fair_deal"] == sols["egalitarian"]
    (p1,) = doc["proposals"]
    assert p1["id"] == "p1"
    assert p1["acceptable_to"] == ["union"]
    assert p1["violations"] == {"union": [], "firm": ["cap"]}
    assert p1["dominated_by"] is None


def test_analyze_text_speaks_plainly() -> None:
    out = run("analyze", SALARY)
    assert out.returncode == 0, out.stderr
    assert "17 of the 66 outcomes are acceptable to every party" in out.stdout
    assert "It breaks Firm's red lines: cap." in out.stdout


def test_analyze_default_is_the_cairo_example() -> None:
    out = run("analyze", "--format", "json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["scenario"] == "cairo-2024-05"
    assert doc["zopa"]["empty"] is (doc["zopa"]["size"] == 0)
    if doc["zopa"]["empty"]:
        assert doc["frontier"] == []
        assert all(v is None for v in doc["solutions"].values())


def test_limit_exits_2_with_advice_when_enumeration_is_forced() -> None:
    out = run("analyze", SALARY, "--limit", "10", "--engine", "enum")
    assert out.returncode == 2
    assert "66 outcomes" in out.stderr and "--engine solver" in out.stderr
    as_json = run("analyze", SALARY, "--limit", "10", "--engine", "enum", "--format", "json")
    assert as_json.returncode == 2
    refusal = json.loads(as_json.stdout)
    assert refusal["scenario"] == "salary-talks" and refusal["error"] == "refused"
    assert "66 outcomes" in refusal["problems"][0]["message"]


def test_beyond_the_limit_auto_uses_the_solver_and_says_so() -> None:
    out = run("analyze", SALARY, "--limit", "10", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["method"] == "solver"
    assert data["zopa"]["size"] == 17
    assert "exceed the enumeration limit of 10" in data["notes"][0]
    assert data["frontier_computed"] is False and data["solutions"]["kalai_smorodinsky"] is None
    assert data["solutions"]["nash"]["method"].startswith("CP-SAT")


def test_bad_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: t\nparties: []\n")
    out = run("analyze", bad, "--format", "json")
    assert out.returncode == 2
    doc = json.loads(out.stdout)
    assert list(doc) == ["command", "format_version", "scenario", "ok", "error", "problems"]
    assert doc["command"] == "analyze" and doc["scenario"] is None
    assert doc["ok"] is False and doc["error"] == "invalid"
    assert all(p["file"] == str(bad) for p in doc["problems"])


@pytest.mark.parametrize("scenario", [SALARY, None])
def test_plot_writes_self_contained_html(tmp_path: Path, scenario: Path | None) -> None:
    target = tmp_path / "out.html"
    args = ["plot", *([scenario] if scenario else []), "-o", target]
    out = run(*args)
    assert out.returncode == 0, out.stderr
    html = target.read_text()
    assert "plotly" in html.lower() and "<script" in html
    assert 'src="https://cdn.plot.ly' not in html  # plotly.js embedded, works offline
    assert len(html) > 1_000_000
    assert "Pareto frontier" in html
