"""Compiling conflict sections: feasibility, patterns, rankings, limits, removed options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import detente
from detente.conflict.model import MAX_OPTIONS, compile_conflict
from detente.conflict.preferences import utilities
from detente.errors import LimitError, ScenarioError
from detente.scenario import loads

DATA = Path(__file__).parent.parent / "data"


def _doc(**conflict: object) -> str:
    base: dict[str, object] = {
        "decision_makers": [{"party": "p1", "options": ["a"]}, {"party": "p2", "options": ["b"]}],
        "preferences": {"p1": {"statements": ["a"]}, "p2": {"statements": ["b"]}},
    }
    base.update(conflict)
    return json.dumps(
        {
            "id": "t",
            "title": "t",
            "parties": [{"id": "p1", "name": "P1"}, {"id": "p2", "name": "P2"}],
            "conflict": base,
        }
    )


def test_issue_minimal_file_keeps_its_meaning() -> None:
    cc = compile_conflict(detente.load(DATA / "prisoners-dilemma.yaml"))
    assert cc.patterns() == ["NN", "YN", "NY", "YY"]
    u = utilities(cc)
    # p1: statements "p2_cooperates" (2) then "not p1_cooperates" (1)
    assert u["p1"][cc.codes].tolist() == [1, 0, 3, 2]
    # p2: ranking NY > YY > NN > YN
    assert u["p2"][cc.codes].tolist() == [2, 1, 4, 3]
    assert cc.status_quo_code == 0


def test_infeasible_rules_and_patterns() -> None:
    s = loads(_doc(infeasible=["a and b", {"pattern": "NN"}]))
    cc = compile_conflict(s)
    assert cc.patterns() == ["YN", "NY"]


def test_ranking_must_cover_each_feasible_state_once() -> None:
    text = _doc(
        preferences={"p1": {"ranking": [["YY", "NN"], ["YY"]]}, "p2": {"statements": ["b"]}}
    )
    with pytest.raises(ScenarioError) as err:
        loads(text)
    msg = str(err.value)
    assert "missing from the ranking: YN, NY" in msg
    assert "listed more than once: YY" in msg


def test_ranking_naming_an_infeasible_state() -> None:
    text = _doc(
        infeasible=["a and b"],
        preferences={"p1": {"ranking": [["YY"], ["NN", "YN", "NY"]]}, "p2": {"statements": ["b"]}},
    )
    with pytest.raises(ScenarioError, match="'YY' is not a feasible state"):
        loads(text)


def test_ranking_with_wildcards_and_ties() -> None:
    s = loads(_doc(preferences={"p1": {"ranking": [["Y-"], ["N-"]]}, "p2": {"statements": ["b"]}}))
    u = utilities(compile_conflict(s))["p1"]
    assert u.tolist() == [1, 2, 1, 2]


def test_iff_statement() -> None:
    s = loads(_doc(preferences={"p1": {"statements": ["a iff b"]}, "p2": {"statements": ["b"]}}))
    assert utilities(compile_conflict(s))["p1"].tolist() == [1, 0, 0, 1]


def test_without_a_decision_maker_holds_its_options_at_n() -> None:
    s = detente.load(DATA / "conflicts" / "chicken.yaml")
    cc = compile_conflict(s, without=["d2"])
    assert cc.options == ("d1_swerves",)
    assert cc.fixed == {"d2_swerves": False}
    assert cc.dm_ids == ("d1",)
    with pytest.raises(ScenarioError, match="not a decision maker"):
        compile_conflict(s, without=["d3"])


def test_too_many_options_is_refused_with_advice() -> None:
    n = MAX_OPTIONS + 1
    dms = [
        {"party": "p1", "options": [f"x{k}" for k in range(n // 2)]},
        {"party": "p2", "options": [f"y{k}" for k in range(n - n // 2)]},
    ]
    s = loads(
        _doc(
            decision_makers=dms,
            preferences={"p1": {"statements": ["x0"]}, "p2": {"statements": ["y0"]}},
        )
    )
    with pytest.raises(LimitError, match=r"candidate states.*fix some options"):
        compile_conflict(s)


def test_one_huge_decision_maker_is_refused() -> None:
    dms = [
        {"party": "p1", "options": [f"x{k}" for k in range(16)]},
        {"party": "p2", "options": [f"y{k}" for k in range(4)]},
    ]
    s = loads(
        _doc(
            decision_makers=dms,
            preferences={"p1": {"statements": ["x0"]}, "p2": {"statements": ["y0"]}},
        )
    )
    with pytest.raises(LimitError, match="'p1' controls 16 options"):
        compile_conflict(s)
