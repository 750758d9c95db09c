"""Brute-force oracles for gaps and bridges: every subset of demands, every outcome."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction
from typing import Any

import numpy as np

from detente.scenario import Scenario
from detente.scenario.expr import parse
from detente.scenario.loader import loads
from detente.space.demands import Demand, demands
from reference_eval import reference_eval


def load_doc(doc: dict[str, Any]) -> Scenario:
    return loads(json.dumps(doc), "random.json")


def _values(issue: dict[str, Any]) -> list[Any]:
    if issue["kind"] == "integer":
        lo, hi = issue["range"]
        return list(range(lo, hi + 1))
    if issue["kind"] == "boolean":
        return [False, True]
    return [o if isinstance(o, str) else o["id"] for o in issue["options"]]


def _value(issue: dict[str, Any], values: Any, x: Any) -> Fraction:
    if issue["kind"] == "integer":
        lo, hi = issue["range"]
        if hi == lo:
            return Fraction(1)
        return Fraction(x - lo, hi - lo) if values == "increasing" else Fraction(hi - x, hi - lo)
    key = ("true" if x else "false") if issue["kind"] == "boolean" else x
    return Fraction(str(values.get(key, 0.0)))


def sat_matrix(doc: dict[str, Any], dems: tuple[Demand, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(satisfied (n, D), utilities (n, k)) of every outcome, from the document alone.

    Independent of the code under test: outcomes by itertools.product of the issue
    values, red lines by the reference evaluator on the parsed rule (options compared
    by declared order), utilities in exact fractions from the weights and values as
    written (rescaled over the whole space), reservations as u >= r in fractions. Only
    the demands' keys and order are taken from ``dems``.
    """
    issues = doc["issues"]
    ids = [i["id"] for i in issues]
    order = {o: k for i in issues if i["kind"] == "choice" for k, o in enumerate(_values(i))}
    outcomes = list(itertools.product(*(_values(i) for i in issues)))
    parties = [
        p["id"]
        for p in doc["parties"]
        if p.get("role", "party") == "party" and p["id"] in doc["positions"]
    ]

    def raw(p: str, o: tuple[Any, ...]) -> Fraction:
        pr = doc["positions"][p].get("priorities", {})
        return sum(
            (Fraction(str(pr[i["id"]]["weight"])) * _value(i, pr[i["id"]]["values"], x)
             for i, x in zip(issues, o, strict=True) if i["id"] in pr),
            Fraction(0),
        )  # fmt: skip

    raws = [[raw(p, o) for p in parties] for o in outcomes]
    lo = [min(r[j] for r in raws) for j in range(len(parties))]
    hi = [max(r[j] for r in raws) for j in range(len(parties))]
    u = [
        [
            (r[j] - lo[j]) / (hi[j] - lo[j]) if hi[j] > lo[j] else Fraction(0)
            for j in range(len(parties))
        ]
        for r in raws
    ]
    rules = {}
    for p in parties:
        for rl in doc["positions"][p].get("red_lines", []):
            rules[f"{p}/{rl['id']}"] = parse(rl["rule"])
    res = {}
    for p in parties:
        r = doc["positions"][p].get("reservation", 0.0)
        res[f"{p}/reservation"] = Fraction(str(r["value"] if isinstance(r, dict) else r))
    sat = np.zeros((len(outcomes), len(dems)), dtype=bool)
    for n, o in enumerate(outcomes):
        env = dict(zip(ids, o, strict=True))
        for j, d in enumerate(dems):
            if d.key in rules:
                sat[n, j] = bool(reference_eval(rules[d.key], env, order))
            else:
                sat[n, j] = u[n][parties.index(d.party)] >= res[d.key]
    return sat, np.array(u, dtype=np.float64).reshape(len(outcomes), len(parties))


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
