"""Hit-and-run over the weights that weight orders constrain (when rejection collapses).

The target is the one rejection targets: the product of the columns' distributions
(uniform, triangular, Dirichlet groups) restricted to the orders. The columns an order
names, with the whole Dirichlet group of any of them, are the chain's coordinates z;
they live in the polytope A z <= b (each column's bounds, each order's adjacent pairs,
against the stated value of a weight that does not vary) intersected with the affine
subspace where each Dirichlet group keeps its stated sum. The other columns stay
independent draws (:mod:`detente.robustness.sampling`).

One step (Smith 1984): a direction d (a normal vector N(0, S) with each group's mean
taken out: in that subspace), the chord {z + t d} inside the polytope (t between the
largest lower and the smallest upper bound of the rows), and a point on it. When every
coordinate is uniform the point is uniform on the chord (the uniform distribution on
the polytope is then stationary); otherwise it is drawn by slice sampling of f along the
chord (Neal 2003, shrinkage), f the product of the triangular and Dirichlet densities,
which leaves f restricted to the orders stationary. S rounds the set: the covariance of
pilot chains (:func:`_rounding`), since a thin set mixes slowly.

Chains. Each output draw is the end of its own chain: :func:`steps` steps (8 d^2) from
the same fixed start, the Chebyshev centre of the constrained set (the point deepest
inside it, by a linear program, GLOP of OR-Tools), so the draws are independent of one
another (no thinning needed) and only the chain's mixing is approximate: hit-and-run
mixes in a number of steps polynomial in the dimension from a warm start (Lovász 1999;
Lovász & Vempala 2006), not in a bounded one, so the step count is a stated rule checked
against rejection and exact order statistics in tests. All chains advance together (one
numpy step for all of them); chain i of a chunk draws row i of each step's arrays, in
blocks of ``block`` chains with their own seed sequences, so a draw depends on (seed,
chunk, i) only and a short chunk is a prefix of a long one. The LP decides the
refusals: no point meets the orders (empty), or none meets them with room to move (no
interior: the orders and bounds pin a weight to another or to a bound).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.blas import one_blas_thread
from detente.errors import DetenteError
from detente.scenario.uncertainty_checks import Varied

__all__ = ["Polytope", "chains", "constrained_set", "involved", "steps"]

STEPS_PER_DIM2 = 8  # steps per chain: 8 d^2 (d the chains' dimension), at least MIN_STEPS
MIN_STEPS = 100
MAX_STEPS = 5000
ROUNDING_PASSES = 2  # pilot runs estimating the directions' covariance (rounding)
ROUNDING_CHAINS = 1000  # each pilot: this many chains of half the steps
ROUNDING_SEED = 0x48_52  # the pilot's own seed: the rounding depends on the polytope only
SHRINK_ROUNDS = 40  # slice-sampling shrinkage rounds per step (non-uniform columns)
_EPS = 1e-12  # |a . d| below this is a move along the row (the row does not bound t)
_MIN_RADIUS = 1e-9  # Chebyshev radius below this: no interior
Orders = Sequence[Sequence[tuple[str, float]]]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Polytope:
    """The constrained set of the coordinates ``cols`` (indices into the varied numbers).

    ``a`` z <= ``b`` (first each coordinate's upper and lower bound, then the orders'
    rows); ``groups`` lists each Dirichlet group's positions in ``cols`` (a
    direction keeps each group's sum); ``start`` is the Chebyshev centre and ``radius``
    its depth. Log-density terms per coordinate: ``tri`` (triangular: lo, mode, hi, NaN
    when not triangular) and ``alpha1`` (Dirichlet alpha - 1, 0 otherwise).
    """

    cols: tuple[int, ...]
    a: FloatArray
    b: FloatArray
    groups: tuple[tuple[int, ...], ...]
    start: FloatArray
    radius: float
    tri: FloatArray  # (m, 3)
    alpha1: FloatArray  # (m,)
    shape: FloatArray  # (m, m): directions are shape @ standard normal (then projected)

    @property
    def dim(self) -> int:
        """Dimension of the set (coordinates less one per Dirichlet group)."""
        return len(self.cols) - len(self.groups)

    @property
    def uniform(self) -> bool:
        """Every coordinate uniform: a uniform point on the chord is the move (no slice)."""
        return bool(np.isnan(self.tri[:, 0]).all() and not self.alpha1.any())

    def log_density(self, zt: FloatArray) -> FloatArray:
        """Log f up to a constant of points by column (m, S) -> (S,): the non-uniform terms."""
        out = np.zeros(zt.shape[1], dtype=np.float64)
        for j in np.flatnonzero(~np.isnan(self.tri[:, 0])):
            lo, mode, hi = self.tri[j]
            x = zt[j]
            up = np.log(np.maximum(x - lo, 1e-300)) - math.log(max(mode - lo, 1e-300))
            down = np.log(np.maximum(hi - x, 1e-300)) - math.log(max(hi - mode, 1e-300))
            out += np.where(x < mode, up, down)
        for j in np.flatnonzero(self.alpha1):
            out += self.alpha1[j] * np.log(np.maximum(zt[j], 1e-300))
        return out


def _groups(varied: Sequence[Varied]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for j, v in enumerate(varied):
        if v.group is not None:
            out.setdefault(v.group, []).append(j)
    return out


def involved(varied: Sequence[Varied], orders: Orders) -> list[int]:
    """The varied columns the orders constrain: named ones and their Dirichlet groups."""
    col = {v.address: j for j, v in enumerate(varied)}
    groups = _groups(varied)
    named = {col[a] for order in orders for a, _ in order if a in col}
    out: set[int] = set()
    for j in named:
        g = varied[j].group
        if g is not None:
            out.update(groups[g])
        elif varied[j].hi > varied[j].lo:
            out.add(j)
    return sorted(out)


def _describe(orders: Orders) -> str:
    return "; ".join(" >= ".join(a for a, _ in order) for order in orders)


def constrained_set(varied: Sequence[Varied], orders: Orders) -> Polytope:
    """The polytope of the ordered weights, with its Chebyshev centre (module docstring).

    Raises :class:`~detente.errors.DetenteError` when no draw can meet the orders or
    none can with room to move (the orders named, with a hint).
    """
    return _constrained_set(tuple(varied), tuple(tuple(o) for o in orders))


@functools.lru_cache(maxsize=32)
def _constrained_set(
    varied: tuple[Varied, ...], orders: tuple[tuple[tuple[str, float], ...], ...]
) -> Polytope:
    cols = involved(varied, orders)
    pos = {j: i for i, j in enumerate(cols)}
    col = {v.address: j for j, v in enumerate(varied)}
    m = len(cols)
    rows: list[FloatArray] = []
    rhs: list[float] = []
    for i, j in enumerate(cols):  # bounds
        e = np.zeros(m)
        e[i] = 1.0
        rows += [e, -e]
        rhs += [varied[j].hi, -varied[j].lo]
    for order in orders:  # each weight at least the next one: next - this <= 0
        terms = []
        for address, stated in order:
            c = col.get(address)
            if c is not None and c in pos:
                terms.append((pos[c], 0.0))
            else:  # a weight that does not vary (or has a zero-width range)
                terms.append((-1, float(varied[c].lo) if c is not None else float(stated)))
        for (ih, ch), (il, cl) in itertools.pairwise(terms):
            e = np.zeros(m)
            if ih >= 0:
                e[ih] -= 1.0
            if il >= 0:
                e[il] += 1.0
            if ih < 0 and il < 0:
                if cl > ch:
                    raise _refusal(orders, "empty")
                continue
            rows.append(e)
            rhs.append((ch if ih < 0 else 0.0) - (cl if il < 0 else 0.0))
    a = np.array(rows, dtype=np.float64).reshape(-1, m)
    b = np.array(rhs, dtype=np.float64)
    by_group = _groups(varied)
    groups = tuple(tuple(pos[j] for j in by_group[g]) for g in by_group if by_group[g][0] in pos)
    totals = [sum(varied[cols[i]].estimate for i in g) for g in groups]
    start, radius = _centre(a, b, groups, totals, orders)
    tri = np.full((m, 3), np.nan)
    alpha1 = np.zeros(m)
    for i, j in enumerate(cols):
        v = varied[j]
        if v.group is not None:
            total = sum(varied[x].estimate for x in by_group[v.group])
            alpha1[i] = float(v.kappa or 1.0) * v.estimate / total - 1.0
        elif v.distribution == "triangular":
            mode = min(max(float(v.mode if v.mode is not None else v.estimate), v.lo), v.hi)
            tri[i] = (v.lo, mode, v.hi)
    poly = Polytope(tuple(cols), a, b, groups, start, radius, tri, alpha1, np.eye(m))
    with one_blas_thread():
        for _ in range(ROUNDING_PASSES):
            poly = dataclasses.replace(poly, shape=_rounding(poly))
    return poly


def _rounding(poly: Polytope) -> FloatArray:
    """A Cholesky factor of the covariance of :data:`ROUNDING_CHAINS` chains' ends.

    Hit-and-run with directions drawn from N(0, S) is hit-and-run on the polytope mapped
    by S^(-1/2): with S near the target's covariance the body is near round there, and
    mixes far faster than a thin one (Lovász & Vempala 2006 round before sampling). The
    pilot chains have a fixed seed sequence, so S is a function of the polytope only.
    """
    m = len(poly.cols)
    seed = np.random.SeedSequence(ROUNDING_SEED)
    z = _run(poly, seed, ROUNDING_CHAINS, ROUNDING_CHAINS, max(1, steps(poly) // 2))
    cov: FloatArray = np.asarray(np.cov(z, rowvar=False), dtype=np.float64).reshape(m, m)
    cov += np.eye(m) * max(1e-9, 1e-6 * float(np.trace(cov)) / m)
    out = np.linalg.cholesky(cov)
    return np.asarray(out, dtype=np.float64)


def _refusal(orders: Orders, why: str) -> DetenteError:
    what = (
        "no draw of the varied weights can meet them"
        if why == "empty"
        else "they leave the varied weights no room to move (they pin a weight to another "
        "or to a bound)"
    )
    return DetenteError(
        f"the weight orders of the uncertainty section ({_describe(orders)}): {what}; "
        "widen the weights' ranges or drop an order"
    )


def _project(a: FloatArray, groups: Sequence[Sequence[int]]) -> FloatArray:
    """Rows (or directions) with each group's mean taken out: into the sum-keeping subspace."""
    out = a.copy()
    for g in groups:
        idx = list(g)
        out[..., idx] -= out[..., idx].mean(axis=-1, keepdims=True)
    return out


