"""Brute-force, pure-Python meaning of the deal definitions (DESIGN.md, "Deal model").

Exact rational arithmetic (fractions.Fraction) over itertools.product of the issue
values; red lines come from the structured conditions of
``tests.strategies.deal_scenario_documents``. No detente code is used here.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

Outcome = tuple[Any, ...]
Vec = tuple[Fraction, ...]


def _values(issue: dict[str, Any]) -> list[Any]:
    if issue["kind"] == "integer":
        lo, hi = issue["range"]
        return list(range(lo, hi + 1))
    if issue["kind"] == "boolean":
        return [False, True]
    return list(issue["options"])


def _issue_value(issue: dict[str, Any], values: Any, x: Any) -> Fraction:
    if issue["kind"] == "integer":
        lo, hi = issue["range"]
        if hi == lo:
            return Fraction(1)
        if values == "increasing":
            return Fraction(x - lo, hi - lo)
        return Fraction(hi - x, hi - lo)
    if issue["kind"] == "boolean":
        return Fraction(str(values.get("true" if x else "false", 0.0)))
    return Fraction(str(values.get(x, 0.0)))


def holds(c: Sequence[Any], env: dict[str, Any]) -> bool:
    """Truth of a structured condition at one outcome."""
    if c[0] == "or":
        return holds(c[1], env) or holds(c[2], env)
    if c[0] == "and":
        return holds(c[1], env) and holds(c[2], env)
    if c[0] == "implies":
        return (not holds(c[1], env)) or holds(c[2], env)
    op, iid, v = c
    x = env[iid]
    return {
        "==": x == v,
        "!=": x != v,
        ">=": x >= v,
        "<=": x <= v,
    }[op]


@dataclass
class Oracle:
    doc: dict[str, Any]
    conditions: dict[str, list[Any]]

    def __post_init__(self) -> None:
        self.issues = self.doc["issues"]
        self.ids = [i["id"] for i in self.issues]
        self.parties = [p["id"] for p in self.doc["parties"]]
        self.outcomes: list[Outcome] = list(itertools.product(*(_values(i) for i in self.issues)))
        self._raw = {o: tuple(self.raw(p, o) for p in self.parties) for o in self.outcomes}
        self.worst = [min(self._raw[o][j] for o in self.outcomes) for j in range(len(self.parties))]
        self.best = [max(self._raw[o][j] for o in self.outcomes) for j in range(len(self.parties))]
        self.res = [Fraction(str(self.doc["positions"][p]["reservation"])) for p in self.parties]
        self._u: dict[Outcome, Vec] = {}

    def raw(self, p: str, o: Outcome) -> Fraction:
        pr = self.doc["positions"][p]["priorities"]
        total = Fraction(0)
        for issue, x in zip(self.issues, o, strict=True):
            if issue["id"] in pr:
                w = Fraction(pr[issue["id"]]["weight"])
                total += w * _issue_value(issue, pr[issue["id"]]["values"], x)
        return total

    def u(self, o: Outcome) -> Vec:
        if o not in self._u:  # memoised: the tests ask for the same outcome many times
            out = []
            for j in range(len(self.parties)):
                span = self.best[j] - self.worst[j]
                out.append((self._raw[o][j] - self.worst[j]) / span if span > 0 else Fraction(0))
            self._u[o] = tuple(out)
        return self._u[o]

    def env(self, o: Outcome) -> dict[str, Any]:
        return dict(zip(self.ids, o, strict=True))

    def broken(self, p: str, o: Outcome) -> list[str]:
        e = self.env(o)
        return [f"r{j}" for j, c in enumerate(self.conditions[p]) if not holds(c, e)]

    def acceptable(self, j: int, o: Outcome) -> bool:
        p = self.parties[j]
        return not self.broken(p, o) and self.u(o)[j] >= self.res[j]

    def zopa(self) -> list[Outcome]:
        return [
            o for o in self.outcomes if all(self.acceptable(j, o) for j in range(len(self.parties)))
        ]


def dominates(a: Vec, b: Vec) -> bool:
    return all(x >= y for x, y in zip(a, b, strict=True)) and any(
        x > y for x, y in zip(a, b, strict=True)
    )


def frontier(vectors: Sequence[Vec]) -> dict[Vec, int]:
    """Undominated distinct vectors -> how many of ``vectors`` equal each."""
    distinct = set(vectors)
    front = {v for v in distinct if not any(dominates(w, v) for w in distinct)}
    return {v: sum(1 for w in vectors if w == v) for v in front}


def solutions(
    vectors: Sequence[Vec], res: Sequence[Fraction]
) -> dict[str, tuple[Fraction, set[Vec]]]:
    """Optimum value and optimal vectors (those no other optimum dominates) per solution."""
    distinct = set(vectors)
    if not distinct:
        return {}
    k = len(res)
    ideal = [max(v[j] for v in distinct) for j in range(k)]

    def prod(v: Vec) -> Fraction:
        out = Fraction(1)
        for j in range(k):
            out *= v[j] - res[j]
        return out

    def ratios(v: Vec) -> list[Fraction]:
        return [
            (v[j] - res[j]) / (ideal[j] - res[j]) if ideal[j] > res[j] else Fraction(1)
            for j in range(k)
        ]

    def ks(v: Vec) -> Fraction:
        return min(ratios(v))

    def gains(v: Vec) -> list[Fraction]:
        return [v[j] - res[j] for j in range(k)]

    # egalitarian and Kalai-Smorodinsky are leximin: ties in the minimum are broken by
    # the next smallest value, and so on (Sen 1970)
    leximin = {"egalitarian": gains, "kalai_smorodinsky": ratios}

    objectives = {
        "nash": prod,
        "kalai_smorodinsky": ks,
        "egalitarian": lambda v: min(v[j] - res[j] for j in range(k)),
        "utilitarian": lambda v: sum(v, Fraction(0)),
    }
    out = {}
    for name, f in objectives.items():
        best = max(f(v) for v in distinct)
        opt = {v for v in distinct if f(v) == best}
        if name in leximin:
            lex = max(sorted(leximin[name](v)) for v in opt)
            opt = {v for v in opt if sorted(leximin[name](v)) == lex}
        opt = {v for v in opt if not any(dominates(w, v) for w in opt)}
        out[name] = (best, opt)
    return out
