"""Brute-force oracles for gaps and bridges: every subset of demands, every outcome."""

from __future__ import annotations

import itertools
import json
from typing import Any

import numpy as np

from detente.backends.base import Evaluator
from detente.scenario import Scenario
from detente.scenario.loader import loads
from detente.space.demands import Demand, demands
from detente.space.outcomes import OutcomeSpace


def load_doc(doc: dict[str, Any]) -> Scenario:
    return loads(json.dumps(doc), "random.json")


def sat_matrix(
    s: Scenario, dems: tuple[Demand, ...], unlocked: tuple[str, ...] = ()
) -> tuple[np.ndarray, np.ndarray]:
    space = OutcomeSpace(s, unlocked)
    ev = Evaluator(space, dems)
    sats, us = zip(*(ev.chunk_matrix(c) for c in space.chunks()), strict=True)
    return np.concatenate(sats), np.concatenate(us)


def satisfiable(sat: np.ndarray, subset: frozenset[int]) -> bool:
    idx = sorted(subset)
    return bool(sat[:, idx].all(axis=1).any()) if idx else len(sat) > 0


def brute_muses(sat: np.ndarray) -> set[frozenset[int]]:
    sat = np.unique(sat, axis=0)
    n = sat.shape[1]
    out = set()
    for r in range(1, n + 1):
        for c in itertools.combinations(range(n), r):
            s = frozenset(c)
            if not satisfiable(sat, s) and all(satisfiable(sat, s - {j}) for j in s):
                out.add(s)
    return out


def brute_mcses(sat: np.ndarray, dems: tuple[Demand, ...]) -> set[frozenset[int]]:
    sat = np.unique(sat, axis=0)
    n = sat.shape[1]
    everything = frozenset(range(n))
    soft = [j for j, d in enumerate(dems) if d.relaxable]
    out = set()
    for r in range(0, len(soft) + 1):
        for c in itertools.combinations(soft, r):
            cs = frozenset(c)
            if satisfiable(sat, everything - cs) and all(
                not satisfiable(sat, (everything - cs) | {j}) for j in cs
            ):
                out.add(cs)
    return out


def minimal_hitting_sets(sets: list[frozenset[int]], universe: list[int]) -> set[frozenset[int]]:
    hitting = [
        frozenset(c)
        for r in range(len(universe) + 1)
        for c in itertools.combinations(universe, r)
        if all(frozenset(c) & s for s in sets)
    ]
    return {h for h in hitting if not any(o < h for o in hitting)}


def scenario_demands(doc: dict[str, Any]) -> tuple[Scenario, tuple[Demand, ...]]:
    s = load_doc(doc)
    return s, demands(s)
