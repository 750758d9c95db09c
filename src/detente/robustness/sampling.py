"""Seeded draws of the varied numbers, chunk by chunk.

Chunk k of a run (draws ``k * CHUNK .. (k + 1) * CHUNK - 1``) is drawn from
``numpy.random.SeedSequence(seed, spawn_key=(k,))``, one child sequence per varied
number (or per Dirichlet group), each filling its column in one call: so a chunk's draws
do not depend on which worker draws it, a short run's draws are a prefix of a long
run's, and no global random state is touched. Distributions: uniform on [lo, hi];
triangular (lo, mode, hi); all of one party's weights from a Dirichlet centred on the
stated weights (alpha = kappa * w / sum w, scaled back to the stated sum); a measured
option value from the normal (mean + sd z) or lognormal (exp(mu + sigma z)) of its
measurement, z standard normal, mapped by its scale to (x - worst) / (best - worst)
(a measured range or triangular is drawn in value units: the linear map of a uniform or
triangular measurement is one). Firmness is
a whole number (1-10): its draws are uniform (or triangular) over the whole numbers of
its range. Weight orders (``order: [x, y]``) are met by rejection, with the acceptance
rate reported (:func:`draw_constrained`), or, when fewer than :data:`HIT_AND_RUN_BELOW`
of the candidates meet them, by hit-and-run over the constrained weights
(:mod:`detente.robustness.hit_and_run`), targeting the same distribution.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from detente.errors import LimitError
from detente.robustness.hit_and_run import chains, constrained_set
from detente.scenario.uncertainty_checks import Varied

__all__ = [
    "CHUNK",
    "HIT_AND_RUN",
    "HIT_AND_RUN_BELOW",
    "MIN_ACCEPTANCE",
    "REJECTION",
    "chunk_bounds",
    "draw_chunk",
    "draw_constrained",
    "estimates",
    "hit_and_run_stream",
    "n_streams",
    "sampler",
]

CHUNK = 1000  # draws per seeded chunk: fixed, so results do not depend on workers
MIN_ACCEPTANCE = 0.001  # rejection meeting fewer draws (after 20 rounds) is refused
HIT_AND_RUN_BELOW = 0.01  # the orders' acceptance below which hit-and-run draws instead
PILOT_ROUNDS = 5  # rounds of chunk 0's candidates deciding the sampler of a run
REJECTION = "rejection"
HIT_AND_RUN = "hit-and-run"
Orders = Sequence[Sequence[tuple[str, float]]]
FloatArray = npt.NDArray[np.float64]


def chunk_bounds(draws: int) -> list[tuple[int, int]]:
    """(chunk index, draws in it) for a run of ``draws`` draws."""
    return [(k, min(CHUNK, draws - k * CHUNK)) for k in range(math.ceil(draws / CHUNK))]


def estimates(varied: Sequence[Varied]) -> FloatArray:
    """The stated values of the varied numbers (the draw at the estimates)."""
    return np.array([v.estimate for v in varied], dtype=np.float64)


def n_streams(varied: Sequence[Varied]) -> int:
    """Child streams a chunk uses for the numbers; the next index is free (swaps use it)."""
    return len(_groups(varied))


def _groups(varied: Sequence[Varied]) -> list[list[int]]:
    out: list[list[int]] = []
    seen: dict[str, int] = {}
    for j, v in enumerate(varied):
        if v.group is not None:
            if v.group not in seen:
                seen[v.group] = len(out)
                out.append([])
            out[seen[v.group]].append(j)
        else:
            out.append([j])
    return out


def draw_chunk(varied: Sequence[Varied], seed: int, k: int, n: int) -> FloatArray:
    """The ``n`` draws (n, len(varied)) of chunk ``k`` of a run seeded with ``seed``."""
    return draw_constrained(varied, (), seed, k, n)[0]


def draw_constrained(
    varied: Sequence[Varied],
    orders: Orders,
    seed: int,
    k: int,
    n: int,
    *,
    method: str | None = None,
) -> tuple[FloatArray, int, int]:
    """Chunk ``k``'s ``n`` draws meeting the weight ``orders``; candidates drawn, accepted.

    Without orders the draws are those of one call per column. With orders, candidates
    come in rounds of :data:`CHUNK` from the same streams. When the run's sampler
    (:func:`sampler`) is rejection, those breaking an order are rejected (the acceptance
    rate is accepted / drawn) and the accepted ones are a fixed sequence, so a short
    chunk is still a prefix of a long one; :class:`~detente.errors.LimitError` when fewer
    than :data:`MIN_ACCEPTANCE` of the candidates meet the orders. When it is hit-and-run,
    the columns no order constrains are the candidates' (independent draws), the others
    the ends of hit-and-run chains (:mod:`detente.robustness.hit_and_run`) seeded from
    child :func:`hit_and_run_stream` of the chunk's seed sequence; drawn and accepted are
    then the candidates' counts (the acceptance rejection would have). ``method``
    overrides the run's sampler (tests compare the two).
    """
    groups = _groups(varied)
    children = np.random.SeedSequence(seed, spawn_key=(k,)).spawn(len(groups))
    rngs = [np.random.Generator(np.random.PCG64(c)) for c in children]
    if not orders:
        return _candidates(varied, groups, rngs, n), n, n
    if (method or sampler(varied, orders, seed)) == HIT_AND_RUN:
        return _by_hit_and_run(varied, orders, groups, rngs, seed, k, n)
    kept: list[FloatArray] = []
    got = drawn = 0
    while got < n:
        cand = _candidates(varied, groups, rngs, CHUNK)
        ok = _meets(varied, orders, cand)
        kept.append(cand[ok])
        got += int(ok.sum())
        drawn += CHUNK
        if drawn >= 20 * CHUNK and got < MIN_ACCEPTANCE * drawn:
            raise LimitError(
                f"the weight orders of the uncertainty section accept {got:,} of {drawn:,} "
                "draws; widen the weights' ranges or drop an order"
            )
    return np.concatenate(kept, axis=0)[:n], drawn, got


def _meets(varied: Sequence[Varied], orders: Orders, cand: FloatArray) -> npt.NDArray[np.bool_]:
    """Which candidate rows meet every order (a weight at least the next one)."""
    col = {v.address: j for j, v in enumerate(varied)}
    ok = np.ones(cand.shape[0], dtype=np.bool_)
    for order in orders:
        vals = [cand[:, col[a]] if a in col else np.full(cand.shape[0], x) for a, x in order]
        for hi, lo in itertools.pairwise(vals):
            ok &= hi >= lo
    return ok


def hit_and_run_stream(varied: Sequence[Varied]) -> int:
    """The child stream of a chunk's seed sequence the hit-and-run chains draw from.

    Children 0 .. n_streams - 1 are the columns', n_streams the preference swaps'
    (:func:`detente.robustness.gmcr.swap_support`): the chains take the next one.
    """
    return n_streams(varied) + 1


def sampler(varied: Sequence[Varied], orders: Orders, seed: int) -> str:
    """The run's sampler for the orders: ``rejection`` or ``hit-and-run``.

    Decided once per run, on the first :data:`PILOT_ROUNDS` rounds of chunk 0's
    candidates: hit-and-run when fewer than :data:`HIT_AND_RUN_BELOW` of them meet the
    orders, so every chunk of a run (and the confidence draws) uses the same sampler,
    whichever worker draws it.
    """
    return _sampler(tuple(varied), tuple(tuple(o) for o in orders), seed)


@functools.lru_cache(maxsize=64)
def _sampler(
    varied: tuple[Varied, ...], orders: tuple[tuple[tuple[str, float], ...], ...], seed: int
) -> str:
    if not orders:
        return REJECTION
    groups = _groups(varied)
    children = np.random.SeedSequence(seed, spawn_key=(0,)).spawn(len(groups))
    rngs = [np.random.Generator(np.random.PCG64(c)) for c in children]
    ok = np.concatenate(
        [
            _meets(varied, orders, _candidates(varied, groups, rngs, CHUNK))
            for _ in range(PILOT_ROUNDS)
        ]
    )
    return HIT_AND_RUN if ok.mean() < HIT_AND_RUN_BELOW else REJECTION


def _by_hit_and_run(
    varied: Sequence[Varied],
    orders: Orders,
    groups: list[list[int]],
    rngs: list[np.random.Generator],
    seed: int,
    k: int,
    n: int,
) -> tuple[FloatArray, int, int]:
    poly = constrained_set(varied, orders)  # refuses an empty or flat set first
    rounds = [_candidates(varied, groups, rngs, CHUNK) for _ in range(max(1, math.ceil(n / CHUNK)))]
    cand = np.concatenate(rounds, axis=0)
    accepted = int(_meets(varied, orders, cand).sum())
    out = cand[:n].copy()
    out[:, list(poly.cols)] = _chains(tuple(varied), tuple(tuple(o) for o in orders), seed, k, n)
    return out, cand.shape[0], accepted


@functools.lru_cache(maxsize=4)
def _chains(
    varied: tuple[Varied, ...],
    orders: tuple[tuple[tuple[str, float], ...], ...],
    seed: int,
    k: int,
    n: int,
) -> FloatArray:
    """Chunk k's chains (kept for a few calls: the confidence draws repeat one chunk)."""
    poly = constrained_set(varied, orders)
    base = (k, hit_and_run_stream(varied))
    blocks = max(1, math.ceil(n / CHUNK))
    seeds = [np.random.SeedSequence(seed, spawn_key=(*base, b)) for b in range(blocks)]
    out = chains(poly, seeds, n, CHUNK)
    out.setflags(write=False)
    return out


