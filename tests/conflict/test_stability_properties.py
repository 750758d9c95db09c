"""The vectorised engine equals a definition-by-definition brute force on random conflicts.

The oracle (tests/conflict/oracle.py) compiles states, moves and preferences from the
document itself; nothing it uses comes from the engine.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.conflict.model import compile_conflict
from detente.conflict.stability import CONCEPTS, analyze_stability
from detente.scenario.loader import load_data
from strategies import conflict_documents, examples

from .oracle import Oracle


@settings(max_examples=examples(200), deadline=None)
@given(conflict_documents())
def test_engine_matches_brute_force(doc: dict[str, object]) -> None:
    cc = compile_conflict(load_data(doc, "random.json"))
    fast = analyze_stability(cc)
    oracle = Oracle(doc)
    pats = cc.patterns()
    assert pats == [oracle.pattern(c) for c in oracle.states]  # the same feasible states
    codes = np.array(oracle.states, dtype=np.int64)
    for dm in cc.dm_ids:
        # the same preference order over the feasible states
        mine = np.array([oracle.u[dm][c] for c in oracle.states])
        theirs = np.asarray(fast.utilities[dm])[codes]
        assert np.array_equal(np.sign(mine[:, None] - mine), np.sign(theirs[:, None] - theirs))
        for concept in CONCEPTS:
            got = {pats[k] for k, ok in enumerate(fast.stable[dm][concept]) if ok}
            assert got == oracle.stable_states(dm, concept), (dm, concept)
    for concept in CONCEPTS:
        eq = {pats[e - 1] for e in fast.equilibria(concept)}  # type: ignore[arg-type]
        assert eq == oracle.equilibria(concept)


@settings(max_examples=examples(100), deadline=None)
@given(conflict_documents(min_dms=2, max_dms=4), st.integers(0, 2**32 - 1), st.data())
def test_reusing_an_analysis_after_one_ranking_moved_changes_nothing(
    doc: dict[str, object], seed: int, data: st.DataObject
) -> None:
    cc = compile_conflict(load_data(doc, "random.json"))
    base = analyze_stability(cc)
    dm = data.draw(st.sampled_from(cc.dm_ids))
    rng = np.random.default_rng(seed)
    util = np.asarray(base.utilities[dm]).copy()
    util[cc.codes] = rng.integers(0, 4, size=cc.codes.size)  # a new preorder, ties likely
    utils = {**base.utilities, dm: util}
    full = analyze_stability(cc, utils)
    reused = analyze_stability(cc, utils, reuse=base, changed=dm)
    for i in cc.dm_ids:
        for concept in CONCEPTS:
            for field in ("stable", "improvement", "sanction", "reach"):
                a = getattr(full, field)[i][concept]
                b = getattr(reused, field)[i][concept]
                assert np.array_equal(a, b), (i, concept, field)


@settings(max_examples=examples(60), deadline=None)
@given(conflict_documents(min_dms=3, max_dms=4))
def test_certificates_agree_with_verdicts(doc: dict[str, object]) -> None:
    scenario = load_data(doc, "random.json")
    cc = compile_conflict(scenario)
    result = analyze_stability(cc)
    for dm in cc.dm_ids:
        for concept in CONCEPTS:
            for sid in range(1, cc.n_states + 1):
                cert = result.certificate(dm, sid, concept)
                assert cert.stable == bool(result.stable[dm][concept][sid - 1])
                for check in cert.improvements:
                    if check.blocked and concept != "nash":
                        # the path is legal: no decision maker twice in a row, never dm itself
                        movers = [m.dm for m in check.path]
                        assert dm not in movers
                        assert all(a != b for a, b in itertools.pairwise(movers))
                        assert check.path[-1].to == check.sanction
