"""Exact Pareto frontier of additive scenarios, built issue by issue without enumeration.

With additive utilities u_i(x) = c_i + sum_k t_ik(x_k), an outcome whose restriction to
the first k issues is Pareto-dominated by another partial outcome's cannot be on the
frontier: completing both the same way keeps the dominance. So the frontier is found by
merging issues one at a time (the Minkowski sum of the partial-sum set with the issue's
value vectors) and pruning dominated partial sums after each merge. This is the
multi-party generalisation of MOBANOS (De Jonge, Rovatsos & Sierra 2019; described in
Koça, de Jonge & Baarslag 2024, *Algorithms* 17(5):200), which NegMAS implements for two
parties only; here any number of parties, with red lines that mention one issue
(applied to that issue's options first) and reservation values (u_i >= r_i, applied at
the end: a pruned point's every completion is dominated by the completion of the point
that pruned it, which also meets every reservation, so the cut stays exact).

Floating point, and why results equal enumeration exactly. Enumeration
(:meth:`OutcomeSpace.utility_matrix`) adds each party's issue tables to its offset in
declared issue order and rounds to :data:`~detente.space.outcomes.UTILITY_DECIMALS` decimals.
The merge adds the very same float64 numbers in the very same order, so every outcome
gets bit-identical utilities. Rounding is monotone, so a partial sum that is >= another
stays >= after any completion; but a *strict* gap can close (two sums 1e-16 apart may
round to the same value), which would turn a dominated outcome into a tie of a frontier
point. A partial sum is therefore pruned only when it is dominated with a margin
``delta`` in some party (``2 * 10**-UTILITY_DECIMALS`` plus a bound on the rounding error
of the remaining additions), which no later rounding can close. Near-ties survive to the
end, where the exact frontier and tie counts are taken on the final canonical values.

Ties: every frontier point reports how many outcomes share its utility vector and the
``tie_limit`` of them with the lowest outcome indices (the representative first), the
same as the enumeration path, recovered from the merge's back-pointers.

Pruning finds the exact skyline (:func:`detente.space.dominance.skyline_distinct`) and
then asks which other points a skyline point covers with the margin, by a dominance
query (:func:`detente.space.dominance.covered`) that is a sort for two parties and Bentley's (1980)
multidimensional divide and conquer for three or more, vectorised level by level.
Not here: red lines over several issues or derived quantities (return None), and
enumeration-based counts (ZOPA size), which belong to the enumeration path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.deal.frontier import DEFAULT_TIE_LIMIT, FrontierPoints
from detente.errors import LimitError
from detente.scenario.expr import names
from detente.scenario.expr.evaluate import evaluate
from detente.space.dominance import group_rows, robustly_dominated, skyline_distinct
from detente.space.outcomes import UTILITY_DECIMALS, OutcomeSpace, canonical

__all__ = ["MAX_CANDIDATES", "additive_frontier", "unary_masks"]

MAX_CANDIDATES = 20_000_000  # partial sums held at once in one merge step (~0.5 GB at k=3)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
CountArray = npt.NDArray[np.int64] | npt.NDArray[np.object_]


def unary_masks(space: OutcomeSpace) -> list[BoolArray] | None:
    """Per issue, which allowed codes satisfy every red line that mentions only that issue.

    Returns None when some red line mentions two or more issues or a derived quantity:
    the merge cannot apply it option by option (use enumeration or the solver). A red line
    that mentions nothing is a constant; if false, every option of every issue fails.
    """
    index = {iid: k for k, iid in enumerate(space.issues)}
    codes = [space.issue_codes(k) for k in range(len(space.issues))]
    masks = [np.ones(len(c), dtype=np.bool_) for c in codes]
    for key in space.red_lines:
        ast = space.scenario.red_line_ast(*key)
        used = names(ast)
        if len(used) > 1 or not used <= index.keys():
            return None
        if not used:
            if not bool(evaluate(ast, {})):
                masks = [np.zeros(len(c), dtype=np.bool_) for c in codes]
            continue
        (iid,) = used
        k = index[iid]
        col = codes[k].astype(np.bool_) if space.domains[k].kind == "boolean" else codes[k]
        ok = np.broadcast_to(np.asarray(evaluate(ast, {iid: col})), col.shape)
        masks[k] &= ok.astype(np.bool_)
    return masks


# -- the merge --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Options:
    """One issue's distinct contribution vectors, how many codes give each, and the first."""

    values: FloatArray  # (g, k)
    counts: CountArray  # (g,)
    codes: IntArray  # (g, tie_limit) positions of the smallest codes giving it, -1 padded
    allowed: IntArray  # the issue's allowed codes (position -> code)


