"""``detente.timeline``: hand-checked days, each snapshot equal to ``analyze`` as of that
day, and ``analyze`` as of a day equal to the analysis of a file written with only the
items in force that day (an oracle that filters the file's data, independent of
:mod:`detente.scenario.dates`)."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import detente
from detente.report.json.analysis import analysis_document
from detente.scenario.loader import load_data
from detente.timeline import diff, timeline
from strategies import examples
from timeline.dated import dated_documents
from timeline.test_dates import MINIMAL

D = dt.date


def _load(tmp_path: Path, text: str) -> detente.Scenario:
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return detente.load(path)


def test_hand_checked_days(tmp_path: Path) -> None:
    # b accepts x <= 4 (y3 is not on the table before m1). Start: a has no red line,
    # x in 0..4 x {y1, y2} = 10 outcomes. 6 May: r1 (x >= 3) leaves x in {3, 4} = 4.
    # 8 May: r1 hardens into r2 (x >= 5): no outcome; the gap is r2 vs b1. 9 May: m1
    # floats y3, which opens a deal once adopted; the ZOPA itself stays empty.
    t = timeline(_load(tmp_path, MINIMAL))
    assert t.start.date is None
    assert t.start.analysis.summary.zopa_size == 10
    days = {d.date: d for d in t.days}
    assert list(days) == [D(2024, 5, 6), D(2024, 5, 8), D(2024, 5, 9)]
    d6, d8, d9 = days.values()
    assert [c.text for c in d6.changes] == [
        "A's red line 'r1' comes into force",
        "Proposal 'p1' by A is made",
    ]
    assert d6.effect.zopa_after == (False, 4) and d6.changed
    assert [(c.action, c.id) for c in d8.changes] == [("ends", "r1"), ("appears", "r2")]
    assert d8.effect.zopa_after == (True, 0)
    assert d8.effect.gaps_new == (("a/r2", "b/b1"),)
    assert d8.analysis.summary.cheapest_bridge is not None
    assert [(c.action, c.kind) for c in d9.changes] == [("appears", "amendment")]
    assert d9.analysis.summary.bridging_amendments == (("m1",),)
    assert d9.effect.gaps_unchanged == (("a/r2", "b/b1"),)
    assert t.on(D(2024, 5, 7)) is d6
    assert t.on(D(2020, 1, 1)) is t.start


def test_a_move_that_changes_nothing_is_marked(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "terms: {x: 4}}",
        "terms: {x: 4}, responses: [{party: b, response: rejected, date: 2024-05-07}]}",
    )
    t = timeline(_load(tmp_path, text))
    d7 = next(d for d in t.days if d.date == D(2024, 5, 7))
    assert [c.kind for c in d7.changes] == ["response"]
    assert not d7.changed
    assert d7.reused == ("gaps", "conflict")  # only the proposals are checked again


def test_events_are_context_on_their_day(tmp_path: Path) -> None:
    text = MINIMAL + (
        "events:\n  - {date: 2024-05-07, kind: statement, text: Talks resume., basis: assumed}\n"
    )
    t = timeline(_load(tmp_path, text))
    d7 = next(d for d in t.days if d.date == D(2024, 5, 7))
    assert d7.changes == ()
    assert [c.text for c in d7.context] == ["Talks resume."]
    assert not d7.changed and d7.reused == ("deal", "conflict")


def test_cairo_snapshots_equal_analyze_as_of() -> None:
    s = detente.load(Path(detente.__file__).parent / "examples" / "cairo-2024-05.yaml")
    t = timeline(s)
    for d in t.days:
        assert d.date is not None
        assert analysis_document(d.analysis) == analysis_document(detente.analyze(s.on(d.date)))
    biden = next(d for d in t.days if d.date == D(2024, 5, 8))
    assert [c.id for c in biden.changes] == ["suspend_weapons"]
    assert "NNNN" in biden.effect.equilibria_gained["gmr"]  # the status quo: now sanctioned
    (why,) = biden.effect.reasons["NNNN"]
    assert (why.dm, why.move) == ("israel", ("+rafah_operation",))
    assert why.by == (("united_states", ("+suspend_weapons",)),)
    last = t.days[-1]
    assert last.date == D(2024, 5, 9) and last.effect.zopa_after == (True, 0)
    assert len(last.effect.gaps_new) == 6


def test_diff_between_two_days(tmp_path: Path) -> None:
    r = diff(_load(tmp_path, MINIMAL), D(2024, 5, 6), D(2024, 5, 9))
    assert [(c.date, c.id) for c in r.changes] == [
        (D(2024, 5, 8), "r1"),
        (D(2024, 5, 8), "r2"),
        (D(2024, 5, 9), "m1"),
    ]
    assert r.effect.zopa_before == (False, 4) and r.effect.zopa_after == (True, 0)


# -- random dated scenarios against the filtering oracle -------------------------------

DAYS = [D(2024, 5, d) for d in range(1, 7)]
RULES = ["x >= 2", "x >= 4", "x <= 3", "x <= 5", "y != 'y1'", "y == 'y3' or x >= 1", "z"]


def _dated() -> st.SearchStrategy[dict[str, Any]]:
    return dated_documents(DAYS, RULES)


def _holds(item: dict[str, Any], day: dt.date) -> bool:
    start = item.get("date")
    end = item.get("until")
    return (start is None or D.fromisoformat(start) <= day) and (
        end is None or D.fromisoformat(end) > day
    )


def _filtered(data: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """The file as a person would write it on ``day``: only what is in force, undated."""
    out = copy.deepcopy(data)

    def strip(x: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in x.items() if k not in ("date", "until")}

    for pos in out["positions"].values():
        pos["red_lines"] = [strip(r) for r in pos["red_lines"] if _holds(r, day)]
        if isinstance(pos["reservation"], list):
            now = [strip(v) for v in pos["reservation"] if _holds(v, day)]
            pos["reservation"] = now[0] if now else 0.0
    out["proposals"] = [strip(p) for p in out["proposals"] if _holds(p, day)]
    out["amendments"] = [strip(a) for a in out["amendments"] if _holds(a, day)]
    if data["amendments"] and not out["amendments"]:  # y3 is on the table only with m1
        out["issues"][1]["options"] = ["y1", "y2"]
        for pos in out["positions"].values():
            pos["priorities"]["y"]["values"].pop("y3")
        for pos in out["positions"].values():
            for r in pos["red_lines"]:
                r["rule"] = r["rule"].replace("y == 'y3' or x >= 1", "x >= 1")
    return out


def _loads(data: dict[str, Any]) -> detente.Scenario | None:
    try:
        return load_data(data, "random")
    except detente.ScenarioError:
        return None


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_dated())
def test_each_snapshot_equals_analyze_as_of_and_the_filtered_file(data: dict[str, Any]) -> None:
    s = _loads(data)
    if s is None or s.history is None:  # refused (overlapping versions, ...), or undated
        return
    t = timeline(s)
    for d in t.days:
        assert d.date is not None
        as_of = detente.analyze(s.on(d.date))
        assert analysis_document(d.analysis) == analysis_document(as_of)
        oracle = _loads(_filtered(data, d.date))
        assert oracle is not None
        got = analysis_document(as_of)
        want = analysis_document(detente.analyze(oracle))
        assert got == want, d.date
