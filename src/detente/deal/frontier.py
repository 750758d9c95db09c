"""The Pareto frontier: outcomes no other outcome Pareto-dominates.

Definition (DESIGN.md, "Deal model"): x Pareto-dominates y when u_i(x) >= u_i(y) for
every party i and u_i(x) > u_i(y) for some i; the frontier is the set of undominated
outcomes. Outcomes with equal utility vectors stand or fall together, so the frontier
is computed on *distinct* utility vectors and each frontier point reports how many
outcomes reach it and which (up to a limit): ties are information, never dropped.

Algorithms (exact, vectorised with numpy, no Python loop per outcome):

- two parties: sort by u_1 descending then u_2 descending; a point is undominated iff
  its u_2 beats every earlier u_2 (Kung, Luccio & Preparata 1975, the 2-d maxima case);
- three parties: the same sort, then "is there an earlier point with u_2 and u_3 at
  least as large?" answered by divide and conquer over the sorted order (Kung et al.
  1975; Bentley 1980, "Multidimensional divide-and-conquer"), each level vectorised
  with integer ranks, prefix maxima and binary search: O(n log^2 n);
- four or more parties: sort by the sum of utilities (Chomicki et al. 2003,
  "Skyline with presorting") and a block-nested-loop (Börzsönyi, Kossmann & Stocker
  2001) whose blocks are compared with the running skyline as whole numpy arrays.

All three start with an elimination filter (points dominated by a few strong pivots).
:class:`FrontierBuilder` streams chunks: it keeps only each chunk's undominated
candidates merged with the running frontier, so memory is bounded by the chunk size
plus the frontier size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

__all__ = [
    "FrontierPoints",
    "FrontierBuilder",
    "pareto_mask",
    "skyline_distinct",
    "dominated_by_any",
    "eliminate",
    "pivots",
    "group_rows",
    "DEFAULT_TIE_LIMIT",
]

DEFAULT_TIE_LIMIT = 10

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Decoder = Callable[[IntArray], IntArray]

_BLOCK = 1024  # rows per block in the block-nested loop
_PAIR_BUDGET = 1 << 22  # elements in one (rows x skyline) comparison


@dataclass(frozen=True)
class FrontierPoints:
    """Distinct undominated utility vectors and the outcomes that reach them.

    Attributes
    ----------
    utilities:
        (m, k) canonical utilities, one row per distinct vector, sorted
        lexicographically descending (best for the first party first).
    codes:
        (m, n_issues) issue codes of a representative outcome per row (the one with the
        lowest outcome index in the enumeration path).
    counts:
        how many outcomes share each row's utility vector (exact Python ints).
    ties:
        per row, the codes (t_j, n_issues) of up to ``tie_limit`` outcomes sharing the
        vector, the representative first.
    method:
        how the points were computed (``"enumeration"``, ``"additive-merge"``, ...).
    exact:
        True when the points are exactly the frontier.
    """

    utilities: FloatArray
    codes: IntArray
    counts: tuple[int, ...]
    ties: tuple[IntArray, ...]
    method: str = "enumeration"
    exact: bool = True
    tie_limit: int = DEFAULT_TIE_LIMIT

    def __len__(self) -> int:
        return int(self.utilities.shape[0])

    @property
    def n_outcomes(self) -> int:
        """Outcomes on the frontier, ties included."""
        return sum(self.counts)

    @staticmethod
    def empty(k: int, n_issues: int, method: str = "enumeration") -> FrontierPoints:
        return FrontierPoints(
            np.zeros((0, k)), np.zeros((0, n_issues), dtype=np.int64), (), (), method
        )


def dominated_by_any(points: FloatArray, by: FloatArray) -> BoolArray:
    """True for each row of ``points`` that some row of ``by`` Pareto-dominates.

    Few dominators are tested one at a time, column by column; many are compared in
    blocks so that memory stays near ``_PAIR_BUDGET`` elements.
    """
    n, k = points.shape
    out = np.zeros(n, dtype=np.bool_)
    if n == 0 or len(by) == 0:
        return out
    if len(by) <= 64:
        cols = [np.ascontiguousarray(points[:, j]) for j in range(k)]
        for q in by:
            ge = cols[0] <= q[0]
            eq = cols[0] == q[0]
            for j in range(1, k):
                ge &= cols[j] <= q[j]
                eq &= cols[j] == q[j]
            out |= ge & ~eq
        return out
    step = max(1, _PAIR_BUDGET // max(1, len(by) * max(k, 1)))
    for s in range(0, n, step):
        p = points[s : s + step, None, :]
        ge = np.all(by[None, :, :] >= p, axis=2)
        gt = np.any(by[None, :, :] > p, axis=2)
        out[s : s + step] = np.any(ge & gt, axis=1)
    return out


def pivots(v: FloatArray, n_sum: int = 16) -> FloatArray:
    """A few strong rows of ``v``: best sums, best per party, best minimum."""
    if len(v) <= n_sum:
        return v
    # column by column: numpy reduces a short inner axis (k = 2, 3) slowly
    cols = [v[:, j] for j in range(v.shape[1])]
    sums = cols[0].copy()
    for c in cols[1:]:
        sums += c
    pick = list(np.argpartition(-sums, n_sum - 1)[:n_sum])
    for c in cols:
        best = np.flatnonzero(c == c.max())
        pick.append(int(best[np.argmax(sums[best])]))
    pick.append(int(np.argmax(np.minimum.reduce(cols))))
    return v[np.unique(np.array(pick, dtype=np.int64))]


def _grid_dominated(v: FloatArray) -> BoolArray:
    """Rows dominated by a row lying in a grid cell strictly above in every axis.

    The first k-1 utilities are binned on a grid of about 2^16 cells; each cell keeps
    the best last utility, and suffix maxima give, per cell, the best last utility
    among cells strictly greater on every binned axis. A row whose last utility is
    at most that is strictly dominated (an elimination filter; never a false positive).
    """
    k = v.shape[1]
    g = max(2, round(65536 ** (1.0 / (k - 1))))
    flat = np.zeros(len(v), dtype=np.int64)
    for j in range(k - 1):  # column by column: reducing a short inner axis is slow
        c = v[:, j]
        lo = c.min()
        span = c.max() - lo
        b = (((c - lo) / (span if span != 0 else 1.0)) * g).astype(np.int64)
        np.minimum(b, g - 1, out=b)
        flat *= g
        flat += b
    best = np.full(g ** (k - 1), -np.inf)
    np.maximum.at(best, flat, v[:, k - 1])
    grid = best.reshape((g,) * (k - 1))
    for ax in range(k - 1):
        grid = np.flip(np.maximum.accumulate(np.flip(grid, ax), axis=ax), ax)
    above = np.full((g + 1,) * (k - 1), -np.inf)
    above[(slice(0, g),) * (k - 1)] = grid
    above = above[(slice(1, g + 1),) * (k - 1)]
    hit: BoolArray = above.reshape(-1)[flat] >= v[:, k - 1]
    return hit


def eliminate(v: FloatArray, extra: FloatArray | None = None) -> BoolArray:
    """Rows of ``v`` certainly dominated (by rows of ``v`` or of ``extra``).

    Cheap filters only (grid and pivots); what survives still needs an exact skyline.
    """
    n, k = v.shape
    out = np.zeros(n, dtype=np.bool_)
    if n < 64 or k < 2:
        return out
    out |= _grid_dominated(v)
    rest = np.flatnonzero(~out)
    sub = v[rest]
    piv = pivots(sub)  # the grid keeps every undominated row, the strongest among them
    if extra is not None and len(extra):
        piv = np.concatenate([piv, pivots(extra)])
    out[rest] = dominated_by_any(sub, piv)
    return out


def _lex_desc(v: FloatArray) -> IntArray:
    """Row order sorting ``v`` lexicographically descending (column 0 first)."""
    return np.lexsort(tuple(-v[:, j] for j in range(v.shape[1] - 1, -1, -1)))


def _dense_rank(x: FloatArray) -> IntArray:
    return np.unique(x, return_inverse=True)[1].astype(np.int64).reshape(-1)


def _skyline_2(v: FloatArray) -> BoolArray:
    order = _lex_desc(v)
    u2 = v[order, 1]
    best_before = np.concatenate(([-np.inf], np.maximum.accumulate(u2)[:-1]))
    mask = np.zeros(len(v), dtype=np.bool_)
    mask[order] = u2 > best_before
    return mask


def _skyline_3(v: FloatArray) -> BoolArray:
    """Divide and conquer over lexicographic order, vectorised level by level."""
    order = _lex_desc(v)
    n = len(order)
    r1 = _dense_rank(v[order, 1])
    r2 = _dense_rank(v[order, 2])
    m1 = int(r1.max()) + 1
    m2 = int(r2.max()) + 1
    dominated = np.zeros(n, dtype=np.bool_)
    idx = np.arange(n, dtype=np.int64)
    w = 1
    while w < n:
        seg = idx // (2 * w)
        right = (idx % (2 * w)) >= w
        left = ~right
        seg_l = seg[left]
        key_l = seg_l * m1 + (m1 - 1 - r1[left])
        o = np.argsort(key_l, kind="stable")
        key_l = key_l[o]
        seg_l = seg_l[o]
        prefmax = np.maximum.accumulate(seg_l * m2 + r2[left][o]) - seg_l * m2
        seg_r = seg[right]
        pos = np.searchsorted(key_l, seg_r * m1 + (m1 - 1 - r1[right]), side="right") - 1
        ok = pos >= 0
        posc = np.where(ok, pos, 0)
        ok &= seg_l[posc] == seg_r
        ok &= prefmax[posc] >= r2[right]
        dominated[right] |= ok
        w *= 2
    mask = np.zeros(n, dtype=np.bool_)
    mask[order] = ~dominated
    return mask


def _skyline_bnl(v: FloatArray) -> BoolArray:
    """Presorted block-nested loop; only earlier rows (higher sum) can dominate."""
    sums = v.sum(axis=1)
    keys = (*(-v[:, j] for j in range(v.shape[1] - 1, -1, -1)), -sums)
    order = np.lexsort(keys)
    sv = v[order]
    keep = np.zeros(len(v), dtype=np.bool_)
    sky = np.zeros((0, v.shape[1]))
    for s in range(0, len(sv), _BLOCK):
        block = sv[s : s + _BLOCK]
        alive = ~dominated_by_any(block, sky)
        cand = block[alive]
        inner = ~dominated_by_any(cand, cand)
        idx = np.flatnonzero(alive)[inner]
        keep[s + idx] = True
        sky = np.concatenate([sky, cand[inner]])
    mask = np.zeros(len(v), dtype=np.bool_)
    mask[order] = keep
    return mask


def skyline_distinct(v: FloatArray) -> BoolArray:
    """Mask of undominated rows of ``v``, whose rows must be pairwise distinct."""
    n, k = v.shape
    if n <= 1 or k == 0:
        return np.ones(n, dtype=np.bool_)
    if k == 1:
        only: BoolArray = v[:, 0] == v[:, 0].max()
        return only
    idx = np.flatnonzero(~eliminate(v))
    sub = v[idx]
    if k == 2:
        m = _skyline_2(sub)
    elif k == 3:
        m = _skyline_3(sub)
    else:
        m = _skyline_bnl(sub)
    out = np.zeros(n, dtype=np.bool_)
    out[idx[m]] = True
    return out


def group_rows(v: FloatArray) -> tuple[IntArray, IntArray, IntArray]:
    """(stable lexicographic order, group start positions in it, group id per row)."""
    n, k = v.shape
    order = _lex_desc(v) if k else np.arange(n, dtype=np.int64)
    sv = v[order]
    new = np.ones(n, dtype=np.bool_)
    if n > 1:
        new[1:] = np.any(sv[1:] != sv[:-1], axis=1) if k else False
    starts = np.flatnonzero(new)
    gid_sorted = np.cumsum(new) - 1
    gid = np.empty(n, dtype=np.int64)
    gid[order] = gid_sorted
    return order, starts, gid


def pareto_mask(u: FloatArray) -> BoolArray:
    """True for each row of ``u`` (duplicates allowed) that no row Pareto-dominates."""
    u = np.asarray(u, dtype=np.float64)
    if len(u) == 0:
        return np.zeros(0, dtype=np.bool_)
    out = np.zeros(len(u), dtype=np.bool_)
    alive = np.flatnonzero(~eliminate(u))
    order, starts, gid = group_rows(u[alive])
    distinct = u[alive][order[starts]]
    out[alive] = skyline_distinct(distinct)[gid]
    return out


@dataclass
class FrontierBuilder:
    """Streaming exact frontier: feed chunks in outcome order, then call :meth:`result`.

    The state is the frontier of everything fed so far, as distinct vectors with
    counts and up to ``tie_limit`` outcomes each (the earliest fed first), so feeding
    all rows at once or chunk by chunk gives identical results.
    """

    k: int
    n_issues: int
    tie_limit: int = DEFAULT_TIE_LIMIT
    method: str = "enumeration"
    _vec: FloatArray = field(init=False)
    _count: IntArray = field(init=False)
    _tie_codes: IntArray = field(init=False)
    _tie_gid: IntArray = field(init=False)

    def __post_init__(self) -> None:
        self._vec = np.zeros((0, self.k))
        self._count = np.zeros(0, dtype=np.int64)
        self._tie_codes = np.zeros((0, self.n_issues), dtype=np.int64)
        self._tie_gid = np.zeros(0, dtype=np.int64)

    def add(self, u: FloatArray, codes: IntArray | Decoder) -> None:
        """Feed rows: canonical utilities (n, k) and their issue codes (n, n_issues).

        ``codes`` may instead be a function from row numbers (ascending) to their codes,
        called only for the few rows that reach the frontier of the rows fed so far,
        so that a caller need not decode every outcome.
        """
        if len(u) == 0:
            return
        alive = np.flatnonzero(~eliminate(u, self._vec))  # cheap, before any sorting
        u = u[alive]
        order, starts, gid = group_rows(u)
        distinct = u[order[starts]]
        counts = np.diff(np.append(starts, len(u))).astype(np.int64)
        keep = skyline_distinct(distinct)
        new_id = np.cumsum(keep) - 1
        rows = np.flatnonzero(keep[gid])  # ascending: the earliest rows first
        tg = new_id[gid[rows]]
        o = np.argsort(tg, kind="stable")
        tg, rows = tg[o], rows[o]
        first = np.searchsorted(tg, tg, side="left")
        cap = (np.arange(len(tg)) - first) < self.tie_limit
        tg, rows = tg[cap], rows[cap]
        picked = np.sort(alive[rows])
        decoded = codes(picked) if callable(codes) else codes[picked]
        tcodes = decoded[np.searchsorted(picked, alive[rows])]
        self._vec, self._count, self._tie_codes, self._tie_gid = self._reduce(
            np.concatenate([self._vec, distinct[keep]]),
            np.concatenate([self._count, counts[keep]]),
            np.concatenate([self._tie_codes, tcodes.reshape(-1, self.n_issues)]),
            np.concatenate([self._tie_gid, tg + len(self._vec)]),
        )

    def copy(self) -> FrontierBuilder:
        """An independent builder in the same state (the state's arrays are never mutated)."""
        twin = FrontierBuilder(self.k, self.n_issues, self.tie_limit, self.method)
        twin._vec, twin._count = self._vec, self._count
        twin._tie_codes, twin._tie_gid = self._tie_codes, self._tie_gid
        return twin

    def _reduce(
        self, u: FloatArray, cnt: IntArray, tcodes: IntArray, tgid: IntArray | None
    ) -> tuple[FloatArray, IntArray, IntArray, IntArray]:
        """Group equal vectors, keep undominated groups, cap ties per group."""
        if len(u) == 0:
            return u, cnt, tcodes, np.zeros(0, dtype=np.int64)
        order, starts, gid = group_rows(u)
        distinct = u[order[starts]]
        counts = np.add.reduceat(cnt[order], starts)
        keep = skyline_distinct(distinct)
        new_id = np.cumsum(keep) - 1
        row_gid = gid if tgid is None else gid[tgid]
        tie_keep = keep[row_gid]
        tg = new_id[row_gid[tie_keep]]
        tc = tcodes[tie_keep]
        o = np.argsort(tg, kind="stable")  # earliest rows first within a group
        tg, tc = tg[o], tc[o]
        first = np.searchsorted(tg, tg, side="left")
        cap = (np.arange(len(tg)) - first) < self.tie_limit
        return distinct[keep], counts[keep], tc[cap], tg[cap]

    def result(self) -> FrontierPoints:
        """The frontier of everything fed so far."""
        if len(self._vec) == 0:
            return FrontierPoints.empty(self.k, self.n_issues, self.method)
        order = _lex_desc(self._vec)
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        tg = rank[self._tie_gid]
        o = np.argsort(tg, kind="stable")
        tg, tc = tg[o], self._tie_codes[o]
        bounds = np.searchsorted(tg, np.arange(len(order) + 1))
        ties = tuple(tc[bounds[j] : bounds[j + 1]] for j in range(len(order)))
        return FrontierPoints(
            utilities=self._vec[order],
            codes=np.stack([t[0] for t in ties]) if ties else tc[:0],
            counts=tuple(int(c) for c in self._count[order]),
            ties=ties,
            method=self.method,
            tie_limit=self.tie_limit,
        )
