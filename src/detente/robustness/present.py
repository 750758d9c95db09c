"""The (pattern, failing parties) table of a batch of draws.

*present[S, P, f]*: whether, in draw S, some row of red-line pattern P leaves exactly
the parties in f below their reservation; :mod:`detente.robustness.conclusions` derives
every gap and bridge from it (its module docstring).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from detente.robustness.model import Compiled, Params, party_utilities, thresholds

__all__ = ["fail_bits", "present_table", "raw_utilities"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
# one-hot words of a row's failing set per number of parties (one bit per subset)
_ONE_HOT: dict[int, type[np.unsignedinteger[Any]]] = {
    1: np.uint8,
    2: np.uint8,
    3: np.uint8,
    4: np.uint16,
    5: np.uint32,
    6: np.uint64,
}


def fail_bits(us: Sequence[FloatArray], r: FloatArray) -> npt.NDArray[np.uint8]:
    """Per draw and row, the bits of the parties below their reservation (k <= 8).

    ``us`` are unrounded utilities, compared with :func:`thresholds` of ``r``.
    """
    t = thresholds(r)
    fail = np.zeros(us[0].shape, dtype=np.uint8)
    for i, u in enumerate(us):
        fail |= (u < t[:, i : i + 1]).view(np.uint8) << np.uint8(i)
    return fail


def present_table(model: Compiled, us: Sequence[FloatArray], p: Params) -> BoolArray:
    """Present (S, n_patterns, 2^k) of a batch (module docstring).

    Rows are grouped by pattern, so each (draw, pattern) is one ``reduceat`` segment.
    Each row's failing set f is reduced as one bit, ``1 << f`` = the product over parties
    of 1 + (2^(2^i) - 1) [party i below]: a single reduction for every f at once.
    """
    k = len(us)
    starts = np.flatnonzero(np.r_[True, model.pattern[1:] != model.pattern[:-1]])
    dtype = _ONE_HOT.get(k)
    if dtype is None or not us[0].size:  # more parties than a one-hot word holds
        fail = fail_bits(us, p.reservation)
        out = np.empty((fail.shape[0], len(starts), 1 << k), dtype=np.bool_)
        for f in range(1 << k):
            out[:, :, f] = np.logical_or.reduceat(fail == f, starts, axis=1)
        return out
    t = thresholds(p.reservation)
    one = np.array(1, dtype=dtype)  # scalars of the word's type: its own loops, no casts
    hot = np.empty(us[0].shape, dtype=dtype)
    factor = np.empty(us[0].shape, dtype=dtype)
    below = np.empty(us[0].shape, dtype=np.bool_)
    for i, u in enumerate(us):
        np.less(u, t[:, i : i + 1], out=below)
        if i == 0:
            np.add(below, one, out=hot, dtype=dtype)
        else:
            np.multiply(below, np.array((1 << (1 << i)) - 1, dtype=dtype), out=factor, dtype=dtype)
            factor += one
            hot *= factor
    acc = np.bitwise_or.reduceat(hot, starts, axis=1)
    shifts = np.arange(1 << k, dtype=dtype)
    return np.asarray((acc[:, :, None] >> shifts[None, None, :]) & one, dtype=np.bool_)


class _Last(threading.local):
    """Per thread, per model, the last batch's coefficients and utilities (per ``zopa``)."""

    def __init__(self) -> None:
        self.by_model: weakref.WeakKeyDictionary[
            Compiled, dict[bool, tuple[Params, list[FloatArray]]]
        ]
        self.by_model = weakref.WeakKeyDictionary()


_LAST = _Last()


def _same_coefficients(a: Params, b: Params) -> bool:
    return all(
        np.array_equal(x, y)
        for xs, ys in ((a.coef, b.coef), (a.worst, b.worst), (a.scale, b.scale))
        for x, y in zip(xs, ys, strict=True)
    )


def raw_utilities(model: Compiled, p: Params, *, zopa: bool) -> list[FloatArray]:
    """Unrounded :func:`party_utilities`, the last batch's again for equal coefficients.

    The arrays returned are shared: callers only read them.

    Batches of equal coefficients are common: the confidence draws (the preference numbers
    at one central vector) and the one-at-a-time rows moving a reservation or a firmness
    come in several padded sub-batches of the same shape, whose products are the same.
    """
    last = _LAST.by_model.setdefault(model, {})
    hit = last.get(zopa)
    if hit is not None and _same_coefficients(hit[0], p):
        return hit[1]
    us = party_utilities(model, p, zopa=zopa, raw=True)
    last[zopa] = (p, us)
    return us
