"""Days sharing one frame (:mod:`detente.timeline.frames`) give the analysis each day
would get on its own: the timeline with shared frames equals the timeline without, on
random dated scenarios (red lines shared by both parties, moving reservations, an
amendment whose options only its sub-space holds), and on a space of 10^6 outcomes
(two enumeration chunks, the whole space's frontier shared, near misses over classes).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import detente
from detente.report.json.analysis import analysis_document
from detente.scenario.loader import load_data
from detente.timeline import timeline
from detente.timeline.frames import Frames
from strategies import examples
from timeline.dated import dated_documents

D = dt.date
DAYS = [D(2024, 5, d) for d in range(1, 8)]
RULES = ["x >= 2", "x >= 4", "x <= 3", "x <= 5", "y != 'y1'", "y == 'y3' or x >= 1", "z", "w <= 2"]


def _documents(t: detente.timeline.Timeline) -> list[dict[str, Any]]:
    return [analysis_document(d.analysis) for d in (t.start, *t.days)]


def _dated() -> st.SearchStrategy[dict[str, Any]]:
    return dated_documents(DAYS, RULES, wide=True)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_dated())
def test_shared_frames_give_the_same_snapshots(data: dict[str, Any]) -> None:
    try:
        s = load_data(data, "random")
    except detente.ScenarioError:
        return  # refused (overlapping versions, an option used before its amendment, ...)
    if s.history is None:
        return
    assert _documents(timeline(s)) == _documents(timeline(s, share=False))


def test_frames_are_used_and_group_the_outcomes() -> None:
    doc = {
        "id": "two-days",
        "title": "Two days",
        "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "issues": [
            {"id": "x", "kind": "integer", "range": [0, 6]},
            {"id": "y", "kind": "choice", "options": ["y1", "y2", "y3"]},
        ],
        "positions": {
            p: {
                "red_lines": [
                    {"id": "r1", "rule": "x >= 2", "date": "2024-05-02"},
                    {"id": "r2", "rule": "y != 'y1'", "date": "2024-05-03"},
                ],
                "priorities": {
                    "x": {"weight": 1, "values": "increasing" if p == "a" else "decreasing"},
                    "y": {"weight": 1, "values": {"y1": 1, "y2": 0.5, "y3": 0.0}},
                },
            }
            for p in ("a", "b")
        },
        "amendments": [{"id": "m1", "adds": {"y": ["y3"]}}],
    }
    s = load_data(doc, "two-days")
    days = [s.on(D(2024, 5, d)) for d in (1, 2, 3)]
    frames = Frames(days, {"engine": "auto"})
    shared = [frames.day(d) for d in days]
    assert all(x is not None for x in shared)
    day = shared[0]
    assert day is not None
    fr = day.frame
    # one mask per rule (both parties' r1 are one): x >= 2 and y != y1 split the 14 base
    # rows in 4 groups, the 7 rows with y3 (only with m1; y != y1 holds) in 2 more
    assert (fr.n_base, fr.size) == (14, 21)
    assert fr.groups == 6
    assert int(fr.counts.sum()) == 21 and int(fr.counts_base.sum()) == 14
    assert _documents(timeline(s)) == _documents(timeline(s, share=False))
    # a frame with a single set of demands is not shared (nothing to share)
    assert Frames(days[:1], {"engine": "auto"}).day(days[0]) is None
    assert Frames(days, {"engine": "solver"}).day(days[0]) is None


def _large(changes: int) -> dict[str, Any]:
    """10^6 outcomes (5 integer issues of 10 values, a choice of 10; m1 adds an 11th)."""
    rng = np.random.default_rng(7)
    day0 = D(2024, 1, 1)
    issues: list[dict[str, Any]] = [
        {"id": f"n{k}", "kind": "integer", "range": [0, 9]} for k in range(5)
    ]
    issues.append({"id": "c", "kind": "choice", "options": [f"c{i}" for i in range(10)] + ["m"]})
    lines: dict[str, list[dict[str, Any]]] = {"a": [], "b": []}
    res: dict[str, list[dict[str, Any]]] = {"a": [], "b": []}
    for j in range(changes):
        day = (day0 + dt.timedelta(days=j + 1)).isoformat()
        p = "ab"[j % 2]
        if j % 3 == 2:
            prev = res[p][-1] if res[p] else None
            if prev is not None:
                prev["until"] = day
            res[p].append({"value": round(float(rng.uniform(0.2, 0.5)), 2), "date": day})
        else:
            op = ">=" if p == "a" else "<="
            rule = f"n{int(rng.integers(0, 5))} {op} {int(rng.integers(2, 8))}"
            lines[p].append({"id": f"r{j}", "rule": rule, "date": day, "firmness": j % 9 + 1})
    positions = {}
    for i, p in enumerate(("a", "b")):
        prios: dict[str, Any] = {
            f"n{k}": {"weight": float(k + 1), "values": "increasing" if i == 0 else "decreasing"}
            for k in range(5)
        }
        prios["c"] = {
            "weight": 1.0,
            "values": {**{f"c{m}": m / 9 if i == 0 else 1 - m / 9 for m in range(10)}, "m": 0.5},
        }
        positions[p] = {"red_lines": lines[p], "priorities": prios, "reservation": res[p] or 0.0}
    when = (day0 + dt.timedelta(days=changes // 2)).isoformat()
    return {
        "id": "large-dated",
        "title": "Large dated",
        "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "issues": issues,
        "positions": positions,
        "amendments": [{"id": "m1", "adds": {"c": ["m"]}, "date": when}],
    }


@pytest.mark.slow
def test_shared_frames_over_a_million_outcomes() -> None:
    s = load_data(_large(6), "large")  # two frames of 3 and 4 days; the ZOPA empties
    shared, alone = timeline(s), timeline(s, share=False)
    docs = _documents(shared)
    assert docs == _documents(alone)
    sizes = [d["summary"]["zopa_size"] for d in docs]
    assert sizes[0] == 10**6 and 0 in sizes  # the ZOPA is whole at the start, later empty


def test_more_demands_than_a_key_holds_fall_back_to_the_library() -> None:
    # 66 red lines + 2 reservations + a locked option: wider than 62 bits, so the
    # tabulation is the library's own; the deal side still shares the frame
    lines = [
        {"id": f"r{k}", "rule": f"x >= {k % 3}", "firmness": k % 9 + 1, "date": "2024-05-02"}
        for k in range(33)
    ]
    later = [{**r, "id": f"s{r['id']}", "date": "2024-05-03"} for r in lines]
    doc = {
        "id": "wide",
        "title": "Wide",
        "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "issues": [
            {"id": "x", "kind": "integer", "range": [0, 6]},
            {"id": "y", "kind": "choice", "options": ["y1", "y2", "y3"]},
        ],
        "positions": {
            "a": {
                "red_lines": lines + later,
                "priorities": {"x": {"weight": 1, "values": "increasing"}},
                "reservation": 0.4,
            },
            "b": {
                "red_lines": [{"id": "b1", "rule": "x <= 1", "date": "2024-05-03"}],
                "priorities": {"x": {"weight": 1, "values": "decreasing"}},
                "reservation": 0.4,
            },
        },
        "amendments": [{"id": "m1", "adds": {"y": ["y3"]}}],
    }
    s = load_data(doc, "wide")
    t = timeline(s)
    assert t.days[-1].analysis.summary.zopa_size == 0
    assert _documents(t) == _documents(timeline(s, share=False))
