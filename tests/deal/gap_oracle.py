"""Brute-force oracle for the gap questions: every outcome, every subset of demands.

Independent of the code it checks. From the scenario *document* alone (a plain dict):

- outcomes by ``itertools.product`` of the issue values as written;
- red lines by :func:`reference_eval` on the parsed rule (the parser is shared; the
  meaning is not), options compared by declared order; each rule is evaluated once per
  combination of the names it reads;
- utilities in exact fractions from the weights and values as written (``increasing``,
  ``decreasing``, points), rescaled over the whole space; reservations as u >= r;
- the demands (keys, firmness) listed from the document in the documented order: red
  lines party by party in file order, then reservations;
- gaps (MUS) and bridges (MCS) by their definitions over every subset of demands; deals
  by the objectives of :mod:`detente.space.bargaining` in exact fractions (leximin for
  the egalitarian point, the disagreement point r_i for kept reservations, else 0);
  near misses by the weighted violation of :mod:`detente.gaps.near_miss`.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np

from detente.scenario import Scenario
from detente.scenario.expr import parse
from detente.space.demands import Demand, demands
from reference_eval import free_names, reference_eval

KINDS = ("nash", "egalitarian", "utilitarian")


def load_doc(doc: dict[str, Any]) -> Scenario:
    """The checked scenario of a generated document."""
    # from plain values: reading the JSON text as YAML took two thirds of the loading
    # time, and the loader has tests of its own
    return Scenario.from_data(json.loads(json.dumps(doc)), "random.json")


def _values(issue: Mapping[str, Any]) -> list[Any]:
    if issue["kind"] == "integer":
        lo, hi = issue["range"]
        return list(range(lo, hi + 1))
    if issue["kind"] == "boolean":
        return [False, True]
    return [o if isinstance(o, str) else o["id"] for o in issue["options"]]


def _curve(points: list[tuple[Fraction, Fraction]], x: int) -> Fraction:
    """Piecewise linear through ``points`` (increasing x), constant beyond the ends."""
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


def _value(issue: Mapping[str, Any], values: Any, x: Any) -> Fraction:
    if issue["kind"] == "integer":
        lo, hi = issue["range"]
        if values in ("increasing", "decreasing"):
            if hi == lo:
                return Fraction(1)
            up = Fraction(x - lo, hi - lo)
            return up if values == "increasing" else 1 - up
        pairs = values.items() if isinstance(values, dict) else values
        points = sorted((Fraction(int(a)), Fraction(str(b))) for a, b in pairs)
        return _curve(points, x)
    key = ("true" if x else "false") if issue["kind"] == "boolean" else x
    return Fraction(str(values.get(key, 0.0)))


def _bits(s: Iterable[int]) -> int:
    return sum(1 << j for j in s)


def _members(mask: int) -> frozenset[int]:
    return frozenset(j for j in range(mask.bit_length()) if mask >> j & 1)


# (rule, issues and their values, option order) -> (columns read, truth table over them):
# random scenarios repeat rules (hypothesis mutates earlier examples) and a table depends
# on nothing else; the tables are read-only
_RULE_TABLES: dict[tuple[Any, ...], tuple[list[int], np.ndarray]] = {}


def _rule_table(
    rule: str, ids: list[str], domains: list[list[Any]], order: dict[str, int]
) -> tuple[list[int], np.ndarray]:
    """The rule's value on every combination of the values of the issues it reads."""
    key = (rule, tuple(ids), tuple(map(tuple, domains)), tuple(sorted(order.items())))
    got = _RULE_TABLES.get(key)
    if got is None:
        ast = parse(rule)
        cols = [k for k, i in enumerate(ids) if i in free_names(ast)]
        names = [ids[k] for k in cols]
        table = np.array(
            [
                bool(reference_eval(ast, dict(zip(names, combo, strict=True)), order))
                for combo in itertools.product(*(domains[k] for k in cols))
            ],
            dtype=bool,
        ).reshape([len(domains[k]) for k in cols])
        table.setflags(write=False)
        got = _RULE_TABLES[key] = (cols, table)
    return got