def _candidates(
    varied: Sequence[Varied], groups: list[list[int]], rngs: list[np.random.Generator], n: int
) -> FloatArray:
    out = np.empty((n, len(varied)), dtype=np.float64)
    for cols, rng in zip(groups, rngs, strict=True):
        v = varied[cols[0]]
        if v.group is not None:
            w = np.array([varied[j].estimate for j in cols], dtype=np.float64)
            total = float(w.sum())
            kappa = float(v.kappa or 1.0)
            out[:, cols] = rng.dirichlet(kappa * w / total, size=n) * total
            continue
        j = cols[0]
        if not v.bounded:
            assert v.measurement is not None and v.scale is not None
            x = v.measurement[0] + v.measurement[1] * rng.standard_normal(size=n)
            if v.distribution == "lognormal":
                np.exp(x, out=x)
            out[:, j] = (x - v.scale[0]) / (v.scale[1] - v.scale[0])
            continue
        integer = v.kind == "firmness"
        lo, hi = (math.ceil(v.lo), math.floor(v.hi)) if integer else (v.lo, v.hi)
        if v.distribution == "triangular" and hi > lo:
            mode = min(max(float(v.mode if v.mode is not None else v.estimate), lo), hi)
            if integer:  # triangular over the whole numbers: widen by half a step each side
                x = rng.triangular(lo - 0.5, mode, hi + 0.5, size=n)
                out[:, j] = np.clip(np.rint(x), lo, hi)
            else:
                out[:, j] = rng.triangular(lo, mode, hi, size=n)
        else:
            u = rng.random(size=n)
            if integer:
                out[:, j] = np.minimum(lo + np.floor(u * (hi - lo + 1)), hi)
            else:
                out[:, j] = lo + u * (hi - lo)
    return out
