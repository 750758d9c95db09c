"""``detente stability`` and ``detente plot-conflict`` end to end, and the Cairo strategic model."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from detente.cli.app import app

DATA = Path(__file__).parent.parent / "data"
runner = CliRunner()


def _json(*args: str) -> dict[str, object]:
    res = runner.invoke(app, ["stability", *args, "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)  # type: ignore[no-any-return]


def test_json_contract_on_the_issue_file() -> None:
    doc = _json(str(DATA / "prisoners-dilemma.yaml"))
    states = doc["states"]
    assert isinstance(states, list)
    assert [s["options"] for s in states] == ["NN", "YN", "NY", "YY"]
    assert set(states[0]) == {"id", "options", "stable"}
    assert set(states[0]["stable"]) == {"p1", "p2"}
    assert set(states[0]["stable"]["p1"]) == {"nash", "gmr", "smr", "seq"}
    assert set(doc["equilibria"]) == {"nash", "gmr", "smr", "seq"}  # type: ignore[arg-type]


def test_text_table_and_notes() -> None:
    res = runner.invoke(
        app, ["stability", str(DATA / "conflicts" / "chicken.yaml"), "--from-status-quo"]
    )
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "d1_swerves" in out and "Equilibria" in out
    assert "State 4 (YY) is an equilibrium under GMR, SMR" in out
    assert "From the status quo, state 4 (YY)" in out


def test_bad_input_exits_2() -> None:
    res = runner.invoke(app, ["stability", str(DATA / "salary.yaml")])
    assert res.exit_code == 2
    res = runner.invoke(
        app, ["stability", str(DATA / "conflicts" / "chicken.yaml"), "--without", "nobody"]
    )
    assert res.exit_code == 2


def test_plot_writes_self_contained_html(tmp_path: Path) -> None:
    out = tmp_path / "graph.html"
    res = runner.invoke(
        app, ["plot-conflict", str(DATA / "conflicts" / "elmira.yaml"), "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "<html" in html and "plotly" in html.lower()
    assert '<script src="http' not in html  # plotly.js embedded, no network needed
    assert "moves by Uniroyal Chemical" in html


def test_cairo_threat_changes_the_equilibria() -> None:
    # the bundled Cairo example: with the US option, Israel's Rafah operation from the
    # status quo is deterred under SEQ (the suspension sanctions it); without the US,
    # the Rafah operation is the only Nash equilibrium and the status quo is not stable
    doc = _json("--without", "united_states", "--from-status-quo")
    assert doc["scenario"] == "cairo-2024-05"
    opts = doc["options"]
    assert opts == ["rafah_operation", "accept_deal", "accept_bridging", "suspend_weapons"]
    states = {s["id"]: s["options"] for s in doc["states"]}  # type: ignore[index, union-attr]
    seq = {states[i] for i in doc["equilibria"]["seq"]}  # type: ignore[index]
    assert "NNNN" in seq
    without = doc["without"]["equilibria"]  # type: ignore[index]
    assert without["nash"]["without"] == ["YNNN"]
    assert "NNNN" not in without["seq"]["without"]
    assert without["seq"]["changed"] is True
    assert doc["status_quo"]["options"] == "NNNN"  # type: ignore[index]
