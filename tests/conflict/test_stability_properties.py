"""The vectorised engine equals a definition-by-definition brute force on random conflicts."""

from __future__ import annotations

import itertools
import json

from hypothesis import given, settings

from detente.conflict.model import compile_conflict
from detente.conflict.stability import CONCEPTS, analyze_stability
from detente.scenario import loads
from strategies import conflict_documents

from .oracle import stability as brute_force


@settings(max_examples=200, deadline=None)
@given(conflict_documents())
def test_engine_matches_brute_force(doc: dict[str, object]) -> None:
    scenario = loads(json.dumps(doc), "random.json")
    cc = compile_conflict(scenario)
    fast = analyze_stability(cc)
    slow = brute_force(cc, fast.utilities)
    for dm in cc.dm_ids:
        for concept in CONCEPTS:
            assert fast.stable[dm][concept].tolist() == slow[dm][concept], (dm, concept)


@settings(max_examples=60, deadline=None)
@given(conflict_documents(min_dms=3, max_dms=4))
def test_certificates_agree_with_verdicts(doc: dict[str, object]) -> None:
    scenario = loads(json.dumps(doc), "random.json")
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
