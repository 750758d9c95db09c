"""The dominance kernel: Pareto dominance, skylines and dominance queries, vectorised.

Definition (DESIGN.md, "Deal model"): x Pareto-dominates y when u_i(x) >= u_i(y) for
every party i and u_i(x) > u_i(y) for some i. Every analysis that asks which utility
vectors are undominated (frontiers, the merge path, bargaining ties, simulations) uses
the functions here, so there is one implementation of each idea:

- :func:`group_rows`: equal rows grouped (stable, lexicographically descending);
- :func:`skyline_distinct`: undominated rows of distinct vectors: a sort for two
  parties (Kung, Luccio & Preparata 1975), :func:`earlier_covers` for three (Bentley
  1980's multidimensional divide and conquer), a presorted block-nested loop for four
  or more (Borzsonyi, Kossmann & Stocker 2001; Chomicki et al. 2003);
- :func:`covered`: which queries some data row weakly dominates in every coordinate,
  and :func:`robustly_dominated`: which rows some row dominates by a margin;
- elimination filters (:func:`eliminate`, :func:`pivots`) that discard certainly
  dominated rows before any exact skyline.

No Python loop per row; the only loops are over blocks, levels or a few pivots.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = [
    "covered",
    "dense_rank",
    "dominated_by_any",
    "earlier_covers",
    "eliminate",
    "group_rows",
    "lex_desc",
    "pareto_mask",
    "pivots",
    "robustly_dominated",
    "skyline_distinct",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_BLOCK = 1024  # rows per block in the block-nested loop
_PAIR_BUDGET = 1 << 22  # elements in one (rows x skyline) comparison
_N_PIVOTS = 16


_PACK_MIN = 256  # rows from which packed keys beat np.lexsort


def _ranks(c: FloatArray | IntArray) -> tuple[IntArray, int]:
    """Dense ranks of ``c``, ascending (equal values share one), and how many there are."""
    o = np.argsort(c)  # unstable is enough: ranks depend on the values only
    sc = c[o]
    new = np.empty(len(c), dtype=np.bool_)
    new[0] = True
    np.not_equal(sc[1:], sc[:-1], out=new[1:])
    r = np.cumsum(new, dtype=np.int64)
    rank = np.empty(len(c), dtype=np.int64)
    rank[o] = r
    rank -= 1
    return rank, int(r[-1])


def _packed_order(v: FloatArray) -> tuple[IntArray, IntArray] | None:
    """(stable lexicographic descending order, each sorted row's key) by one integer sort.

    Each row's dense ranks (best first) are folded into one integer key (re-ranked when
    the next column would overflow it), the row number below it, and one sort of these
    integers (much faster than ``np.lexsort`` on float columns) yields the order
    ``np.lexsort`` would: equal keys exactly for equal rows (-0.0 == 0.0), ties in row
    order. None for few rows, when the keys cannot fit in 63 bits, or when ``v`` holds
    NaN (NaN ranks would not be ordered as ``np.lexsort`` orders them).
    """
    n, k = v.shape
    if n < _PACK_MIN or k == 0 or np.isnan(v).any():
        return None
    shift = n.bit_length()
    room = 1 << (62 - shift)  # keys must stay below this
    key = np.zeros(n, dtype=np.int64)
    width = 1
    for j in range(k):
        rank, n_ranks = _ranks(np.ascontiguousarray(v[:, j]))
        if width * n_ranks >= room:
            key, width = _ranks(key)  # the same order in fewer values
            if width * n_ranks >= room:
                return None
        key *= n_ranks
        key += n_ranks - 1 - rank  # best first
        width *= n_ranks
    packed = np.sort((key << shift) | np.arange(n, dtype=np.int64))
    return packed & ((1 << shift) - 1), packed >> shift


def lex_desc(v: FloatArray) -> IntArray:
    """Row order sorting ``v`` lexicographically descending (column 0 first), stable."""
    packed = _packed_order(v)
    if packed is not None:
        return packed[0]
    return np.lexsort(tuple(-v[:, j] for j in range(v.shape[1] - 1, -1, -1)))


def dense_rank(x: FloatArray) -> IntArray:
    """Ranks 0..R-1 of the values of ``x`` (equal values share a rank)."""
    return np.unique(x, return_inverse=True)[1].astype(np.int64).reshape(-1)


def earlier_covers(rest: FloatArray, is_data: BoolArray, is_query: BoolArray) -> BoolArray:
    """For each query row j, whether some data row i < j has ``rest[i] >= rest[j]`` everywhere.

    The one divide-and-conquer dominance kernel (Bentley 1980, "Multidimensional
    divide-and-conquer", CACM 23(4); Kung, Luccio & Preparata 1975): rows are in an
    order that already settles the first coordinate (each row's first coordinate is at
    most every earlier row's), ``rest`` holds the remaining ones. A pair (earlier data,
    later query) is decided at the level where their positions first fall in different
    halves of a block, as a query in ``rest``'s coordinates; all blocks of a level go
    into one :func:`covered` call, with the block number folded into two coordinates
    (+block * big in one, -block * big in the other) so that only rows of one block meet.
    O(n log^k n) for k columns in ``rest``, with no Python loop per row. Returns a mask
    over all rows (False for rows that are not queries).
    """
    total = len(rest)
    hit = np.zeros(total, dtype=np.bool_)
    if total < 2:
        return hit
    r = np.stack([dense_rank(rest[:, j]) for j in range(rest.shape[1])], axis=1)
    if r.shape[1] == 2:
        return _earlier_covers_2(r, is_data, is_query)
    big = float(total + 1)
    pos = np.arange(total, dtype=np.int64)
    level = 0
    while (1 << level) < total:
        right = ((pos >> level) & 1).astype(np.bool_)
        seg = (pos >> (level + 1)).astype(np.float64)
        level += 1
        d = np.flatnonzero(is_data & ~right)
        q = np.flatnonzero(is_query & right)
        if len(d) == 0 or len(q) == 0:
            continue
        lifted = []
        for rows in (d, q):
            x = r[rows].astype(np.float64)
            x[:, 0] += seg[rows] * big
            if x.shape[1] > 1:
                x[:, 1] -= seg[rows] * big
            else:  # one coordinate left: fold the block into a second one
                x = np.concatenate([x, -seg[rows, None] * big], axis=1)
            lifted.append(x)
        hit[q[covered(lifted[0], lifted[1])]] = True
    return hit


def _earlier_covers_2(r: IntArray, is_data: BoolArray, is_query: BoolArray) -> BoolArray:
    """:func:`earlier_covers` for two remaining coordinates (integer ranks ``r``).

    The same levels; within a level the 2-d query "a data row of my block with both
    ranks at least mine" is one sort by (block, first rank descending), prefix maxima
    of the second rank and a binary search, on integer keys.
    """
    n = len(r)
    r1, r2 = r[:, 0], r[:, 1]
    m1 = int(r1.max()) + 1
    m2 = int(r2.max()) + 1
    hit = np.zeros(n, dtype=np.bool_)
    idx = np.arange(n, dtype=np.int64)
    w = 1
    while w < n:
        seg = idx // (2 * w)
        right = (idx % (2 * w)) >= w
        d = ~right & is_data
        q = right & is_query
        w *= 2
        if not d.any() or not q.any():
            continue
        seg_d = seg[d]
        key_d = seg_d * m1 + (m1 - 1 - r1[d])
        o = np.argsort(key_d, kind="stable")
        key_d, seg_d = key_d[o], seg_d[o]
        prefmax = np.maximum.accumulate(seg_d * m2 + r2[d][o]) - seg_d * m2
        seg_q = seg[q]
        at = np.searchsorted(key_d, seg_q * m1 + (m1 - 1 - r1[q]), side="right") - 1
        ok = at >= 0
        atc = np.where(ok, at, 0)
        ok &= seg_d[atc] == seg_q
        ok &= prefmax[atc] >= r2[q]
        hit[q] |= ok
    return hit


def _skyline_dc(v: FloatArray) -> BoolArray:
    """Undominated rows of distinct ``v`` by :func:`earlier_covers` in lexicographic order.

    Sorted lexicographically descending, a row can only be dominated by an earlier one,
    and distinct rows that are >= everywhere dominate; so a row is dominated exactly when
    an earlier row covers it in the columns after the first.
    """
    order = lex_desc(v)
    every = np.ones(len(v), dtype=np.bool_)
    dominated = earlier_covers(v[order, 1:], every, every)
    mask = np.zeros(len(v), dtype=np.bool_)
    mask[order] = ~dominated
    return mask


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
    return v[np.unique(np.array(pick, dtype=np.int64), return_index=True)[0]]  # (not numpy.ma)


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
    whole = not out.any()  # nothing gone (every row near the frontier): no copies
    rest = np.flatnonzero(~out)
    sub = v if whole else v[rest]
    piv = pivots(sub)  # the grid keeps every undominated row, the strongest among them
    if extra is not None and len(extra):
        piv = np.concatenate([piv, pivots(extra)])
    if whole:
        return dominated_by_any(sub, piv)
    out[rest] = dominated_by_any(sub, piv)
    return out


def _skyline_2(v: FloatArray) -> BoolArray:
    order = lex_desc(v)
    u2 = v[order, 1]
    best_before = np.concatenate(([-np.inf], np.maximum.accumulate(u2)[:-1]))
    mask = np.zeros(len(v), dtype=np.bool_)
    mask[order] = u2 > best_before
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
        m = _skyline_dc(sub)
    else:
        m = _skyline_bnl(sub)
    out = np.zeros(n, dtype=np.bool_)
    out[idx[m]] = True
    return out


def group_rows(v: FloatArray) -> tuple[IntArray, IntArray, IntArray]:
    """(stable lexicographic order, group start positions in it, group id per row)."""
    n, k = v.shape
    new = np.ones(n, dtype=np.bool_)
    packed = _packed_order(v) if k else None
    if packed is not None:  # equal keys exactly for equal rows
        order, keys = packed
        np.not_equal(keys[1:], keys[:-1], out=new[1:])
    else:
        order = lex_desc(v) if k else np.arange(n, dtype=np.int64)
        sv = v[order]
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


def _covered_dc(data: FloatArray, queries: FloatArray) -> BoolArray:
    """:func:`covered` by the divide-and-conquer kernel, whatever the input size."""
    n, m = len(data), len(queries)
    pts = np.concatenate([data, queries])
    isq = np.concatenate([np.zeros(n, dtype=np.bool_), np.ones(m, dtype=np.bool_)])
    order = np.lexsort((isq, -pts[:, 0]))  # data first on ties in coordinate 0
    hit = earlier_covers(pts[order, 1:], ~isq[order], isq[order])
    out = np.empty(len(pts), dtype=np.bool_)
    out[order] = hit
    return out[n:]


def covered(data: FloatArray, queries: FloatArray) -> BoolArray:
    """For each query q, whether some row a of ``data`` has a >= q in every coordinate.

    One coordinate: the maximum. Two: sort and suffix maxima, O(n log n). Three or
    more: divide and conquer (:func:`earlier_covers`), O(n log^(k-1) n); small inputs
    are compared pairwise in blocks, which is faster there.
    """
    m, k = queries.shape
    if len(data) == 0 or m == 0:
        return np.zeros(m, dtype=np.bool_)
    if k == 1:
        return np.asarray(queries[:, 0] <= data[:, 0].max())
    if k == 2:
        order = np.argsort(data[:, 0], kind="stable")
        xs = data[order, 0]
        suffix = np.maximum.accumulate(data[order, 1][::-1])[::-1]
        i = np.searchsorted(xs, queries[:, 0], side="left")
        inside = i < len(xs)
        out = np.zeros(m, dtype=np.bool_)
        out[inside] = suffix[i[inside]] >= queries[inside, 1]
        return out
    if len(data) * m > _PAIR_BUDGET:
        return _covered_dc(data, queries)
    out = np.zeros(m, dtype=np.bool_)
    step = max(1, _PAIR_BUDGET // (len(data) * k))
    for s in range(0, m, step):
        block = queries[s : s + step, None, :]
        out[s : s + step] = np.any(np.all(data[None, :, :] >= block, axis=2), axis=1)
    return out


def robustly_dominated(p: FloatArray, delta: FloatArray) -> BoolArray:
    """Rows of ``p`` (pairwise distinct) that some row a dominates with a margin.

    a >= row everywhere and a_j >= row_j + delta[j] for some party j.
    """
    n, k = p.shape
    if n <= 1:
        return np.zeros(n, dtype=np.bool_)
    sums = p.sum(axis=1)
    piv = np.unique(
        np.concatenate([np.argsort(-sums)[:_N_PIVOTS], np.argmax(p, axis=0), [np.argmax(p.min(1))]])
    )
    pv = p[piv]
    out = np.zeros(n, dtype=np.bool_)
    step = max(1, _PAIR_BUDGET // (len(pv) * k))
    for s in range(0, n, step):  # cheap first pass against a few strong points
        diff = pv[None, :, :] - p[s : s + step, None, :]
        dom = np.all(diff >= 0, axis=2) & np.any(diff >= delta, axis=2)
        out[s : s + step] = dom.any(axis=1)
    rest = np.flatnonzero(~out)
    # A robust dominator, if any, is itself dominated by (or is) an undominated row, which
    # is then a robust dominator too: only the exact skyline need be searched. Worth it
    # up to three parties, where that skyline is cheap to find.
    if k <= 3:
        sky = skyline_distinct(p[rest])
        data, rest = p[rest[sky]], rest[~sky]
    else:
        data = p[rest]
    q = p[rest]
    shifted = np.concatenate([q + np.eye(k)[j] * delta[j] for j in range(k)])
    out[rest] = covered(data, shifted).reshape(k, len(q)).any(axis=0)
    return out
