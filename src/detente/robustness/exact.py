"""Exact answers where they exist: flip distances, verdicts, one-at-a-time intervals.

- **Flip distances when only reservations move** (L-inf, in utility units, within each
  reservation's range), closed form over the rows at the estimates. To *open* a set of
  demands T that cannot hold: min over outcomes x meeting T's red lines of
  max_{i in T} (r_i - u_i(x))_+ (the reservations fall to u_i(x*)). To *close* one that
  can: raising every varied reservation by t closes it iff t > t* = max over outcomes x
  meeting T of min_i (u_i(x) - r_i) over the varied reservations that can pass u_i(x)
  (the egalitarian gain). A gap (a minimal conflict) stops being one when it opens, or
  when one of its proper parts closes. Applying the reported change reverses the
  conclusion; 0.99 of it does not.
- **Verdicts** over boxes of weights and reservations. For a fixed outcome x,
  u_i(x) >= r is linear in party i's weights, because the rescaling is over the
  product of the issue domains: sum_k w_k (v_k(x) - vmin_k - r (vmax_k - vmin_k)) >= 0.
  Its maximum (minimum) over a box takes each w_k at a bound, so "some draw makes x
  acceptable to every party" (*possibly*) and "every draw does" (*necessarily*) are
  closed form, and parties' numbers are independent. Varied option values or a
  Dirichlet make it non-linear: the verdict then falls back to what the draws
  witnessed, and says so. A conclusion seen both to hold and to fail in the draws is
  *possibly*, exactly (both are witnessed). A gap seen to hold in every draw is
  *necessarily* one when it can never hold jointly and each proper part can always
  hold (both closed form; :func:`_gap_verdict`).
- **One-at-a-time stability intervals**: each varied number alone over its range, the
  others at their estimates; whole-number firmness exactly (every value), other numbers
  on a grid refined by bisection to 1e-6 of the range. A normal or lognormal number is
  searched over its central 99.9 % interval (its ``lo`` and ``hi``); an interval
  reaching both ends is then not exact (the number may reverse it beyond them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from detente.robustness.conclusions import Conclusion, ConclusionSet
from detente.robustness.model import Compiled, resolve, utilities
from detente.robustness.results import Flip, Interval, Verdict
from detente.scenario.uncertainty_checks import Uncertainty, Varied

__all__ = [
    "acceptance_bounds",
    "flip_by_reservations",
    "linear_verdict",
    "oat_intervals",
    "rows_meeting",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
HoldsOf = Callable[[FloatArray], BoolArray]
EPS = 1e-9  # a closing move passes the binding utility by this much
GRID = 1e6  # reported changes lie on the 6-decimal grid of the JSON, on the reversing side
_GRID = 17
_STEPS = 22  # bisection steps: 1/16 of the range / 2^22 < 1e-6 of it


def rows_meeting(model: Compiled, red: Sequence[int]) -> BoolArray:
    """Rows whose outcomes meet every red line in ``red`` (indices into ``model.red_lines``)."""
    if not red:
        return np.ones(model.n_rows, dtype=np.bool_)
    ok_pattern = np.asarray(~model.patterns[:, list(red)].any(axis=1))
    return np.asarray(ok_pattern[model.pattern])


def _res_ranges(model: Compiled, unc: Uncertainty) -> dict[int, Varied]:
    by = {v.address: v for v in unc.varied}
    return {
        i: by[f"{d.party}.reservation"]
        for i, d in enumerate(model.reservations)
        if f"{d.party}.reservation" in by
    }


def _open(
    model: Compiled, u: FloatArray, mask: BoolArray, parties: Sequence[int], r: FloatArray,
    rvar: dict[int, Varied],
) -> Flip | None:  # fmt: skip
    uu = u[mask]
    if len(uu) == 0 or not parties:
        return None
    need = np.zeros(len(uu))
    feasible = np.ones(len(uu), dtype=np.bool_)
    for i in parties:
        short = r[i] - uu[:, i]
        if i in rvar:
            feasible &= uu[:, i] >= rvar[i].lo
            need = np.maximum(need, np.maximum(short, 0.0))
        else:
            feasible &= short <= 0
    if not feasible.any():
        return None
    cand = np.flatnonzero(feasible)
    j = int(cand[np.argmin(need[cand])])
    changes = {
        model.reservations[i].key.replace("/", "."): float(np.floor(uu[j, i] * GRID) / GRID)
        for i in parties
        if r[i] > uu[j, i]
    }
    return Flip(float(need[j]), "linf", True, "reservations", changes)


def _close(
    model: Compiled, u: FloatArray, mask: BoolArray, parties: Sequence[int], r: FloatArray,
    rvar: dict[int, Varied],
) -> Flip | None:  # fmt: skip
    uu = u[mask]
    if not parties:
        return None
    ok = np.ones(len(uu), dtype=np.bool_)
    for i in parties:
        ok &= uu[:, i] >= r[i]
    uu = uu[ok]
    movable = [i for i in parties if i in rvar]
    if len(uu) == 0 or not movable:
        return None
    t = np.full(len(uu), np.inf)
    for i in movable:
        can = rvar[i].hi > uu[:, i]
        t = np.where(can, np.minimum(t, uu[:, i] - r[i]), t)
    top = float(t.max())
    if not np.isfinite(top):
        return None
    d = top + EPS
    changes = {
        model.reservations[i].key.replace("/", "."): float(
            min(np.ceil((r[i] + d) * GRID) / GRID, rvar[i].hi)
        )
        for i in movable
    }
    return Flip(top, "linf", True, "reservations", changes)  # the infimum; changes pass it


def flip_by_reservations(
    model: Compiled, unc: Uncertainty, c: Conclusion, estimate: FloatArray
) -> Flip | None:
    """The exact smallest reservation move (L-inf) reversing ``c`` (module docstring).

    None when no move of the varied reservations within their ranges reverses it, or
    when ``c`` is not a ZOPA or gap conclusion.
    """
    rvar = _res_ranges(model, unc)
    if not rvar or c.kind not in ("zopa", "gap") or c.assumption_free:
        return None
    p = resolve(model, estimate[None, :])
    u = utilities(model, p)[0]
    r = p.reservation[0]
    k = len(model.parties)
    if c.kind == "zopa":
        mask = rows_meeting(model, list(range(len(model.red_lines))))
        everyone = list(range(k))
        return (_close if c.holds else _open)(model, u, mask, everyone, r, rvar)
    parties = [i for i in range(k) if c.res & (1 << i)]
    found = [_open(model, u, rows_meeting(model, c.red), parties, r, rvar)]
    for j in c.red:  # a proper part closes: the gap is no longer minimal
        rest = [x for x in c.red if x != j]
        found.append(_close(model, u, rows_meeting(model, rest), parties, r, rvar))
    for i in parties:
        found.append(
            _close(model, u, rows_meeting(model, c.red), [q for q in parties if q != i], r, rvar)
        )
    hits = [f for f in found if f is not None]
    return min(hits, key=lambda f: f.distance) if hits else None


def linear_verdict(
    model: Compiled, unc: Uncertainty, c: Conclusion, support: float
) -> tuple[Verdict | None, str | None]:
    """Necessarily / possibly / never over the stated ranges, with a note when undecided."""
    if c.assumption_free:
        return ("necessarily" if c.holds else "never"), None
    if 0.0 < support < 1.0:
        return "possibly", None  # both witnessed by draws
    if c.kind == "gap" and c.holds and support == 1.0:
        return _gap_verdict(model, unc, c)
    if c.kind != "zopa":
        return None, "not linear: decided only when the draws show both outcomes"
    bounds = acceptance_bounds(model, unc, -1e-12, -1e-12)
    if isinstance(bounds, str):
        return None, bounds
    poss = rows_meeting(model, list(range(len(model.red_lines))))
    nec = poss.copy()
    for p_i, n_i in zip(*bounds, strict=True):
        poss &= p_i
        nec &= n_i
    if nec.any():
        return ("necessarily" if c.holds else None), None
    if not poss.any():
        return ("never" if not c.holds else None), None
    if not c.holds:
        return "possibly", None  # some box point opens it; the estimates do not
    return None, "undecided: no outcome is acceptable in every draw, none of the draws closed it"


def acceptance_bounds(
    model: Compiled, unc: Uncertainty, poss_tol: float, nec_tol: float
) -> tuple[list[BoolArray], list[BoolArray]] | str:
    """Per reservation demand, the rows acceptable at some / at every point of the box.

    For party i and outcome x, ``u_i(x) >= r_i`` is linear in i's weights (module
    docstring); its maximum and minimum over the box of weights and reservation take
    each number at a bound. ``poss_tol`` and ``nec_tol`` are added to the thresholds'
    side of the comparison (``sum >= tol``): negative is generous, positive strict.
    Returns a note instead when varied option values or a Dirichlet make it non-linear.
    """
    by = {v.address: v for v in unc.varied}
    if any(v.group is not None for v in unc.varied) or any(v.kind == "value" for v in unc.varied):
        return "varied values or a Dirichlet make acceptability non-linear"
    s = model.scenario
    poss: list[BoolArray] = []
    nec: list[BoolArray] = []
    for i, pm in enumerate(model.party_models):
        d = model.reservations[i]
        rv = by.get(f"{d.party}.reservation")
        r_lo, r_hi = (rv.lo, rv.hi) if rv else (d.value, d.value)
        wlo = np.empty(len(pm.issues))
        whi = np.empty(len(pm.issues))
        for j, k in enumerate(pm.issues):
            wv = by.get(f"{d.party}.weight.{s.issues[k].id}")
            wlo[j], whi[j] = (wv.lo, wv.hi) if wv else (pm.weights[j], pm.weights[j])
        span = pm.vmax - pm.vmin
        if float((whi * span).sum()) <= 0.0:  # a flat utility: u = 0 everywhere
            poss.append(np.full(model.n_rows, r_lo <= 0.0))
            nec.append(np.full(model.n_rows, r_hi <= 0.0))
            continue
        if float((wlo * span).sum()) <= 0.0:
            return "a weight box reaching a flat utility: decided by the draws only"
        f = pm.features  # fixed values, one column per valued issue
        a_lo = f - pm.vmin - r_lo * span  # the most favourable reservation
        a_hi = f - pm.vmin - r_hi * span
        poss.append(np.asarray(np.maximum(a_lo * wlo, a_lo * whi).sum(axis=1) >= poss_tol))
        nec.append(np.asarray(np.minimum(a_hi * wlo, a_hi * whi).sum(axis=1) >= nec_tol))
    return poss, nec


def _gap_verdict(
    model: Compiled, unc: Uncertainty, c: Conclusion
) -> tuple[Verdict | None, str | None]:
    """``necessarily`` when the demand set is a minimal conflict at every point of the box.

    Sufficient conditions, both closed form: no outcome meeting the set's red lines is
    acceptable, at any point of the box, to every party whose reservation is in the set
    (the set never holds jointly; parties' numbers vary independently); and for each
    demand left out, some outcome meets the rest at every point of the box (every
    proper part can hold). Firmness plays no part in a gap.
    """
    if len(c.red) + bin(c.res).count("1") != len(c.keys):
        return None, "not linear: decided only when the draws show both outcomes"
    # generous for "no outcome ever", exact for "some outcome always": an outcome exactly
    # at a reservation is acceptable, as in the point analysis
    bounds = acceptance_bounds(model, unc, -EPS, 0.0)
    if isinstance(bounds, str):
        return None, bounds
    poss, nec = bounds
    parties = [i for i in range(len(model.reservations)) if c.res >> i & 1]
    joint = rows_meeting(model, c.red)
    for i in parties:
        joint &= poss[i]
    if joint.any():
        return None, "undecided: a point of the ranges may let the demands all hold; no draw did"
    parts = [([r for r in c.red if r != drop], parties) for drop in c.red]
    parts += [(list(c.red), [i for i in parties if i != drop]) for drop in parties]
    for red, ps in parts:
        rows = rows_meeting(model, red)
        for i in ps:
            rows &= nec[i]
        if not rows.any():
            return None, "undecided: a part of the demands may fail somewhere in the ranges"
    return "necessarily", None


def oat_intervals(
    model: Compiled, cs: ConclusionSet, unc: Uncertainty, holds_of: HoldsOf
) -> list[tuple[Interval, ...]]:
    """Per conclusion, the one-at-a-time stability interval of every varied number."""
    est = np.array([v.estimate for v in unc.varied], dtype=np.float64)
    n_c = len(cs.conclusions)
    base = holds_of(est[None, :])[0]
    grids: list[FloatArray] = []
    rows: list[FloatArray] = []
    for j, v in enumerate(unc.varied):
        if v.kind == "firmness":
            g = np.arange(np.ceil(v.lo), np.floor(v.hi) + 1.0)
        else:
            g = np.linspace(v.lo, v.hi, _GRID)
        g = np.unique(np.append(g, v.estimate))
        grids.append(g)
        block = np.repeat(est[None, :], len(g), axis=0)
        block[:, j] = g
        rows.append(block)
    if not rows:
        return [() for _ in range(n_c)]
    allh = holds_of(np.concatenate(rows, axis=0))
    offsets = np.cumsum([0] + [len(g) for g in grids])
    # (j, c, side) -> [outside, inside] brackets to bisect
    bounds: dict[tuple[int, int], list[float]] = {}
    pending: list[tuple[int, int, int, float, float]] = []
    for j, v in enumerate(unc.varied):
        g = grids[j]
        h = allh[offsets[j] : offsets[j + 1]]
        e = int(np.flatnonzero(g == v.estimate)[0])
        for c in range(n_c):
            same = h[:, c] == base[c]
            lo_i = e
            while lo_i > 0 and same[lo_i - 1]:
                lo_i -= 1
            hi_i = e
            while hi_i < len(g) - 1 and same[hi_i + 1]:
                hi_i += 1
            bounds[(j, c)] = [float(g[lo_i]), float(g[hi_i])]
            if v.kind != "firmness":
                if lo_i > 0:
                    pending.append((j, c, 0, float(g[lo_i - 1]), float(g[lo_i])))
                if hi_i < len(g) - 1:
                    pending.append((j, c, 1, float(g[hi_i + 1]), float(g[hi_i])))
    for _ in range(_STEPS if pending else 0):
        mids = np.array([(a + b) / 2 for (_, _, _, a, b) in pending])
        block = np.repeat(est[None, :], len(pending), axis=0)
        for r, (j, _, _, _, _) in enumerate(pending):
            block[r, j] = mids[r]
        h = holds_of(block)
        nxt = []
        for r, (j, c, side, out_, in_) in enumerate(pending):
            if h[r, c] == base[c]:
                nxt.append((j, c, side, out_, float(mids[r])))
            else:
                nxt.append((j, c, side, float(mids[r]), in_))
        pending = nxt
    for j, c, side, _, in_ in pending:
        bounds[(j, c)][side] = in_
    out = []
    for c in range(n_c):
        items = []
        for j, v in enumerate(unc.varied):
            lo, hi = bounds[(j, c)]
            exact = (
                v.kind == "firmness"
                or cs.conclusions[c].assumption_free
                or (lo == v.lo and hi == v.hi and v.bounded)  # unbounded: may flip beyond
            )
            items.append(Interval(v.address, lo, hi, (v.lo, v.hi), v.estimate, exact))
        out.append(tuple(items))
    return out


def flip_by_firmness(
    model: Compiled, unc: Uncertainty, cs: ConclusionSet, estimate: FloatArray
) -> Flip | None:
    r"""The smallest firmness move (L-inf, whole steps) that makes another bridge cheapest.

    At the estimates every present (pattern, failing parties) combination is a
    candidate bridge C with cost(C) the sum of its firmness; the cheapest C* stops
    being the unique cheapest once some C costs no more. Lowering the varied firmness
    of C \\ C* and raising that of C* \\ C by t each (within their ranges) closes the
    difference at the smallest whole t with sum of the capped moves >= cost(C) -
    cost(C*): exact for firmness moves, utilities and reservations held.
    """
    from detente.robustness.model import party_utilities
    from detente.robustness.present import present_table

    p = resolve(model, estimate[None, :])
    present = present_table(model, party_utilities(model, p, raw=True), p)[0]
    k = len(model.parties)
    n_red = len(model.red_lines)
    by = {v.address: v for v in unc.varied}
    firm = np.concatenate([p.firmness[0], p.res_firmness[0]])
    demands = [*model.red_lines, *model.reservations]
    addr = [
        f"{d.party}.firmness.{d.id}" if j < n_red else f"{d.party}.firmness.reservation"
        for j, d in enumerate(demands)
    ]
    combos: list[frozenset[int]] = []
    clear = model.clear_pattern
    for q, pat in enumerate(model.patterns):
        for f in range(1 << k):
            if present[q, f] and not (q == clear and f == 0):
                reds = [int(j) for j in np.flatnonzero(pat)]
                combos.append(frozenset(reds + [n_red + i for i in range(k) if f & (1 << i)]))
    costs = [float(sum(firm[j] for j in c)) for c in combos]
    finite = [(c, x) for c, x in zip(combos, costs, strict=True) if np.isfinite(x)]
    if len(finite) < 2:
        return None
    best = min(x for _, x in finite)
    top = [c for c, x in finite if x == best]
    if len(top) != 1:
        return None  # a tie at the estimates: any firmness move that breaks it flips it
    star = top[0]
    found: tuple[int, dict[str, float]] | None = None
    for c, x in finite:
        if c == star:
            continue
        down = [(j, firm[j] - by[addr[j]].lo) for j in c - star if addr[j] in by]
        up = [(j, by[addr[j]].hi - firm[j]) for j in star - c if addr[j] in by]
        for t in range(1, 10):
            if sum(min(t, cap) for _, cap in down + up) >= x - best:
                if found is None or t < found[0]:
                    changes = {addr[j]: float(firm[j] - min(t, cap)) for j, cap in down}
                    changes |= {addr[j]: float(firm[j] + min(t, cap)) for j, cap in up}
                    found = (t, {a: v for a, v in changes.items() if v != firm[addr.index(a)]})
                break
    if found is None:
        return None
    return Flip(float(found[0]), "linf", True, "firmness", found[1])
