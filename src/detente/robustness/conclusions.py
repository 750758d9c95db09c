"""The conclusions a robustness run tests, and their evaluation over a batch of draws.

Conclusions (ids as in the JSON): ``zopa-nonempty`` (some outcome meets every demand);
``gap:D1+D2+...`` (that set of demands, labels sorted, is still a minimal conflict: it
cannot hold together but each proper part can); ``cheapest-bridge`` (the demands whose
relaxation opens a deal at least cost, the sum of their firmness: categorical, ties
kept together); ``nash-deal`` and ``egalitarian-deal`` (the bargaining point on the
ZOPA, by the one tie rule of :mod:`detente.space.bargaining`: categorical);
``equilibrium:CONCEPT:STATE`` (GMCR: no number moves it).

Everything about demands derives from one table per draw, *present[P, f]*: whether some
outcome violates exactly the red lines of pattern P while exactly the parties in f fall
below their reservation. A demand set T can hold together iff some present (P, f) is
disjoint from T. The cheapest bridge is the present (P, f) of least cost (every
correction set contains the violated set of some outcome, and relaxing that set opens
that outcome), which is exact, not a search.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

import numpy as np
import numpy.typing as npt

from detente.robustness.model import Compiled, Params, canon, resolve, thresholds
from detente.robustness.present import present_table, raw_utilities
from detente.space.bargaining import TIE_RTOL, Kind, objective
from detente.space.dominance import dense_rank, earlier_covers, pareto_mask

__all__ = ["Batch", "Conclusion", "ConclusionSet", "NONE", "evaluate"]

ConclusionKind = Literal["zopa", "gap", "bridge", "deal", "equilibrium"]
_BAND = 1e-7  # relative: candidates re-decided on canonical utilities
_TIE_ROWS = 1 << 16  # candidates decided together: (rows, k) arrays of 2 MB
_BIG_TIE = 4096  # rows of one draw's tie beyond which its skyline is computed alone
NONE = "none"  # the value of a deal when there is no ZOPA, of a bridge when none is needed
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Conclusion:
    """One conclusion: what it says, whether it holds at the estimates, its value there.

    ``red`` and ``res`` (gaps) are the red-line indices and reservation party bits of
    the demand set; ``assumption_free`` says no varied number can change it.
    """

    id: str
    kind: ConclusionKind
    text: str
    holds: bool
    value: str | None = None  # categorical conclusions: the value at the estimates
    assumption_free: bool = False
    red: tuple[int, ...] = ()
    res: int = 0
    keys: tuple[str, ...] = ()

    @property
    def categorical(self) -> bool:
        """Whether the conclusion has a value (bridge, deals), not just true or false."""
        return self.value is not None


@dataclass(frozen=True, eq=False)
class ConclusionSet:
    """The conclusions of one run, in report order, with what evaluation needs."""

    conclusions: tuple[Conclusion, ...]
    combo_labels: tuple[str, ...] = field(default=())  # (P, f) violated sets, flattened

    def index(self, cid: str) -> int:
        """Position of the conclusion with id ``cid``."""
        return next(j for j, c in enumerate(self.conclusions) if c.id == cid)

    @property
    def needs_present(self) -> bool:
        """Whether some conclusion needs the whole (pattern, failing parties) table."""
        return any(c.kind in ("gap", "bridge") and not c.assumption_free for c in self.conclusions)


@dataclass(frozen=True, eq=False)
class Batch:
    """Evaluation of a batch of draws: holds (S, C) and the categorical values."""

    holds: BoolArray
    values: dict[int, list[str]]


def satisfiable(model: Compiled, present: BoolArray, red: Sequence[int], res: int) -> BoolArray:
    """Per draw, whether the demands (red-line indices ``red``, party bits ``res``) can hold."""
    k = len(model.parties)
    compat_p = (
        ~model.patterns[:, list(red)].any(axis=1) if red else np.ones(len(model.patterns), bool)
    )
    compat_f = (np.arange(1 << k) & res) == 0
    return np.asarray(present[:, compat_p][:, :, compat_f].any(axis=(1, 2)))


def _gap_holds(model: Compiled, present: BoolArray, c: Conclusion) -> BoolArray:
    k_bits = [1 << i for i in range(len(model.parties)) if c.res & (1 << i)]
    out = ~satisfiable(model, present, c.red, c.res)
    for j in c.red:
        out &= satisfiable(model, present, [x for x in c.red if x != j], c.res)
    for b in k_bits:
        out &= satisfiable(model, present, c.red, c.res & ~b)
    return np.asarray(out)


def _costs(model: Compiled, present: BoolArray, p: Params) -> FloatArray:
    k = len(model.parties)
    red = np.where(model.patterns[None, :, :], p.firmness[:, None, :], 0.0).sum(axis=2)
    bits = ((np.arange(1 << k)[:, None] >> np.arange(k)[None, :]) & 1).astype(bool)
    res = np.where(bits[None, :, :], p.res_firmness[:, None, :], 0.0).sum(axis=2)
    cost = red[:, :, None] + res[:, None, :]
    cost = np.where(present, cost, np.inf)
    clear = model.clear_pattern
    if clear is not None:
        cost[:, clear, 0] = np.inf
    return np.asarray(cost)


def bridge_values(
    model: Compiled, present: BoolArray, p: Params, labels: Sequence[str]
) -> list[str]:
    """Per draw, the cheapest bridge's label (tied ones joined by ' | '; ``none``)."""
    cost = _costs(model, present, p).reshape(present.shape[0], -1)
    best = cost.min(axis=1)
    clear = model.clear_pattern
    opened = present[:, clear, 0] if clear is not None else np.zeros(len(best), bool)
    arg = cost.argmin(axis=1)
    tied = (cost <= (best + TIE_RTOL * np.abs(best))[:, None]).sum(axis=1) > 1
    out = np.asarray(labels, dtype=object)[arg]
    out[~np.isfinite(best)] = "impossible"
    for s in np.flatnonzero(tied & np.isfinite(best)):
        hit = np.flatnonzero(cost[s] <= best[s] + TIE_RTOL * abs(best[s]))
        out[s] = " | ".join(sorted(labels[int(h)] for h in hit))
    out[opened] = NONE
    return [str(x) for x in out]


