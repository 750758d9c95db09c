"""``detente simulate`` and ``detente strategies`` end to end.

In-process through typer's runner (tests/invoke.py), with one bad-input case as a real
process: the exit code as the shell sees it, and no traceback leaking out.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from tests.invoke import detente as run
from tests.invoke import process
from tests.simulate.scenarios import three_by_three


def _file(tmp_path: Path) -> Path:
    p = tmp_path / "three.yaml"
    p.write_text(yaml.safe_dump(three_by_three()), encoding="utf-8")
    return p


def test_simulate_json_contract(tmp_path: Path) -> None:
    out = run(
        "simulate", _file(tmp_path), "--protocol", "sao", "--strategy", "A=linear",
        "--strategy", "B=linear", "--steps", "4", "--seed", "3", "--format", "json",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert list(doc)[:3] == ["command", "format_version", "scenario"]
    assert doc["command"] == "simulate" and doc["scenario"] == "three-by-three"
    assert doc["agreement"] == {
        "terms": {"a": "a0", "b": "b2"},
        "step": 1,
        "utilities": {"A": 0.7, "B": 0.6},
    }
    assert doc["steps"] == 2 and doc["limit"] == 4 and doc["reason"] == "agreement"
    assert doc["trace"][0] == {
        "step": 0, "party": "A", "action": "offer", "terms": {"a": "a0", "b": "b1"}
    }  # fmt: skip
    assert [a["action"] for a in doc["trace"]] == ["offer", "offer", "offer", "accept"]
    assert doc["strategies"] == {"A": "linear", "B": "linear"}
    m = doc["metrics"]
    assert m["agreement"] is True and m["on_frontier"] is True
    assert m["gains"] == {"A": 0.7, "B": 0.6}


def test_simulate_default_strategy_is_stated(tmp_path: Path) -> None:
    out = run("simulate", _file(tmp_path), "--steps", "4", "--format", "json")
    doc = json.loads(out.stdout)
    assert doc["strategies"] == {"A": "boulware", "B": "boulware"}
    assert any("default, 'boulware'" in n for n in doc["notes"])


def test_simulate_cairo_text() -> None:
    out = run("simulate", "--steps", "20")
    assert out.returncode == 0, out.stderr
    assert "No agreement" in out.stdout and "ZOPA is empty" in out.stdout


def test_simulate_bad_input_exits_2(tmp_path: Path) -> None:
    f = _file(tmp_path)
    for args, message in (
        (["--strategy", "A=bulware"], "did you mean 'boulware'"),
        (["--strategy", "Z=linear"], "not a negotiating party"),
        (["--strategy", "A"], "PARTY=VALUE"),
        (["--protocol", "gossip"], "unknown protocol"),
        (["--strategy", "A=linear:e=3"], "no parameter 'e'"),
        (["--relax", "A/nope"], "no demand 'A/nope'"),
    ):
        out = run("simulate", f, *args, "--format", "json")
        assert out.returncode == 2, args
        doc = json.loads(out.stdout)
        assert doc["ok"] is False and doc["command"] == "simulate"
        text = json.dumps(doc)
        assert message in text, (args, text)
        assert "Traceback" not in out.stderr
    real = process("simulate", f, "--strategy", "A=bulware", "--format", "json")
    assert real.returncode == 2 and "Traceback" not in real.stderr
    assert "did you mean 'boulware'" in real.stdout


def test_strategies_lists_the_plugins() -> None:
    out = run("strategies", "--format", "json")
    assert out.returncode == 0, out.stderr
    names = {r["name"] for r in json.loads(out.stdout)["strategies"]}
    assert {"boulware", "linear", "conceder", "hardliner", "random", "ac_next"} <= names


def test_text_writes_booleans_as_the_scenario_file_does() -> None:
    from detente.report.text.simulation import terms_phrase

    assert terms_phrase({"withdrawal": True, "n": 3, "c": "x"}) == "withdrawal=true, n=3, c=x"
