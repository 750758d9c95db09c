"""The paths of ``analyze`` agree: enumeration, additive merge and CP-SAT solver."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from detente.deal.analysis import analyze_deal
from detente.errors import LimitError
from detente.scenario import load
from detente.scenario.loader import loads
from strategies import deal_scenario_documents, examples

SALARY = Path(__file__).parent.parent / "data" / "salary.yaml"


def _unary(doc: dict[str, Any]) -> dict[str, Any]:
    """The document with only its single-issue red lines (the merge path's domain)."""
    doc = copy.deepcopy(doc)
    conditions = doc.pop("_conditions")
    for p, conds in conditions.items():
        lines = doc["positions"][p]["red_lines"]
        doc["positions"][p]["red_lines"] = [
            rl for rl, c in zip(lines, conds, strict=True) if c[0] not in ("or", "and", "implies")
        ]
    return doc


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deal_scenario_documents())
def test_merge_path_equals_enumeration(doc: dict[str, Any]) -> None:
    s = loads(json.dumps(_unary(doc)), "unary.json")
    e = analyze_deal(s, engine="enum", tie_limit=4)
    m = analyze_deal(s, engine="merge", tie_limit=4)
    assert m.method == "additive-merge" and m.zopa.size is None
    assert m.zopa.empty == e.zopa.empty
    for f, g in ((m.frontier, e.frontier), (m.frontier_all, e.frontier_all)):
        assert np.array_equal(f.utilities, g.utilities)
        assert f.counts == g.counts
    for (_, a), (_, b) in zip(m.solutions.items(), e.solutions.items(), strict=True):
        assert (a is None) == (b is None)
        if a is not None and b is not None:
            assert np.array_equal(a.utility_vector, b.utility_vector)


def test_merge_refused_for_cross_issue_red_lines() -> None:
    with pytest.raises(LimitError, match="merge path does not apply"):
        analyze_deal(load(SALARY), engine="merge")


def test_solver_path_agrees_on_salary() -> None:
    e = analyze_deal(load(SALARY))
    s = analyze_deal(load(SALARY), engine="solver")
    assert s.method == "solver" and not s.frontier_computed
    assert s.zopa.size == e.zopa.size == 17
    assert s.solutions.kalai_smorodinsky is None
    for name in ("nash", "egalitarian", "utilitarian"):
        a, b = getattr(s.solutions, name), getattr(e.solutions, name)
        assert a is not None and b is not None
        assert np.allclose(a.utility_vector, b.utility_vector)
