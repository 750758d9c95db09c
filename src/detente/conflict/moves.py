"""Unilateral moves R_i and improvements R_i^+ as vectorised operators over state codes.

A decision maker's unilateral move changes only its own option bits (Fang, Hipel &
Kilgour 1993, sec. 2.2): from a code ``s`` it reaches the codes that agree with ``s`` on
every other decision maker's bits. Reshaping an array over all ``2**n`` codes to
``(high, own, low)`` puts the mover's own sub-state on the middle axis, so every move of
every state is one step along that axis. The only per-mover structure is a small
``own x own`` matrix of allowed local moves (irreversible options forbid some); target
feasibility comes from the array itself (infeasible codes hold the neutral value).

:func:`min_over_moves` is the single primitive: ``out[s] = min over t in R_i(s) of x[t]``
(optionally only over improvements ``u_i(t) > u_i(s)``). Existence, reachability and
"best/worst reachable" queries all reduce to it. No dense state-by-state matrix is built:
memory is a few arrays of ``2**n`` entries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from detente.conflict.model import CompiledConflict, DecisionMakerBits

__all__ = [
    "INF",
    "MoveStructure",
    "min_over_moves",
    "max_over_moves",
    "min_over_moves_fn",
    "neighbours",
    "reverse",
]

INF = np.iinfo(np.int64).max
Arr = npt.NDArray[np.int64]
# Largest gather of candidate moves (entries) done at once; bigger ones go in blocks of
# own sub-states, so memory stays a few arrays of 2**n entries.
BLOCK = 1 << 16
# Largest prepared gather (entries) kept by :func:`min_over_moves_fn` across calls.
PREPARED = 1 << 18


@dataclass(frozen=True, eq=False)
class MoveStructure:
    """Allowed local moves of one decision maker: ``allowed[a]`` = own sub-states from ``a``."""

    dm: DecisionMakerBits
    shape: tuple[int, int, int]
    allowed: tuple[npt.NDArray[np.intp], ...]
    free: bool  # no irreversible option: every other own sub-state is allowed

    @classmethod
    def of(cls, cc: CompiledConflict, dm: DecisionMakerBits) -> MoveStructure:
        """The local moves of ``dm`` in ``cc``: changes of its own options, one-way ones respected.

        A unilateral move changes only the mover's option bits (Fang, Hipel & Kilgour
        1993, sec. 2.2); an option declared forward (N to Y) or backward only may not be
        reversed.
        """
        k = dm.hi - dm.lo
        size = dm.size
        local = np.arange(size)
        a = local[:, None]
        b = local[None, :]
        ok = a != b
        for j in range(k):
            abit = (a >> j) & 1
            bbit = (b >> j) & 1
            if cc.forward[dm.lo + j]:  # only N -> Y: never go from Y back to N
                ok &= ~((abit == 1) & (bbit == 0))
            if cc.backward[dm.lo + j]:  # only Y -> N
                ok &= ~((abit == 0) & (bbit == 1))
        allowed = tuple(np.flatnonzero(ok[i]) for i in range(size))
        shape = (1 << (cc.n_options - dm.hi), size, 1 << dm.lo)
        free = not any(cc.forward[dm.lo : dm.hi]) and not any(cc.backward[dm.lo : dm.hi])
        return cls(dm, shape, allowed, free)

    @cached_property
    def table(self) -> npt.NDArray[np.intp]:
        """``allowed`` as one ``own x width`` index array, short rows padded with ``own``."""
        size = self.dm.size
        width = max((t.size for t in self.allowed), default=0)
        out = np.full((size, width), size, dtype=np.intp)
        for a, targets in enumerate(self.allowed):
            out[a, : targets.size] = targets
        return out


def reverse(ms: MoveStructure) -> MoveStructure:
    """The inverse relation: ``reverse(ms).allowed[b]`` = own sub-states that can move to ``b``."""
    size = ms.dm.size
    ok = np.zeros((size, size), dtype=bool)
    for a, targets in enumerate(ms.allowed):
        ok[a, targets] = True
    allowed = tuple(np.flatnonzero(ok[:, b]) for b in range(size))
    return MoveStructure(ms.dm, ms.shape, allowed, ms.free)


def min_over_moves(ms: MoveStructure, x: Arr, improve: Arr | None = None) -> Arr:
    """``out[s] = min {x[t] : t in R_i(s)}`` (``INF`` when empty), for every code ``s``.

    Parameters
    ----------
    ms
        The mover's move structure.
    x
        Values over all codes; infeasible codes must hold ``INF``.
    improve
        The mover's utility over all codes: when given, only improvements count
        (``t in R_i^+(s)``, i.e. ``improve[t] > improve[s]``).
    """
    xr = x.reshape(ms.shape)
    high, size, low = ms.shape
    if improve is None and ms.free:
        # every other own sub-state is allowed: the block's least value, and at the one
        # place holding it (if no other does) the second least
        if size == 2:
            return xr[:, ::-1, :].copy().reshape(-1)
        two = np.partition(xr, 1, axis=1)
        m1, m2 = two[:, :1, :], two[:, 1:2, :]
        out: Arr = np.where(xr == m1, m2, m1).reshape(-1)
        return out
    table = ms.table
    width = table.shape[1]
    res = np.full(ms.shape, INF, dtype=np.int64)
    if width == 0:
        return res.reshape(-1)
    # padding index ``size`` reads an INF column: a missing move never wins the minimum
    xp = np.concatenate([xr, np.full((high, 1, low), INF, dtype=np.int64)], axis=1)
    up = None
    if improve is not None:
        ur = improve.reshape(ms.shape)
        up = np.concatenate([ur, ur[:, :1, :]], axis=1)  # the padding's value is never used
    step = max(1, BLOCK // max(1, high * width * low))
    for a in range(0, size, step):
        rows = table[a : a + step]
        cand = xp[:, rows, :]  # (high, rows, width, low)
        if up is not None:
            better = up[:, rows, :] > up[:, a : a + rows.shape[0], None, :]
            cand = np.where(better, cand, INF)
        res[:, a : a + rows.shape[0], :] = cand.min(axis=2)
    return res.reshape(-1)


def min_over_moves_fn(ms: MoveStructure, improve: Arr | None = None) -> Callable[[Arr], Arr]:
    """``x -> min_over_moves(ms, x, improve)``, prepared once for many calls.

    A fixed point calls the same mover's minimum once per sweep: the candidate moves
    (improvements only, when ``improve`` is given) are gathered as one index array into
    ``x`` with a trailing ``INF``, so a call is one gather and one minimum instead of
    comparing utilities again. Falls back to :func:`min_over_moves` on the free path
    (already two partitions) and when the index would exceed :data:`PREPARED` entries.
    """
    high, size, low = ms.shape
    table = ms.table
    width = table.shape[1]
    if (improve is None and ms.free) or width == 0 or high * size * width * low > PREPARED:
        return lambda x: min_over_moves(ms, x, improve)
    n = high * size * low
    # flat index of (h, target, l) for each (h, a, w, l); padding reads x[n] = INF
    h = np.arange(high, dtype=np.int64)[:, None, None, None]
    lo = np.arange(low, dtype=np.int64)[None, None, None, :]
    t = table.astype(np.int64)[None, :, :, None]
    gather = np.where(t < size, (h * size + t) * low + lo, n)
    if improve is not None:
        ue = np.append(improve, improve[:1])  # the padding's value is never used
        here = improve.reshape(ms.shape)[:, :, None, :]
        gather = np.where(ue[gather] > here, gather, n)
    pad = np.array([INF], dtype=np.int64)

    def run(x: Arr) -> Arr:
        out: Arr = np.concatenate([x, pad])[gather].min(axis=2).reshape(-1)
        return out

    return run


def max_over_moves(ms: MoveStructure, x: Arr, improve: Arr | None = None) -> Arr:
    """``out[s] = max {x[t] : t in R_i(s)}``, ``-INF`` when empty; infeasible codes hold ``-INF``."""
    return -min_over_moves(ms, -x, improve)


def neighbours(cc: CompiledConflict, ms: MoveStructure, code: int) -> npt.NDArray[np.int64]:
    """Feasible codes one decision maker reaches from ``code`` in one move (one state only)."""
    lo = ms.dm.lo
    own = (code >> lo) & (ms.dm.size - 1)
    base = code & ~((ms.dm.size - 1) << lo)
    targets = base | (ms.allowed[own].astype(np.int64) << lo)
    found: npt.NDArray[np.int64] = targets[cc.feasible[targets]]
    return found