def _unique_rows(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct rows in lexicographic order, each row's index among them).

    As ``np.unique(a, axis=0, return_inverse=True)``, by one integer key per row (the
    rows' mixed-radix number over the columns' spans) when it fits in 62 bits.
    """
    lo = a.min(axis=0) if len(a) else np.zeros(a.shape[1], dtype=np.int64)
    radix = [int(r) + 1 for r in (a.max(axis=0) - lo)] if len(a) else [1] * a.shape[1]
    if math.prod(radix) >= 2**62:
        distinct, inv = np.unique(a, axis=0, return_inverse=True)
        return distinct, inv.reshape(-1).astype(np.int64)
    strides = np.array([math.prod(radix[k + 1 :]) for k in range(len(radix))], dtype=np.int64)
    _, first, inv = np.unique((a - lo) @ strides, return_index=True, return_inverse=True)
    return a[first], inv.reshape(-1).astype(np.int64)


class _Vectors:
    """The distinct utility vectors as exact fractions, each built when first read."""

    def __init__(self, raws: np.ndarray, scales: list[tuple[int, int]]) -> None:
        self.raws, self.scales = raws, scales
        self.built: dict[int, tuple[Fraction, ...]] = {}

    def __len__(self) -> int:
        return len(self.raws)

    def __getitem__(self, v: int) -> tuple[Fraction, ...]:
        got = self.built.get(v)
        if got is None:
            got = self.built[v] = tuple(
                Fraction(int(r) - lo, hi - lo) if hi > lo else Fraction(0)
                for r, (lo, hi) in zip(self.raws[v], self.scales, strict=True)
            )
        return got


@dataclass(frozen=True)
class Optimum:
    """The exact optimum of one objective over the outcomes satisfying a set of demands."""

    value: Fraction
    leximin: tuple[Fraction, ...]  # sorted gains of the leximin optimum (egalitarian)
    points: frozenset[tuple[Fraction, ...]]  # optimal, undominated utility vectors
    rows: np.ndarray  # the outcomes satisfying the set
    vectors: np.ndarray  # their distinct utility vectors (ids into Oracle.vectors)


class Oracle:
    """Every outcome of a gap scenario with its demands and utilities (see module doc).

    Utilities are exact fractions; ``vid[row]`` numbers each outcome's utility vector
    among the distinct ones (``vectors``, ``vectors_f`` in floats), so questions over
    outcomes work on the few distinct vectors. Float comparisons (dominance, candidate
    optima) are safe here: the random scenarios' utilities lie on grids far coarser than
    float rounding, and every optimum is then decided in fractions.
    """

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        issues = doc["issues"]
        self.ids: list[str] = [i["id"] for i in issues]
        self.domains = [_values(i) for i in issues]
        sizes = [len(v) for v in self.domains]
        # outcome n has value domains[k][codes[n, k]], in itertools.product order
        self.codes = np.indices(sizes, dtype=np.int64).reshape(len(sizes), -1).T
        self.strides = [math.prod(sizes[k + 1 :]) for k in range(len(sizes))]
        self.position = [{v: n for n, v in enumerate(vals)} for vals in self.domains]
        pos = doc.get("positions", {})
        self.parties: list[str] = [
            p["id"] for p in doc["parties"] if p.get("role", "party") == "party" and p["id"] in pos
        ]
        rules: list[str] = []
        self.keys: list[str] = []
        self.party_of: list[str] = []
        self.firmness: list[int | str] = []
        for p in self.parties:
            for rl in pos[p].get("red_lines", []):
                self.keys.append(f"{p}/{rl['id']}")
                self.party_of.append(p)
                self.firmness.append(rl.get("firmness", 5))
                rules.append(rl["rule"])
        self.reservation: dict[str, Fraction] = {}
        for p in self.parties:
            r = pos[p].get("reservation", 0.0)
            r = r if isinstance(r, dict) else {"value": r}
            self.keys.append(f"{p}/reservation")
            self.party_of.append(p)
            self.firmness.append(r.get("firmness", 5))
            self.reservation[p] = Fraction(str(r.get("value", 0.0)))
        self.n_rules = len(rules)
        n_out = len(self.codes)
        # utilities: per-issue tables of weight x value (exact, as integers over a common
        # denominator so that sums are integer array sums), rescaled over the whole space
        raws = np.zeros((n_out, len(self.parties)), dtype=np.int64)
        scales: list[tuple[int, int]] = []
        for j, p in enumerate(self.parties):
            pr = pos[p].get("priorities", {})
            cols = [k for k, i in enumerate(issues) if i["id"] in pr]
            tables = []
            for k in cols:
                w, values = Fraction(str(pr[self.ids[k]]["weight"])), pr[self.ids[k]]["values"]
                tables.append([w * _value(issues[k], values, x) for x in self.domains[k]])
            den = math.lcm(1, *(v.denominator for t in tables for v in t))
            for k, t in zip(cols, tables, strict=True):
                ints = np.array([int(v * den) for v in t], dtype=np.int64)
                raws[:, j] += ints[self.codes[:, k]]
            scales.append((int(raws[:, j].min()), int(raws[:, j].max())))
        distinct, self.vid = _unique_rows(raws)
        self.vectors = _Vectors(distinct, scales)
        # floats of the same fractions: int64 -> float64 is exact here and one IEEE
        # division rounds correctly, as float(Fraction) does
        lo_hi = np.array(scales, dtype=np.int64).reshape(-1, 2)
        span = lo_hi[:, 1] - lo_hi[:, 0]
        self.vectors_f = np.where(
            span > 0, (distinct - lo_hi[:, 0]) / np.where(span > 0, span, 1), 0.0
        ).reshape(len(distinct), len(self.parties))
        self.uf = self.vectors_f[self.vid]
        # demand satisfaction: each rule evaluated once per combination of the values of
        # the names it reads (memoised across scenarios), then looked up by every outcome
        order = {o: k for i in issues if i["kind"] == "choice" for k, o in enumerate(_values(i))}
        sat = np.zeros((n_out, len(self.keys)), dtype=bool)
        for j, rule in enumerate(rules):
            cols, table = _rule_table(rule, self.ids, self.domains, order)
            sat[:, j] = table[tuple(self.codes[:, k] for k in cols)]
        for j, p in enumerate(self.parties):
            # u_j >= r in integers: (raw - lo) / (hi - lo) >= num / den
            r, (lo, hi) = self.reservation[p], scales[j]
            if hi > lo:
                assert (hi - lo) * max(r.denominator, abs(r.numerator)) < 2**62
                ok = (distinct[:, j] - lo) * r.denominator >= r.numerator * (hi - lo)
            else:
                ok = np.full(len(distinct), Fraction(0) >= r, dtype=bool)
            sat[:, self.n_rules + j] = ok[self.vid]
        self.sat = sat
        self.pattern = sat.astype(np.int64) @ (1 << np.arange(len(self.keys), dtype=np.int64))
        distinct_patterns, n_each = np.unique(self.pattern, return_counts=True)
        counts = dict(zip(distinct_patterns.tolist(), n_each.tolist(), strict=True))
        self.pattern_counts = counts
        self.maximal = [p for p in counts if not any(q != p and q & p == p for q in counts)]

    def u(self, row: int) -> tuple[Fraction, ...]:
        """The exact utility vector of an outcome."""
        return self.vectors[int(self.vid[row])]

    # -- demands ---------------------------------------------------------------------

    @property
    def n(self) -> int:
        return len(self.keys)

    def relaxable(self, j: int) -> bool:
        return self.firmness[j] != "absolute"

    def cost(self, js: Iterable[int]) -> int:
        return sum(int(self.firmness[j]) for j in js)

    @cached_property
    def soft(self) -> list[int]:
        return [j for j in range(self.n) if self.relaxable(j)]

    @cached_property
    def everything(self) -> frozenset[int]:
        return frozenset(range(self.n))

    # -- outcomes --------------------------------------------------------------------

    def row(self, terms: Mapping[str, Any]) -> int:
        """The outcome with these terms (every issue given)."""
        return sum(self.position[k][terms[i]] * self.strides[k] for k, i in enumerate(self.ids))

    def satisfied(self, row: int) -> frozenset[int]:
        return _members(int(self.pattern[row]))

    def rows(self, keep: Iterable[int]) -> np.ndarray:
        m = _bits(keep)
        return np.flatnonzero(self.pattern & m == m)

    def satisfiable(self, keep: Iterable[int]) -> bool:
        m = _bits(keep)
        return any(p & m == m for p in self.maximal)

    def count(self, keep: Iterable[int]) -> int:
        m = _bits(keep)
        return sum(c for p, c in self.pattern_counts.items() if p & m == m)

    # -- gaps and bridges, by definition ---------------------------------------------

    @cached_property
    def muses(self) -> set[frozenset[int]]:
        """Minimal unsatisfiable subsets: unsatisfiable, and satisfiable without any one."""
        # every subset at once, as bit masks: satisfiable iff inside a maximal pattern
        masks = np.arange(1 << self.n, dtype=np.int64)
        maximal = np.array(self.maximal, dtype=np.int64)
        sat = ((masks[:, None] & maximal[None, :]) == masks[:, None]).any(axis=1)
        mus = ~sat
        for j in range(self.n):
            has = (masks >> j & 1).astype(bool)
            mus &= ~has | sat[masks & ~(1 << j)]
        return {_members(int(m)) for m in masks[mus]}

    @cached_property
    def mcses(self) -> set[frozenset[int]]:
        """Minimal sets of relaxable demands whose removal leaves a satisfiable rest."""
        out: set[frozenset[int]] = set()
        soft = self.soft
        for r in range(len(soft) + 1):
            for c in itertools.combinations(soft, r):
                cs = frozenset(c)
                if self.satisfiable(self.everything - cs) and not any(o < cs for o in out):
                    out.add(cs)
        return out

    # -- deals -----------------------------------------------------------------------

    def disagreement(self, keep: Iterable[int]) -> tuple[Fraction, ...]:
        """d_i = r_i when party i's reservation is kept, else 0."""
        kept = {self.party_of[j] for j in keep if j >= self.n_rules}
        return tuple(self.reservation[p] if p in kept else Fraction(0) for p in self.parties)

    @staticmethod
    def objective(kind: str, u: tuple[Fraction, ...], d: tuple[Fraction, ...]) -> Fraction:
        """Nash: prod max(u_i - d_i, 0); egalitarian: min (u_i - d_i); utilitarian: sum u_i."""
        gains = [a - b for a, b in zip(u, d, strict=True)]
        if kind == "utilitarian":
            return sum(u, Fraction(0))
        if kind == "nash":
            out = Fraction(1)
            for g in gains:
                out *= max(g, Fraction(0))
            return out
        return min(gains) if gains else Fraction(0)

    def optimum(self, keep: frozenset[int], kind: str) -> Optimum | None:
        """The optimum of ``kind`` over the outcomes satisfying ``keep`` (None if none)."""
        rows = self.rows(keep)
        if not len(rows):
            return None
        d = self.disagreement(keep)
        vids = np.unique(self.vid[rows])
        U = self.vectors_f[vids]
        gains = U - np.array([float(x) for x in d])
        rough = (
            U.sum(axis=1)
            if kind == "utilitarian"
            else np.prod(np.maximum(gains, 0.0), axis=1)
            if kind == "nash"
            else gains.min(axis=1)
        )
        cand = [self.vectors[int(v)] for v in vids[rough >= rough.max() - 1e-9]]
        exact = [self.objective(kind, v, d) for v in cand]
        best = max(exact)
        tied = [v for v, x in zip(cand, exact, strict=True) if x == best]
        lexi: tuple[Fraction, ...] = ()
        if kind == "egalitarian":

            def sorted_gains(v: tuple[Fraction, ...]) -> tuple[Fraction, ...]:
                return tuple(sorted(a - b for a, b in zip(v, d, strict=True)))

            lexi = max(sorted_gains(v) for v in tied)
            tied = [v for v in tied if sorted_gains(v) == lexi]
        points = frozenset(v for v in tied if not self.dominated(v, U))
        return Optimum(best, lexi, points, rows, vids)

    @staticmethod
    def dominated(v: tuple[Fraction, ...], among: np.ndarray, tol: float = 1e-12) -> bool:
        """Whether some row of ``among`` (floats) is >= v everywhere and > v somewhere."""
        f = np.array([float(x) for x in v])
        return bool(((among >= f - tol).all(axis=1) & (among > f + tol).any(axis=1)).any())

    # -- near misses -----------------------------------------------------------------

    def score(self, row: int) -> Fraction:
        """Weighted violation: firmness of violated red lines + firmness x shortfall."""
        return self._score(int(self.pattern[row]), self.u(row))

    def _score(self, pattern: int, u: tuple[Fraction, ...]) -> Fraction:
        out = Fraction(0)
        for j in range(self.n):
            if pattern >> j & 1:
                continue
            if j < self.n_rules:
                out += int(self.firmness[j])
            else:
                p = self.party_of[j]
                out += int(self.firmness[j]) * (self.reservation[p] - u[self.parties.index(p)])
        return out

    @cached_property
    def near_miss_sets(self) -> dict[frozenset[int], Fraction]:
        """Violated set -> its best score, over outcomes violating only relaxable demands."""
        best: dict[frozenset[int], Fraction] = {}
        hard = _bits(j for j in range(self.n) if not self.relaxable(j))
        full = _bits(range(self.n))
        nv = len(self.vectors)
        assert (1 << self.n) * nv < 2**62
        pairs = np.unique(self.pattern * nv + self.vid)  # distinct (pattern, vector)
        pats, vids = pairs // nv, pairs % nv
        ok = (pats != full) & (pats & hard == hard)
        pats, vids = pats[ok], vids[ok]
        # float scores shortlist each violated set's best outcomes; fractions decide
        rough = np.zeros(len(pats))
        for j in self.soft:  # hard demands hold in every pattern kept
            off = (pats >> j & 1) == 0
            if j < self.n_rules:
                rough += off * int(self.firmness[j])
            else:
                r = float(self.reservation[self.party_of[j]])
                col = self.parties.index(self.party_of[j])
                rough += off * int(self.firmness[j]) * (r - self.vectors_f[vids, col])
        groups, at = np.unique(pats, return_inverse=True)
        low = np.full(len(groups), np.inf)
        np.minimum.at(low, at, rough)
        near = rough <= low[at] + 1e-9
        for pattern, v in zip(pats[near].tolist(), vids[near].tolist(), strict=True):
            violated = self.everything - _members(pattern)
            s = self._score(pattern, self.vectors[v])
            if violated not in best or s < best[violated]:
                best[violated] = s
        return best


def dominates(a: tuple[Fraction, ...], b: tuple[Fraction, ...]) -> bool:
    return all(x >= y for x, y in zip(a, b, strict=True)) and a != b


def minimal_hitting_sets(sets: list[frozenset[int]], universe: list[int]) -> set[frozenset[int]]:
    """Minimal subsets of ``universe`` meeting every set of ``sets`` (by enumeration)."""
    hitting = [
        frozenset(c)
        for r in range(len(universe) + 1)
        for c in itertools.combinations(universe, r)
        if all(frozenset(c) & s for s in sets)
    ]
    return {h for h in hitting if not any(o < h for o in hitting)}


def scenario_demands(doc: dict[str, Any]) -> tuple[Scenario, tuple[Demand, ...]]:
    """The checked scenario of a document and its demands (as detente lists them)."""
    s = load_doc(doc)
    return s, demands(s)