def _options(
    table: FloatArray, codes: IntArray, delta: FloatArray, tie_limit: int, obj: bool
) -> _Options:
    order, starts, gid = group_rows(table)
    values = table[order[starts]]
    counts = np.diff(np.append(starts, len(order))).astype(object if obj else np.int64)
    rank = np.arange(len(order)) - starts[gid[order]]
    # no wider than the largest group: a huge tie_limit must not allocate for nothing
    width = max(1, min(tie_limit, int(rank.max()) + 1 if len(rank) else 1))
    firsts = np.full((len(starts), width), -1, dtype=np.int64)
    keep = rank < width
    firsts[gid[order][keep], rank[keep]] = order[keep]  # codes are ascending: position order
    alive = ~robustly_dominated(values, delta)
    return _Options(values[alive], counts[alive], firsts[alive], codes)


@dataclass(frozen=True)
class _Step:
    """Survivors of one merge: groups of equal partial sums and their (parent, option) pairs."""

    member_group: IntArray
    member_parent: IntArray
    member_option: IntArray
    n_groups: int


def additive_frontier(
    space: OutcomeSpace, *, zopa: bool, tie_limit: int = DEFAULT_TIE_LIMIT
) -> FrontierPoints | None:
    """Exact Pareto frontier of ``space`` by issue-by-issue merging (see module docstring).

    Parameters
    ----------
    space:
        The outcome space; utilities are additive by construction.
    zopa:
        True: frontier of the ZOPA (every red line and u_i >= r_i); False: of the whole
        space (no red line, no reservation).
    tie_limit:
        Outcomes listed per frontier point.

    Returns
    -------
    The frontier (``method="additive-merge"``), equal to the enumerated one: utilities,
    counts, representatives and ties. None when a red line mentions two or more issues
    or a derived quantity (enumeration or the solver must decide), or with no parties.

    Raises
    ------
    LimitError
        When one merge step would hold more than :data:`MAX_CANDIDATES` partial sums.
    """
    n_issues = len(space.issues)
    parties = space.parties
    k = len(parties)
    if k == 0:
        return None
    masks = unary_masks(space) if zopa else None
    if zopa and masks is None:
        return None
    obj = space.size >= 2**62  # counts beyond int64: exact Python integers
    tables, codes = [], []
    for i in range(n_issues):
        c = space.issue_codes(i)
        if masks is not None:
            c = c[masks[i]]
        if len(c) == 0:
            return FrontierPoints.empty(k, n_issues, "additive-merge")
        codes.append(c)
        tables.append(np.stack([space.utilities[p].issue_table(i, c) for p in parties], axis=1))
    offset = np.array([space.utilities[p].offset for p in parties], dtype=np.float64)
    bound = np.abs(offset) + sum((np.abs(t).max(axis=0) for t in tables), np.zeros(k))
    delta = 2.0 * 10.0**-UTILITY_DECIMALS + 4 * (n_issues + 2) * np.spacing(bound)
    opts = [_options(t, c, delta, tie_limit, obj) for t, c in zip(tables, codes, strict=True)]
    reach = np.array([o.values.max(axis=0) for o in opts]).reshape(n_issues, k)
    remaining = np.cumsum(reach[::-1], axis=0)[::-1]  # best still to come, from issue i on
    r = space.reservations

    part = offset[None, :].copy()
    count: CountArray = np.ones(1, dtype=object if obj else np.int64)
    steps: list[_Step] = []
    for i, o in enumerate(opts):
        g = len(o.values)
        if len(part) * g > MAX_CANDIDATES:
            raise LimitError(
                f"the additive merge would hold {len(part) * g:,} partial frontier points at "
                f"issue '{space.issues[i]}' (limit {MAX_CANDIDATES:,}); the frontier is too "
                "large to list: narrow integer ranges or coarsen their unit"
            )
        cand = (part[:, None, :] + o.values[None, :, :]).reshape(-1, k)
        order, starts, gid = group_rows(cand)
        distinct = cand[order[starts]]
        ccount = (count[:, None] * o.counts[None, :]).reshape(-1)
        gcount = np.add.reduceat(ccount[order], starts)
        alive = np.ones(len(distinct), dtype=np.bool_)
        if zopa:  # no completion can reach the reservation: drop now
            ahead = remaining[i + 1] if i + 1 < n_issues else np.zeros(k)
            alive &= np.all(distinct + ahead + delta >= r, axis=1)
        sub = np.flatnonzero(alive)
        alive[sub[robustly_dominated(distinct[sub], delta)]] = False
        new_id = np.cumsum(alive) - 1
        member = alive[gid]
        rows = np.flatnonzero(member)
        steps.append(_Step(new_id[gid[rows]], rows // g, rows % g, int(alive.sum())))
        part, count = distinct[alive], gcount[alive]

    u = canonical(part, inplace=True)
    order, starts, gid = group_rows(u)
    distinct = u[order[starts]]
    fcount = np.add.reduceat(count[order], starts)
    keep = np.all(distinct >= r, axis=1) if zopa else np.ones(len(distinct), dtype=np.bool_)
    sub = np.flatnonzero(keep)
    keep[sub[~skyline_distinct(distinct[sub])]] = False
    if not keep.any():
        return FrontierPoints.empty(k, n_issues, "additive-merge")
    new_id = np.cumsum(keep) - 1
    rows = np.flatnonzero(keep[gid])
    final = _Step(new_id[gid[rows]], rows, np.zeros(len(rows), dtype=np.int64), int(keep.sum()))
    zero = np.zeros((1, 1), dtype=np.int64)
    dummy = _Options(np.zeros((1, k)), np.ones(1, dtype=np.int64), zero, zero[0])
    tie_codes = _ties([*steps, final], [*opts, dummy], tie_limit)
    vec = distinct[keep]
    counts = fcount[keep]
    lex = np.lexsort(tuple(-vec[:, j] for j in range(k - 1, -1, -1)))
    ties = tuple(tie_codes[j] for j in lex)
    return FrontierPoints(
        utilities=vec[lex],
        codes=np.stack([t[0] for t in ties]),
        counts=tuple(int(c) for c in counts[lex]),
        ties=ties,
        method="additive-merge",
        tie_limit=tie_limit,
    )


def _ties(steps: list[_Step], opts: list[_Options], limit: int) -> list[IntArray]:
    """The ``limit`` lexicographically smallest outcomes (by codes) of each final group.

    Only groups that lead to a final group are visited. At each step a group's smallest
    prefixes are the smallest (parent prefix, code) pairs over its members, found among
    each member's parent's smallest prefixes times the option's smallest codes; prefixes
    are compared through their global lexicographic rank at the previous step.
    """
    n_steps = len(steps)
    wanted = [np.zeros(0, dtype=np.bool_)] * n_steps
    need = np.ones(steps[-1].n_groups, dtype=np.bool_)
    for s in range(n_steps - 1, -1, -1):
        wanted[s] = need
        st = steps[s]
        prev_n = steps[s - 1].n_groups if s else 1
        need = np.zeros(prev_n, dtype=np.bool_)
        need[st.member_parent[_need_rows(st, wanted[s])]] = True
    table = np.zeros((1, 1), dtype=np.int64)  # group -> prefix rows (root: one empty prefix)
    rank = np.zeros(1, dtype=np.int64)
    parents: list[IntArray] = []
    codes: list[IntArray] = []
    for s, (st, o) in enumerate(zip(steps, opts, strict=True)):
        rows = _need_rows(st, wanted[s])
        pp = table[st.member_parent[rows]]  # (M, L) parent prefix rows, -1 padded
        cc = o.codes[st.member_option[rows]]  # (M, L) codes, -1 padded
        ok = (pp[:, :, None] >= 0) & (cc[:, None, :] >= 0)
        grp = np.broadcast_to(st.member_group[rows][:, None, None], ok.shape)[ok]
        pre = np.broadcast_to(pp[:, :, None], ok.shape)[ok]
        code = np.broadcast_to(cc[:, None, :], ok.shape)[ok]
        prank = rank[pre]
        o1 = np.lexsort((code, prank, grp))
        grp, pre, code, prank = grp[o1], pre[o1], code[o1], prank[o1]
        first = np.searchsorted(grp, grp, side="left")
        slot = np.arange(len(grp)) - first
        cap = slot < limit
        grp, pre, code, prank, slot = grp[cap], pre[cap], code[cap], prank[cap], slot[cap]
        width = int(slot.max()) + 1 if len(slot) else 1  # the widest group, not the limit
        table = np.full((st.n_groups, width), -1, dtype=np.int64)
        table[grp, slot] = np.arange(len(grp))
        rank = np.empty(len(grp), dtype=np.int64)
        rank[np.lexsort((code, prank))] = np.arange(len(grp))
        parents.append(pre)
        codes.append(code)
    flat = table.reshape(-1)
    idx = flat[flat >= 0]
    owner = np.repeat(np.arange(len(table)), (table >= 0).sum(axis=1))
    cols = []
    for s in range(n_steps - 1, -1, -1):
        if s < n_steps - 1:  # the last step regroups canonical values: it adds no code
            cols.append(opts[s].allowed[codes[s][idx]])
        idx = parents[s][idx]
    allc = np.stack(cols[::-1], axis=1) if cols else np.zeros((len(owner), 0), np.int64)
    bounds = np.searchsorted(owner, np.arange(len(table) + 1))
    return [allc[bounds[j] : bounds[j + 1]] for j in range(len(table))]


def _need_rows(st: _Step, wanted: BoolArray) -> IntArray:
    """Members of the wanted groups of a step."""
    return np.flatnonzero(wanted[st.member_group])