def combo_labels(model: Compiled) -> tuple[str, ...]:
    """The demand keys violated by each (pattern, failing parties) combination."""
    k = len(model.parties)
    out = []
    for pat in model.patterns:
        reds = [model.red_lines[j].key for j in np.flatnonzero(pat)]
        for f in range(1 << k):
            ress = [model.reservations[i].key for i in range(k) if f & (1 << i)]
            out.append("+".join(sorted(reds + ress)))
    return tuple(out)


def zopa_mask(us: Sequence[FloatArray], r: FloatArray) -> BoolArray:
    """(S, n): the rows acceptable to every party (red lines met by construction).

    ``us`` are unrounded utilities, compared with :func:`thresholds` of ``r``.
    """
    t = thresholds(r)
    ok = us[0] >= t[:, 0:1]
    for i in range(1, len(us)):
        ok &= us[i] >= t[:, i : i + 1]
    return np.asarray(ok)


def deal_values(
    model: Compiled, us: Sequence[FloatArray], p: Params, kind: Kind, rows: IntArray
) -> tuple[list[str], BoolArray]:
    """Per draw, the ``kind`` deal over the ZOPA as a label, and whether the ZOPA is open.

    ``us`` are the parties' unrounded utilities (S, n) of ``rows`` (the rows meeting
    every red line); ``kind`` is ``nash`` or ``egalitarian``. The objective is computed
    party by party (the order of :func:`objective`) with a reused buffer; a draw whose
    optimum is unique by a wide margin (:data:`_BAND`) is decided at once, the others
    (near-ties, a zero optimum) all together by the tie rule of
    :mod:`detente.space.bargaining` on canonical utilities (:func:`_tied_deals`). A
    positive Nash product, or a positive egalitarian gain, means every gain is positive:
    that row is inside the ZOPA; only draws whose optimum is not positive need the mask.
    """
    s_n = p.n
    if not rows.size:
        return [NONE] * s_n, np.zeros(s_n, dtype=np.bool_)
    r = p.reservation
    obj = us[0] - r[:, 0:1]
    tmp = np.empty_like(obj)
    if kind == "nash":
        np.maximum(obj, 0.0, out=obj)
    for i in range(1, len(us)):
        np.subtract(us[i], r[:, i : i + 1], out=tmp)
        if kind == "nash":
            np.maximum(tmp, 0.0, out=tmp)
            obj *= tmp
        else:
            np.minimum(obj, tmp, out=obj)
    arg = obj.argmax(axis=1)
    at = np.arange(s_n)
    best = obj[at, arg]
    obj[at, arg] = -np.inf  # the runner-up decides whether the optimum is clear
    runner_up = obj.max(axis=1)
    obj[at, arg] = best
    clear = (best > 0) & (runner_up < best - _BAND * np.abs(best))
    opened = best > 0
    names: dict[int, str] = {}  # a batch has few distinct deals: label each once

    def labels(picked: IntArray) -> npt.NDArray[np.object_]:
        uniq, inv = np.unique(rows[picked], return_inverse=True)
        for x in uniq.tolist():
            if x not in names:
                names[x] = _row_label(model, x)
        return np.asarray([names[x] for x in uniq.tolist()], dtype=object)[inv.reshape(-1)]

    out = np.full(s_n, NONE, dtype=object)
    if clear.any():
        out[clear] = labels(arg[clear])
    undecided = np.flatnonzero(~clear)
    if undecided.size:
        ok = _candidates(us, thresholds(r), obj, best, undecided)
        cum = np.cumsum(ok.sum(axis=1))
        cuts = np.searchsorted(cum, np.arange(_TIE_ROWS, cum[-1], _TIE_ROWS), side="right")
        edges = np.unique(np.r_[0, cuts, len(undecided)])
        for lo, hi in pairwise(edges.tolist()):  # blocks of about _TIE_ROWS
            local, col = np.nonzero(ok[lo:hi])
            if not local.size:
                continue
            owner, first, cols = _tied_deals(kind, us, r, undecided[lo + local], col)
            out[owner[first]] = _joined(labels(cols), first)
            opened[owner] = True
    return out.tolist(), np.asarray(opened)