def _centre(
    a: FloatArray,
    b: FloatArray,
    groups: Sequence[Sequence[int]],
    totals: Sequence[float],
    orders: Orders,
) -> tuple[FloatArray, float]:
    """Chebyshev centre of {a z <= b, group sums = totals} within the groups' subspace.

    max rho s.t. a_i z + rho |P a_i| <= b_i (P the projection keeping group sums), so the
    ball of radius rho around z in the subspace stays inside. GLOP (OR-Tools).
    """
    from ortools.linear_solver import pywraplp

    m = a.shape[1]
    if m - len(groups) <= 0:
        raise _refusal(orders, "flat")
    norms = np.linalg.norm(_project(a, groups), axis=1)
    solver = pywraplp.Solver.CreateSolver("GLOP")
    inf = solver.infinity()
    z = [solver.NumVar(-inf, inf, f"z{i}") for i in range(m)]
    rho = solver.NumVar(0.0, 1.0, "rho")
    for row, rhs, nrm in zip(a, b, norms, strict=True):
        ct = solver.Constraint(-inf, float(rhs))
        for q in np.flatnonzero(row):
            ct.SetCoefficient(z[q], float(row[q]))
        ct.SetCoefficient(rho, float(nrm))
    for g, total in zip(groups, totals, strict=True):
        ct = solver.Constraint(float(total), float(total))
        for i in g:
            ct.SetCoefficient(z[i], 1.0)
    solver.Maximize(rho)
    status = solver.Solve()
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        raise _refusal(orders, "empty")
    radius = float(rho.solution_value())
    if radius < _MIN_RADIUS:
        raise _refusal(orders, "flat")
    return np.array([v.solution_value() for v in z], dtype=np.float64), radius


