"""Deal analysis against the brute-force oracle on random tiny scenarios (2-4 parties)."""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings

from deal.deal_oracle import Oracle, dominates, frontier, solutions
from detente.deal.analysis import DealAnalysis, analyze_deal
from detente.deal.frontier import FrontierPoints
from detente.scenario.loader import load_data
from strategies import deal_scenario_documents

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load(doc: dict[str, Any]) -> tuple[Any, Oracle]:
    doc = copy.deepcopy(doc)
    conditions = doc.pop("_conditions")
    return load_data(doc, "random.json"), Oracle(doc, conditions)


def _key(v: Any) -> tuple[float, ...]:
    return tuple(round(float(x), 9) for x in v)


def _points(f: FrontierPoints) -> dict[tuple[float, ...], int]:
    return {_key(u): c for u, c in zip(f.utilities, f.counts, strict=True)}


def _oracle_points(vectors: list[tuple[Fraction, ...]]) -> dict[tuple[float, ...], int]:
    return {_key(v): c for v, c in frontier(vectors).items()}


def _check(a: DealAnalysis, o: Oracle) -> None:
    zopa = o.zopa()
    assert a.zopa.size == len(zopa)
    assert a.zopa.empty == (not zopa)
    for j, pa in enumerate(a.zopa.parties):
        assert pa.acceptable == sum(o.acceptable(j, x) for x in o.outcomes)
        assert pa.below_reservation == sum(o.u(x)[j] < o.res[j] for x in o.outcomes)
    # sample members are ZOPA outcomes
    zset = {tuple(o.env(x).values()) for x in zopa}
    for c in a.zopa.sample:
        assert tuple(a.terms(c).values()) in zset
    assert _points(a.frontier) == _oracle_points([o.u(x) for x in zopa])
    assert _points(a.frontier_all) == _oracle_points([o.u(x) for x in o.outcomes])
    # every listed tie really has the point's utilities
    for f in (a.frontier, a.frontier_all):
        for u, ties, count in zip(f.utilities, f.ties, f.counts, strict=True):
            assert len(ties) == min(count, f.tie_limit)
            for t in ties:
                terms = a.terms(t)
                assert _key(o.u(tuple(terms.values()))) == _key(u)
    expected = solutions([o.u(x) for x in zopa], o.res)
    counts = {_key(v): c for v, c in frontier([o.u(x) for x in zopa]).items()}
    for name, s in a.solutions.items():
        if not zopa:
            assert s is None
            continue
        assert s is not None
        best, opt = expected[name]
        assert abs(s.value - float(best)) <= 1e-9
        got = {_key(np.array([pt.utilities[p] for p in a.parties])) for pt in s.points}
        assert got == {_key(v) for v in opt}, name
        assert s.count == sum(counts[_key(v)] for v in opt)


@SETTINGS
@given(deal_scenario_documents())
def test_analysis_matches_oracle(doc: dict[str, Any]) -> None:
    scenario, o = _load(doc)
    _check(analyze_deal(scenario), o)


@SETTINGS
@given(deal_scenario_documents(max_outcomes=200))
def test_chunked_equals_unchunked(doc: dict[str, Any]) -> None:
    scenario, _ = _load(doc)
    whole = analyze_deal(scenario, chunk_size=10**6, tie_limit=3)
    for size in (1, 7):
        part = analyze_deal(scenario, chunk_size=size, tie_limit=3)
        assert part.zopa.size == whole.zopa.size
        assert part.zopa.parties == whole.zopa.parties
        assert np.array_equal(part.zopa.sample, whole.zopa.sample)
        for f, g in ((part.frontier, whole.frontier), (part.frontier_all, whole.frontier_all)):
            assert np.array_equal(f.utilities, g.utilities)
            assert np.array_equal(f.codes, g.codes)
            assert f.counts == g.counts
            assert all(np.array_equal(x, y) for x, y in zip(f.ties, g.ties, strict=True))
        for (_, s), (_, t) in zip(part.solutions.items(), whole.solutions.items(), strict=True):
            assert (s is None) == (t is None)
            if s is not None and t is not None:
                assert [(pt.terms, dict(pt.utilities), pt.count) for pt in s.points] == [
                    (pt.terms, dict(pt.utilities), pt.count) for pt in t.points
                ]


@SETTINGS
@given(deal_scenario_documents())
def test_proposals_match_oracle(doc: dict[str, Any]) -> None:
    scenario, o = _load(doc)
    a = analyze_deal(scenario)
    for p, score in zip(doc["proposals"], a.proposals, strict=True):
        fixed = p["terms"]
        completions = [x for x in o.outcomes if all(o.env(x)[k] == v for k, v in fixed.items())]
        assert score.completions == len(completions)
        us = [o.u(x) for x in completions]
        for j in range(len(o.parties)):
            assert abs(score.u_min[j] - float(min(u[j] for u in us))) < 1e-9
            assert abs(score.u_max[j] - float(max(u[j] for u in us))) < 1e-9
        every = [q for j, q in enumerate(o.parties) if all(o.acceptable(j, x) for x in completions)]
        some = [q for j, q in enumerate(o.parties) if any(o.acceptable(j, x) for x in completions)]
        assert list(score.acceptable_to) == every
        assert list(score.acceptable_to_some) == some
        for q in o.parties:
            always = [
                r
                for r in o.broken(q, completions[0])
                if all(r in o.broken(q, x) for x in completions)
            ]
            assert list(score.violations[q]) == always
        if len(completions) == 1:
            u = us[0]
            dominated = any(dominates(o.u(x), u) for x in o.outcomes)
            assert (score.dominated_by is not None) == dominated
            if score.dominated_by is not None:
                better = o.u(tuple(score.dominated_by.terms.values()))
                assert dominates(better, u)
                full = o.env(completions[0])
                changed = {k for k, v in score.dominated_by.terms.items() if v != full[k]}
                assert set(score.dominated_by.changes) == changed
