"""Status quo analysis: reachability and shortest paths against a naive search."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import detente
from detente.conflict.model import compile_conflict
from detente.conflict.stability import analyze_stability
from detente.conflict.status_quo import reachability, status_quo_analysis
from detente.scenario.loader import load_data
from strategies import conflict_documents, examples

from .oracle import Oracle

DATA = Path(__file__).parent.parent / "data" / "conflicts"


@settings(max_examples=examples(100), deadline=None)
@given(conflict_documents(), st.data())
def test_distances_and_paths_match_naive_search(
    doc: dict[str, object], data: st.DataObject
) -> None:
    cc = compile_conflict(load_data(doc, "random.json"))
    result = analyze_stability(cc)
    oracle = Oracle(doc)
    start = data.draw(st.integers(1, cc.n_states))
    for improving in (False, True):
        reach = reachability(result, start, improving=improving)
        naive = oracle.distances(cc.code_of(start), improving)
        expected = [naive.get(int(c), -1) for c in cc.codes]
        assert reach.distance.tolist() == expected
        for sid in range(1, cc.n_states + 1):
            path = reach.path(sid)
            if expected[sid - 1] < 0:
                assert path is None
                continue
            assert path is not None and len(path) == expected[sid - 1]
            cur = cc.code_of(start)
            for k, move in enumerate(path):
                nxt = cc.code_of(move.to)
                d = cc.dm(move.dm)
                own = ((1 << d.hi) - 1) ^ ((1 << d.lo) - 1)
                assert (cur ^ nxt) & ~own == 0 and cur != nxt  # only the mover's options
                if improving:
                    assert result.utilities[move.dm][nxt] > result.utilities[move.dm][cur]
                if k:
                    assert path[k - 1].dm != move.dm
                cur = nxt


def test_elmira_from_status_quo() -> None:
    result = analyze_stability(compile_conflict(detente.load(DATA / "elmira.yaml")))
    sq = status_quo_analysis(result)
    pats = result.conflict.patterns()
    assert pats[sq.status_quo - 1] == "NYNNN"
    rows = {(r["concept"], pats[int(r["state"]) - 1]): r for r in sq.rows()}  # type: ignore[call-overload]
    # LG insists (an improvement for it): the delaying-with-insistence equilibrium
    first = rows[("nash", "NYNNY")]
    assert first["reachable_by_improvements"] is True
    assert first["improvements_path"] == [{"dm": "lg", "to": pats.index("NYNNY") + 1}]