def _candidates(
    us: Sequence[FloatArray], t: FloatArray, obj: FloatArray, best: FloatArray, d: IntArray
) -> BoolArray:
    """(len(d), n): the candidates of draws ``d``, a block of draws at a time.

    A candidate is acceptable to every party (``t``: :func:`thresholds`) and, when the
    optimum is positive, within :data:`_BAND` of it.
    """
    n = obj.shape[1]
    ok = np.empty((len(d), n), dtype=np.bool_)
    step = max(1, _TIE_ROWS // max(1, n))  # copied utilities of a block: a few MB
    for lo in range(0, len(d), step):
        dd = d[lo : lo + step]
        part = ok[lo : lo + step]
        np.greater_equal(us[0][dd], t[dd, 0:1], out=part)
        for i in range(1, len(us)):
            part &= us[i][dd] >= t[dd, i : i + 1]
        b = best[dd]
        pos = np.flatnonzero(b > 0)
        if pos.size:
            part[pos] &= obj[dd[pos]] >= (b[pos] - _BAND * np.abs(b[pos]))[:, None]
    return ok


def _near(values: FloatArray, seg: IntArray, starts: IntArray) -> BoolArray:
    """Rows within :data:`TIE_RTOL` of their segment's best (``_near_best`` of bargaining)."""
    top = np.maximum.reduceat(values, starts)
    return np.asarray(values >= (top - TIE_RTOL * np.maximum(np.abs(top), 1e-300))[seg])


def _tied_deals(
    kind: Kind, us: Sequence[FloatArray], r: FloatArray, draw: IntArray, col: IntArray
) -> tuple[IntArray, BoolArray, IntArray]:
    """The tie rule (:func:`~detente.space.bargaining.optimal_rows`) for many draws at once.

    Candidates are (``draw``, ``col``) pairs sorted by draw then column, one flat array
    with a segment per draw, so each step is one array operation over every draw:
    tolerance on the objective, leximin levels (egalitarian), undominated among the tied
    (:func:`_undominated`), then the order (largest sum, lexicographically best, first
    column). Nash products run party by party, the order in which numpy multiplies a
    row (``objective``): the same floats. Returns, for each distinct
    optimal vector in that order, its draw, whether it is its draw's first, and the first
    column reaching it.
    """
    flat = draw * us[0].shape[1] + col  # np.take on flat indices: twice as fast as x[draw, col]
    u = [canon(np.take(x, flat)) for x in us]
    gain = [x - r[draw, i] for i, x in enumerate(u)]
    begins = _changes(draw)
    starts = np.flatnonzero(begins)
    seg = np.cumsum(begins) - 1
    if kind == "nash":
        value = np.maximum(gain[0], 0.0)
        for g in gain[1:]:
            value *= np.maximum(g, 0.0)
    else:
        value = np.minimum.reduce(gain)
    keep = np.flatnonzero(_near(value, seg, starts))
    if kind != "nash" and len(u) > 1:
        crit = np.sort(np.stack([g[keep] for g in gain], axis=1), axis=1)
        alive = np.ones(len(keep), dtype=np.bool_)
        starts_k = np.flatnonzero(_changes(seg[keep]))
        for j in range(1, crit.shape[1]):  # leximin: the next smallest, among the tied
            alive &= _near(np.where(alive, crit[:, j], -np.inf), seg[keep], starts_k)
        keep = keep[alive]
    every = len(keep) == len(draw)  # all tied (a party indifferent): no copies
    keep = keep[_undominated(u if every else [x[keep] for x in u], seg[keep])]
    sub = [x[keep] for x in u]
    d, c = draw[keep], col[keep]
    total = np.stack(sub, axis=1).sum(axis=1)  # as optimal_rows sums (few rows here)
    order = np.lexsort((c, *(-x for x in sub[::-1]), -total, d))
    sub, d, c = [x[order] for x in sub], d[order], c[order]
    first = _changes(d)
    new = first.copy()
    for x in sub:
        new[1:] |= x[1:] != x[:-1]
    return d[new], first[new], c[new]


def _undominated(u: Sequence[FloatArray], seg: IntArray) -> BoolArray:
    """Per row, whether no row of the same segment Pareto-dominates it (duplicates kept).

    ``u`` holds one column per party. Segments of more than :data:`_BIG_TIE` rows (a
    party indifferent between thousands of outcomes ties them all) go to
    :func:`~detente.space.dominance.pareto_mask` one by one: their own work dwarfs a
    call. The others are one skyline problem: rows dominated by their segment's largest
    sum go first (dominance is transitive: exact); distinct (segment, vector) rows sorted
    by segment, then lexicographically descending, can only be dominated by an earlier
    row of their segment (:func:`~detente.space.dominance.earlier_covers`), the segment
    folded into the first remaining coordinate (as ``earlier_covers`` folds its blocks)
    so that earlier segments never cover.
    """
    n, k = len(seg), len(u)
    out = np.zeros(n, dtype=np.bool_)
    if n == 0:
        return out
    starts = np.flatnonzero(_changes(seg))
    size = np.diff(starts, append=n)
    for j in np.flatnonzero(size > _BIG_TIE).tolist():
        at = slice(int(starts[j]), int(starts[j] + size[j]))
        out[at] = pareto_mask(np.stack([x[at] for x in u], axis=1))
    small = np.flatnonzero(size <= _BIG_TIE)
    if not small.size:
        return out
    rows = np.flatnonzero(np.repeat(size <= _BIG_TIE, size))
    v, sg = [x[rows] for x in u], seg[rows]
    seg_id = np.repeat(np.arange(len(small)), size[small])
    total = v[0].copy()
    for x in v[1:]:
        total += x
    top = np.maximum.reduceat(total, np.flatnonzero(_changes(sg)))
    at_top = np.flatnonzero(total == top[seg_id])
    pivot = np.zeros(len(top), dtype=np.int64)
    pivot[seg_id[at_top]] = at_top  # a row reaching its segment's largest sum
    ge = np.ones(len(sg), dtype=np.bool_)
    gt = np.zeros(len(sg), dtype=np.bool_)
    for x in v:
        pv = x[pivot][seg_id]
        ge &= pv >= x
        gt |= pv > x
    alive = np.flatnonzero(~(ge & gt))
    v, sg, rows = [x[alive] for x in v], sg[alive], rows[alive]
    order = np.lexsort((*(-x for x in v[::-1]), sg))
    v, sg = [x[order] for x in v], sg[order]
    new = _changes(sg)
    for x in v:
        new[1:] |= x[1:] != x[:-1]
    gid = np.cumsum(new) - 1
    dominated = np.zeros(int(new.sum()), dtype=np.bool_)
    ds = sg[new]
    later = ~_changes(ds)  # a segment's second distinct vector or later
    shared = later.copy()
    shared[:-1] |= later[1:]  # and the first of such a segment
    if k > 1 and shared.any():  # k == 1: the pivot (the largest) took the rest
        w = [x[new][shared] for x in v[1:]]
        rest = np.stack([dense_rank(x) for x in w], axis=1).astype(np.float64)
        rest[:, 0] += dense_rank(ds[shared].astype(np.float64)) * float(len(rest) + 1)
        every = np.ones(len(rest), dtype=np.bool_)
        dominated[shared] = earlier_covers(rest, every, every)
    keep = np.empty(len(sg), dtype=np.bool_)
    keep[order] = ~dominated[gid]
    out[rows] = keep
    return out


def _changes(a: IntArray) -> BoolArray:
    """True where ``a`` differs from the element before (and at 0)."""
    out = np.ones(len(a), dtype=np.bool_)
    np.not_equal(a[1:], a[:-1], out=out[1:])
    return out


def _joined(text: npt.NDArray[np.object_], first: BoolArray) -> npt.NDArray[np.object_]:
    """Per draw (``first`` starts one), its labels joined by ' | ' (a loop over tie ranks)."""
    starts = np.flatnonzero(first)
    size = np.diff(starts, append=len(first))
    acc = text[starts].copy()
    for j in range(1, int(size.max())):
        more = np.flatnonzero(size > j)
        acc[more] = acc[more] + " | " + text[starts[more] + j]
    return acc


def _row_label(model: Compiled, row: int) -> str:
    t = model.terms(row)
    return ", ".join(f"{k}={v}" for k, v in t.items())


def evaluate(model: Compiled, cs: ConclusionSet, draws: FloatArray) -> Batch:
    """Which conclusions hold in each draw (and the categorical values), vectorised."""
    p = resolve(model, draws)
    n = draws.shape[0]
    holds = np.zeros((n, len(cs.conclusions)), dtype=np.bool_)
    values: dict[int, list[str]] = {}
    present = None
    if cs.needs_present:
        present = present_table(model, raw_utilities(model, p, zopa=False), p)
    clear = model.clear_pattern
    uz: list[FloatArray] | None = None
    deals: dict[str, tuple[list[str], BoolArray]] = {}

    def zopa_utilities() -> list[FloatArray]:
        nonlocal uz
        if uz is None:
            uz = raw_utilities(model, p, zopa=True)
        return uz

    def deal(kind: Kind) -> tuple[list[str], BoolArray]:
        if kind not in deals:
            deals[kind] = deal_values(model, zopa_utilities(), p, kind, model.zopa_rows)
        return deals[kind]

    wanted: list[Kind] = [
        "nash" if c.id == "nash-deal" else "egalitarian"
        for c in cs.conclusions
        if c.kind == "deal" and not c.assumption_free
    ]
    for j, c in enumerate(cs.conclusions):
        if c.assumption_free:
            holds[:, j] = c.holds
            if c.categorical:
                values[j] = [c.value or ""] * n
        elif c.kind == "zopa":
            if present is not None and clear is not None:
                holds[:, j] = present[:, clear, 0]
            elif wanted:
                holds[:, j] = deal(wanted[0])[1]
            else:
                holds[:, j] = zopa_mask(zopa_utilities(), p.reservation).any(axis=1)
        elif c.kind == "gap":
            assert present is not None
            holds[:, j] = _gap_holds(model, present, c)
        elif c.kind == "bridge":
            assert present is not None
            values[j] = bridge_values(model, present, p, cs.combo_labels)
            holds[:, j] = [v == c.value for v in values[j]]
        elif c.kind == "deal":
            values[j] = deal("nash" if c.id == "nash-deal" else "egalitarian")[0]
            holds[:, j] = [v == c.value for v in values[j]]
        else:
            holds[:, j] = c.holds
    return Batch(holds, values)


def objective_of(kind: Kind, u: FloatArray, d: FloatArray) -> FloatArray:
    """The bargaining objective (re-exported for the SMAA and exact modules)."""
    return objective(kind, u, d)