def steps(poly: Polytope) -> int:
    """Steps per chain: :data:`STEPS_PER_DIM2` d^2, within [MIN_STEPS, MAX_STEPS]."""
    return min(MAX_STEPS, max(MIN_STEPS, STEPS_PER_DIM2 * poly.dim**2))


def chains(
    poly: Polytope, seeds: Sequence[np.random.SeedSequence], n: int, block: int
) -> FloatArray:
    """``n`` draws (n, len(cols)): the ends of ``n`` chains of :func:`steps` steps.

    Chains come in blocks of ``block``, block j drawing from ``seeds[j]`` arrays of
    ``block`` rows per step whatever ``n`` (so chain i's draw does not depend on n).
    """
    out = np.empty((n, len(poly.cols)), dtype=np.float64)
    with one_blas_thread():
        for j, start in enumerate(range(0, n, block)):
            rows = min(block, n - start)
            out[start : start + rows] = _run(poly, seeds[j], rows, block)
    return out


def _run(
    poly: Polytope, seed: np.random.SeedSequence, rows: int, block: int, n_steps: int = 0
) -> FloatArray:
    """``rows`` chains of ``n_steps`` (default :func:`steps`) steps from the start.

    Step s draws from the block's generator jumped s + 1 times (PCG64 jumps), ``block``
    rows of each array whatever ``rows``: a chain's draws depend on its row only, however
    many shrinkage rounds the other rows of a step needed. Points are held by column
    (m, rows), so the chord's bounds are reductions over the short axis.
    """
    m = len(poly.cols)
    hi, lo = poly.b[0 : 2 * m : 2, None], -poly.b[1 : 2 * m : 2, None]
    rows_a, rows_b = poly.a[2 * m :], poly.b[2 * m :, None]
    zt = np.repeat(poly.start[:, None], rows, axis=1)
    logf = None if poly.uniform else poly.log_density(zt)
    jumps = _Jumps(np.random.PCG64(seed))
    rng = jumps.generator
    shape_t = poly.shape.T
    for step in range(n_steps or steps(poly)):
        jumps.to(step + 1)
        # the products keep the transposed layout the draws always had (BLAS sums
        # depend on it); the elementwise work runs on a contiguous copy (same floats)
        dt_blas = _project(rng.standard_normal((block, m))[:rows] @ shape_t, poly.groups).T
        dt = np.ascontiguousarray(dt_blas)
        u = rng.random(block)[:rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            inv = 1.0 / dt
            r1 = (hi - zt) * inv
            r2 = (lo - zt) * inv
            t_hi = np.fmax(r1, r2).min(axis=0)
            t_lo = np.fmin(r1, r2).max(axis=0)
            if len(rows_a):
                ad = rows_a @ dt_blas
                slack = np.maximum(rows_b - rows_a @ zt, 0.0)
                ratio = slack / ad
                np.minimum(t_hi, np.where(ad > _EPS, ratio, np.inf).min(axis=0), out=t_hi)
                np.maximum(t_lo, np.where(ad < -_EPS, ratio, -np.inf).max(axis=0), out=t_lo)
        if logf is None:  # uniform: a uniform point on the chord
            zt += (t_lo + u * (t_hi - t_lo)) * dt
            continue
        t, logf = _slice(poly, rng, zt, dt, t_lo, t_hi, u, logf, block)
        zt += t * dt
    return np.ascontiguousarray(zt.T)


# PCG64.jumped(k) advances a copy of the state by k times this (numpy's jump step): a
# generator re-pointed at state + k steps costs a quarter of jumped's fresh generator
_JUMP = 0x9E3779B97F4A7C15F39CC0605CEDC835


@functools.cache
def _jump_is_advance() -> bool:
    """Whether ``jumped(k)`` is ``advance(k * _JUMP)`` in this numpy (checked once)."""
    probe, walker = np.random.PCG64(1), np.random.PCG64(0)
    walker.state = probe.state
    walker.advance(_JUMP * 3)
    return bool(walker.state == probe.jumped(3).state)


class _Jumps:
    """One generator set to the state of ``bits.jumped(k)`` for successive k."""

    def __init__(self, bits: np.random.PCG64) -> None:
        self._bits = bits
        self._state = bits.state
        self._walker = np.random.PCG64(0)
        self.generator = np.random.Generator(self._walker)
        self._advance = _jump_is_advance()

    def to(self, k: int) -> None:
        """Point :attr:`generator` at the state of ``bits.jumped(k)``."""
        if self._advance:
            self._walker.state = self._state
            self._walker.advance(_JUMP * k)
        else:  # pragma: no cover - a numpy whose jump step changed
            self._walker.state = self._bits.jumped(k).state


def _slice(
    poly: Polytope,
    rng: np.random.Generator,
    zt: FloatArray,
    dt: FloatArray,
    lo: FloatArray,
    hi: FloatArray,
    u: FloatArray,
    logf: FloatArray,
    block: int,
) -> tuple[FloatArray, FloatArray]:
    """Slice sampling of f along each chord (Neal 2003, shrinkage): the move t, new log f.

    The level is log f(z) minus a standard exponential; a point uniform on [lo, hi] is
    taken when f is above the level there, else the interval shrinks to it (toward t = 0,
    which is above the level) and another is tried, all chains at once; after
    :data:`SHRINK_ROUNDS` a chain still below stays where it is.
    """
    rows = zt.shape[1]
    level = logf - rng.standard_exponential(block)[:rows]
    t = lo + u * (hi - lo)
    move = np.zeros(rows)
    new = logf.copy()
    # only the chains still below their level are evaluated again (most take the first
    # point): the same elementwise arithmetic on fewer columns, the same draws per round
    idx = np.arange(rows)
    z, d = zt, dt
    for r in range(SHRINK_ROUNDS):
        if r:
            t = lo + rng.random(block)[:rows][idx] * (hi - lo)
        lp = poly.log_density(z + t * d)
        ok = lp > level
        move[idx[ok]] = t[ok]
        new[idx[ok]] = lp[ok]
        if ok.all():
            break
        left = ~ok
        idx, t, level, z, d = idx[left], t[left], level[left], z[:, left], d[:, left]
        lo = np.where(t < 0, t, lo[left])
        hi = np.where(t >= 0, t, hi[left])
    return move, new
