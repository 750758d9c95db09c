"""Seeded draws of the varied numbers, chunk by chunk.

Chunk k of a run (draws ``k * CHUNK .. (k + 1) * CHUNK - 1``) is drawn from
``numpy.random.SeedSequence(seed, spawn_key=(k,))``, one child sequence per varied
number (or per Dirichlet group), each filling its column in one call: so a chunk's draws
do not depend on which worker draws it, a short run's draws are a prefix of a long
run's, and no global random state is touched. Distributions: uniform on [lo, hi];
triangular (lo, mode, hi); all of one party's weights from a Dirichlet centred on the
stated weights (alpha = kappa * w / sum w, scaled back to the stated sum). Firmness is
a whole number (1-10): its draws are uniform (or triangular) over the whole numbers of
its range. Weight orders (``order: [x, y]``) are met by rejection, with the acceptance
rate reported (:func:`draw_constrained`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from detente.errors import LimitError
from detente.scenario.uncertainty_checks import Varied

__all__ = [
    "CHUNK",
    "MIN_ACCEPTANCE",
    "chunk_bounds",
    "draw_chunk",
    "draw_constrained",
    "estimates",
    "n_streams",
]

CHUNK = 1000  # draws per seeded chunk: fixed, so results do not depend on workers
MIN_ACCEPTANCE = 0.001  # weight orders meeting fewer draws are refused
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
    varied: Sequence[Varied], orders: Orders, seed: int, k: int, n: int
) -> tuple[FloatArray, int, int]:
    """Chunk ``k``'s ``n`` draws meeting the weight ``orders``; candidates drawn, accepted.

    Without orders the draws are those of one call per column. With orders, candidates
    come in rounds of :data:`CHUNK` from the same streams and those breaking an order
    are rejected (the acceptance rate is accepted / drawn); the accepted ones are a fixed
    sequence, so a short chunk is still a prefix of a long one. Raises
    :class:`~detente.errors.LimitError` when fewer than :data:`MIN_ACCEPTANCE` of the
    candidates meet the orders.
    """
    groups = _groups(varied)
    children = np.random.SeedSequence(seed, spawn_key=(k,)).spawn(len(groups))
    rngs = [np.random.Generator(np.random.PCG64(c)) for c in children]
    if not orders:
        return _candidates(varied, groups, rngs, n), n, n
    col = {v.address: j for j, v in enumerate(varied)}
    kept: list[FloatArray] = []
    got = drawn = 0
    while got < n:
        cand = _candidates(varied, groups, rngs, CHUNK)
        ok = np.ones(CHUNK, dtype=np.bool_)
        for order in orders:
            vals = [cand[:, col[a]] if a in col else np.full(CHUNK, x) for a, x in order]
            for hi, lo in itertools.pairwise(vals):
                ok &= hi >= lo
        kept.append(cand[ok])
        got += int(ok.sum())
        drawn += CHUNK
        if drawn >= 20 * CHUNK and got < MIN_ACCEPTANCE * drawn:
            raise LimitError(
                f"the weight orders of the uncertainty section accept {got:,} of {drawn:,} "
                "draws; widen the weights' ranges or drop an order"
            )
    return np.concatenate(kept, axis=0)[:n], drawn, got


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
