"""Fast inverse-utility search: "the worst outcome at or above a level", in O(log n).

A time-based negotiator asks, at every turn, for the outcome of *lowest* own utility at
least ``L`` among the outcomes it may offer (its feasible set: its red lines and
reservation kept); ties go to the lowest outcome index, i.e. the first in the space's
enumeration order. NegMAS 0.16 answers it by scanning every outcome on every proposal
(``PresortingInverseUtilityFunction``: a binary search followed by a vectorised scan of
the whole utility array), so a step costs O(|outcomes|). Here the feasible outcomes are
sorted once by (utility, index) and each query is a binary search, so a step costs
O(log |outcomes|) whatever the size of the space.

The sort is one ``np.sort`` of packed 64-bit keys: canonical utilities are multiples of
10**-12 (:data:`detente.space.outcomes.UTILITY_DECIMALS`), so ``rint(u * 1e12)`` is an
exact integer below 2**40, and the outcome index fits the low 24 bits for spaces of up to
2**24 outcomes; a key ``(grid << 24) | index`` then sorts by utility and, among equal
utilities, by index (in place, in one buffer). Larger spaces fall back to a (slower)
``np.lexsort``. The sorted utilities are read back from the utility array itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.space.outcomes import UTILITY_DECIMALS

__all__ = ["NEGMAS_SLACK", "SortedUtilities", "sort_feasible"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_SCALE = 10.0**UTILITY_DECIMALS
_INDEX_BITS = 24
NEGMAS_SLACK = 1e-6  # NegMAS 0.16's lookup slack below the level (research SPEC, rule T5)


@dataclass(frozen=True, eq=False)
class SortedUtilities:
    """One party's feasible outcomes sorted by (own utility, outcome index), ascending.

    ``values[j]`` is the utility of outcome ``order[j]``; both arrays are read-only.
    Empty when the party can offer nothing (its red lines exclude every outcome).
    """

    values: FloatArray
    order: IntArray

    def __len__(self) -> int:
        return len(self.order)

    @property
    def best(self) -> int:
        """The feasible outcome of highest utility (lowest index among ties)."""
        v = self.values
        return int(self.order[int(np.searchsorted(v, v[-1], "left"))])

    def rank_at_least(self, level: float) -> int:
        """Position of the first outcome with utility >= ``level`` (len when none)."""
        return int(self.values.searchsorted(level, "left"))

    def at_least(self, level: float) -> int:
        """The lowest-utility outcome with utility >= ``level``, lowest index among ties.

        Above the best utility the best outcome is returned (the level is unreachable).
        """
        j = int(self.values.searchsorted(level, "left"))
        if j >= len(self.order):
            return self.best
        return int(self.order[j])

    def at_least_many(self, levels: npt.ArrayLike) -> IntArray:
        """:meth:`at_least` for many levels at once (one vectorised binary search)."""
        j = self.values.searchsorted(np.asarray(levels, dtype=np.float64), "left")
        top = len(self.order)
        out = self.order[np.minimum(j, top - 1)].copy()
        out[j >= top] = self.best
        return out

    def nearest(self, level: float) -> int:
        """The outcome whose utility is nearest to ``level`` (GENIUS's nearest bid).

        Equal distances go to the outcome at or above the level; equal utilities to the
        lowest index.
        """
        v = self.values
        j = int(v.searchsorted(level, "left"))
        if j >= len(v):
            return self.best
        if j > 0 and level - float(v[j - 1]) < float(v[j]) - level:
            j = int(v.searchsorted(v[j - 1], "left"))
        return int(self.order[j])

    def at_least_negmas(self, level: float, slack: float = NEGMAS_SLACK) -> int:
        """:meth:`at_least` with NegMAS 0.16's lookup slack (a compatibility mode).

        NegMAS returns, instead of the lowest outcome at or above the level, the lowest
        one within ``slack`` *below* it that is strictly closer to the level (research
        SPEC, rule T5 and surprise 5). Used by the oracle cross-check only.
        """
        v = self.values
        n = len(v)
        i = min(int(v.searchsorted(level, "left")), n - 1)
        bd = abs(float(v[i]) - level)
        j = int(v.searchsorted(level - slack, "left"))
        while j < n and float(v[j]) < level:
            if abs(float(v[j]) - level) < bd:
                return int(self.order[j])
            j += 1
        if i == n - 1 and float(v[i]) < level:
            return self.best
        return int(self.order[i])

    def position_of(self, value: float) -> int:
        """First position of utility ``value`` (or of the next higher one)."""
        return int(self.values.searchsorted(value, "left"))

    def outcome_at(self, position: int) -> int:
        """The outcome at ``position`` of the sorted order."""
        return int(self.order[position])


def sort_feasible(utility: FloatArray, feasible: BoolArray) -> SortedUtilities:
    """Sort the feasible outcomes of one party by (utility, index).

    ``utility`` holds canonical utilities (multiples of 10**-12 in [0, 1]) of every
    outcome of the space, in enumeration order.
    """
    n_out = len(utility)
    every = bool(feasible.all())  # no red line, no reservation: skip the selection
    idx = np.arange(n_out, dtype=np.int64) if every else np.flatnonzero(feasible)
    u = utility if every else utility[idx]
    if n_out <= 1 << _INDEX_BITS and (len(u) == 0 or float(u.min()) >= 0.0):
        keys = np.rint(u * _SCALE).astype(np.uint64)
        keys <<= np.uint64(_INDEX_BITS)
        keys |= idx.view(np.uint64)
        keys.sort()
        keys &= np.uint64((1 << _INDEX_BITS) - 1)
        order = keys.view(np.int64)
        values = utility[order]  # the canonical utilities themselves, exactly
    else:  # pragma: no cover - spaces above 2**24 outcomes
        perm = np.lexsort((idx, u))
        order = idx[perm]
        values = u[perm].astype(np.float64)
    order.flags.writeable = False
    values.flags.writeable = False
    return SortedUtilities(values, order)
