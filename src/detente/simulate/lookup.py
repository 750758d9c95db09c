"""Fast inverse-utility search: "the worst outcome at or above a level", in O(log n).

A time-based negotiator asks, at every turn, for the outcome of *lowest* own utility at
least ``L`` among the outcomes it may offer (its feasible set: its red lines and
reservation kept); ties go to the lowest outcome index, i.e. the first in the space's
enumeration order. NegMAS 0.16 answers it by scanning every outcome on every proposal
(``PresortingInverseUtilityFunction``: a binary search followed by a vectorised scan of
the whole utility array), so a step costs O(|outcomes|). Here the feasible outcomes are
kept in (utility, index) order and each query is a binary search, so a step costs
O(log |outcomes|) whatever the size of the space.

**Sorted lazily, from the top.** A time-based party starts at its best outcome and
concedes downwards; most negotiations never look at the bottom of the space, and the
first offer should not wait for a sort of all of it. So :class:`SortedUtilities` keeps a
*band*: every feasible outcome of utility at least a threshold ``T``, sorted, and
nothing below ``T``. A query at level ``L >= T`` is answered from the band (whole tie
groups are in it or out of it, since the band is cut by utility). A query below ``T``
first lowers the threshold, to ``L`` or lower: one pass over the utility array selects
the outcomes in ``[T', T)``, which are sorted and put in front of the band. ``T'`` is
chosen from a fixed sample of the utilities so that the band at least about doubles,
so a negotiation lowers it O(log n) times whatever its length; the sample only affects
speed, never an answer, which is always exactly that of a full sort.

The sort of a band segment is one ``np.sort`` of packed 64-bit keys: canonical
utilities are multiples of 10**-12 (:data:`detente.space.outcomes.UTILITY_DECIMALS`), so
``rint(u * 1e12)`` is an exact integer below 2**40, and the outcome index fits the low
24 bits for spaces of up to 2**24 outcomes; a key ``(grid << 24) | index`` then sorts by
utility and, among equal utilities, by index. Other segments (larger spaces, utilities
outside [0, 1.09]) use ``np.lexsort``. The band only grows: growing takes a lock and
publishes a new state tuple whose arrays are never written again, so an arena shared by
a Dask worker's threads stays consistent, and readers take no lock.
"""

from __future__ import annotations

import math
import threading
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from detente.space.outcomes import UTILITY_DECIMALS

__all__ = ["MIN_BAND", "NEGMAS_SLACK", "SortedUtilities", "sort_feasible"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_SCALE = 10.0**UTILITY_DECIMALS
_INDEX_BITS = 24
_INDEX_MASK = np.uint64((1 << _INDEX_BITS) - 1)
_GRID_TOP = float(1 << 40)  # packed grid values stay below this
NEGMAS_SLACK = 1e-6  # NegMAS 0.16's lookup slack below the level (research SPEC, rule T5)
MIN_BAND = 4096  # outcomes the first query sorts at least (then the band about doubles)
SAMPLE = 16384  # utilities sampled (evenly spaced) to choose thresholds

# (threshold T, band outcomes, band utilities): the band holds every feasible outcome of
# utility >= T, in ascending (utility, index) order, and no other; T = -inf: all of them
_State = tuple[float, IntArray, FloatArray]


_A = TypeVar("_A", bound=np.ndarray)


def _frozen(a: _A) -> _A:
    a.flags.writeable = False
    return a


def _sort_into(utility: FloatArray, sel: IntArray, order: IntArray, values: FloatArray) -> None:
    """Outcomes ``sel`` (ascending) into ``order`` by (utility, index), utilities into ``values``.

    Both of ``len(sel)``, written in place: no other buffer the size of the segment is
    allocated (fresh memory costs as much as the sort on big segments).
    """
    np.take(utility, sel, out=values)
    packs = len(utility) <= 1 << _INDEX_BITS
    if packs:
        np.multiply(values, _SCALE, out=values)
        np.rint(values, out=values)  # the grid: exact integers
        packs = 0.0 <= float(values.min()) <= float(values.max()) < _GRID_TOP
    if packs:
        keys = order.view(np.uint64)
        np.copyto(keys, values, casting="unsafe")
        keys <<= np.uint64(_INDEX_BITS)
        keys |= sel.view(np.uint64)
        keys.sort()
        keys &= _INDEX_MASK
    else:
        np.take(utility, sel, out=values)
        order[:] = sel[np.lexsort((sel, values))]
    np.take(utility, order, out=values)  # the canonical utilities themselves


class SortedUtilities:
    """One party's feasible outcomes in ascending (own utility, outcome index) order.

    Sorted lazily from the top (module docstring); every method answers as if the whole
    feasible set were sorted. ``values`` and ``order`` (all the sorted utilities and
    outcomes, read-only) sort whatever is left. Empty when the party can offer nothing
    (its red lines exclude every outcome).

    The band lives at the end of two buffers of the feasible set's size (allocated, not
    touched, until needed) and grows leftwards, so a published band is never copied or
    written again; growing takes a lock (readers never need it).
    """

    __slots__ = (
        "_buffers",
        "_every",
        "_feasible",
        "_lock",
        "_min_band",
        "_n",
        "_sample",
        "_state",
        "_utility",
        "memo",
    )

    def __init__(
        self, utility: FloatArray, feasible: BoolArray, *, min_band: int = MIN_BAND
    ) -> None:
        """``utility``: the party's canonical utility of every outcome; ``feasible``: may offer."""
        self._utility = utility
        self._feasible = feasible
        self._every = bool(feasible.all())
        self._n = len(utility) if self._every else int(np.count_nonzero(feasible))
        self._min_band = max(1, int(min_band))
        self._sample: FloatArray | None = None
        self._buffers: tuple[IntArray, FloatArray] | None = None
        self._lock = threading.Lock()
        # callers' memo of answers (keyed by them): an answer never changes, the band
        # only grows and always answers as a full sort would; not pickled
        self.memo: dict[object, object] = {}
        empty = _frozen(np.zeros(0, dtype=np.int64))
        self._state: _State = (math.inf, empty, _frozen(np.zeros(0)))

    def __getstate__(self) -> dict[str, object]:
        return {
            "utility": self._utility,
            "feasible": self._feasible,
            "min_band": self._min_band,
            "state": self._state,
        }

    def __setstate__(self, d: dict[str, object]) -> None:
        utility, feasible, min_band = d["utility"], d["feasible"], d["min_band"]
        assert isinstance(utility, np.ndarray) and isinstance(feasible, np.ndarray)
        assert isinstance(min_band, int)
        SortedUtilities.__init__(self, utility, feasible, min_band=min_band)
        state = d["state"]
        assert isinstance(state, tuple)
        t, order, values = state
        m = len(order)
        if m:
            bo, bv = self._buffers_()
            bo[self._n - m :] = order
            bv[self._n - m :] = values
            order, values = bo[self._n - m :], bv[self._n - m :]
        self._state = (float(t), _frozen(order), _frozen(values))

    def __len__(self) -> int:
        return self._n

    # -- growing the band ---------------------------------------------------------------

    def _buffers_(self) -> tuple[IntArray, FloatArray]:
        if self._buffers is None:
            self._buffers = (np.empty(self._n, dtype=np.int64), np.empty(self._n))
        return self._buffers

    def _threshold(self, below: float, extra: int) -> float:
        """A threshold under ``below`` with about ``extra`` feasible outcomes in between."""
        if self._sample is None:
            u = self._utility
            step = max(1, len(u) // SAMPLE)
            s = u[::step] if self._every else u[::step][self._feasible[::step]]
            self._sample = np.sort(s)
        s = self._sample
        step = max(1, len(self._utility) // SAMPLE)
        j = int(s.searchsorted(below, "left")) - (5 * extra) // (4 * step) - 1
        return float(s[j]) if j > 0 else -math.inf

    def _done(self, state: _State, level: float, count: int) -> bool:
        t, order, _ = state
        return t == -math.inf or (level >= t and len(order) >= min(count, self._n))

    def _grow(self, state: _State, level: float, count: int) -> _State:
        """A state whose band holds every outcome >= ``level`` and ``count`` outcomes.

        (``count`` capped at the feasible set.) The new state is published, then returned.
        """
        if self._done(state, level, count):
            return state
        with self._lock:
            state = self._state  # another thread may have grown it meanwhile
            if self._done(state, level, count):
                return state
            t, m = state[0], len(state[1])
            want = max(count, 2 * m, self._min_band)
            bo, bv = self._buffers_()
            u = self._utility
            while True:
                lo = min(level, self._threshold(t, want - m))
                mask = u >= lo if lo > -math.inf else np.ones(len(u), dtype=np.bool_)
                if t < math.inf:
                    mask &= u < t
                if not self._every:
                    mask &= self._feasible
                sel = np.flatnonzero(mask)
                del mask
                end = self._n - m
                _sort_into(u, sel, bo[end - len(sel) : end], bv[end - len(sel) : end])
                m += len(sel)
                t = lo if m < self._n else -math.inf  # all sorted: nothing below
                if t == -math.inf or m >= min(count, self._n):
                    break
            new: _State = (t, _frozen(bo[self._n - m :]), _frozen(bv[self._n - m :]))
            self._state = new
            return new

    def _cover(self, level: float) -> _State:
        """A state whose band holds every feasible outcome of utility >= ``level``."""
        state = self._state
        if level >= state[0] and len(state[1]):
            return state
        if level != level:  # NaN: no utility reaches it; the band only needs the best
            level = math.inf
        return self._grow(state, level, 1)

    def _count(self, count: int) -> _State:
        """A state whose band holds at least ``count`` outcomes (or all)."""
        state = self._state
        return state if len(state[1]) >= min(count, self._n) else self._grow(state, math.inf, count)

    def _all(self) -> _State:
        return self._count(self._n)

    # -- queries ------------------------------------------------------------------------

    @property
    def values(self) -> FloatArray:
        """Every feasible outcome's utility, ascending (sorts whatever is left)."""
        return self._all()[2]

    @property
    def order(self) -> IntArray:
        """Every feasible outcome, in ascending (utility, index) order."""
        return self._all()[1]

    @property
    def sorted_count(self) -> int:
        """How many outcomes are sorted so far (the band)."""
        return len(self._state[1])

    @property
    def best(self) -> int:
        """The feasible outcome of highest utility (lowest index among ties)."""
        _, order, v = self._count(1)
        return int(order[int(np.searchsorted(v, v[-1], "left"))])

    def _position(self, position: int) -> tuple[int, _State]:
        p = position + self._n if position < 0 else position
        if not 0 <= p < self._n:
            raise IndexError(f"position {position} of {self._n} sorted outcomes")
        state = self._count(self._n - p)
        return p - (self._n - len(state[1])), state

    def value_at(self, position: int) -> float:
        """The utility at ``position`` of the whole ascending order (negative: from the top)."""
        j, state = self._position(position)
        return float(state[2][j])

    def outcome_at(self, position: int) -> int:
        """The outcome at ``position`` of the whole ascending order (negative: from the top)."""
        j, state = self._position(position)
        return int(state[1][j])

    def rank_at_least(self, level: float) -> int:
        """Position of the first outcome with utility >= ``level`` (len when none)."""
        _, order, v = self._cover(level)
        return self._n - len(order) + int(v.searchsorted(level, "left"))

    def position_of(self, value: float) -> int:
        """First position of utility ``value`` (or of the next higher one)."""
        return self.rank_at_least(value)

    def at_least(self, level: float) -> int:
        """The lowest-utility outcome with utility >= ``level``, lowest index among ties.

        Above the best utility the best outcome is returned (the level is unreachable).
        """
        _, order, v = self._cover(level)
        j = int(v.searchsorted(level, "left"))
        if j >= len(order):
            return self.best
        return int(order[j])

    def at_least_many(self, levels: npt.ArrayLike) -> IntArray:
        """:meth:`at_least` for many levels at once (one vectorised binary search)."""
        lv = np.asarray(levels, dtype=np.float64)
        low = float(lv.min()) if len(lv) else math.inf
        if low != low:  # a NaN level (answered with the best outcome): the lowest other
            low = float(np.nanmin(lv)) if np.any(lv == lv) else math.inf
        _, order, v = self._cover(low)
        j = v.searchsorted(lv, "left")
        top = len(order)
        out = order[np.minimum(j, top - 1)]  # a fresh array (fancy indexing)
        if len(j) and j.max() >= top:
            out[j >= top] = self.best
        return out

    def nearest(self, level: float) -> int:
        """The outcome whose utility is nearest to ``level`` (GENIUS's nearest bid).

        Equal distances go to the outcome at or above the level; equal utilities to the
        lowest index.
        """
        state = self._cover(level)
        j = int(state[2].searchsorted(level, "left"))
        while j == 0 and len(state[1]) < self._n:  # the next lower utility is not sorted yet
            state = self._grow(state, state[0], len(state[1]) + 1)
            j = int(state[2].searchsorted(level, "left"))
        _, order, v = state
        if j >= len(v):
            return self.best
        if j > 0 and level - float(v[j - 1]) < float(v[j]) - level:
            # the band is cut by utility: v[j - 1]'s whole tie group is in it
            j = int(v.searchsorted(v[j - 1], "left"))
        return int(order[j])

    def at_least_negmas(self, level: float, slack: float = NEGMAS_SLACK) -> int:
        """:meth:`at_least` with NegMAS 0.16's lookup slack (a compatibility mode).

        NegMAS returns, instead of the lowest outcome at or above the level, the nearest
        one within ``slack`` *below* it when that one is strictly closer to the level
        (the lowest on ties; research SPEC, rule T5 and surprise 5). Reproduces NegMAS
        0.16 offer for offer (``benchmarks/negmas_sao_oracle.py``); used by the oracle
        cross-check only.
        """
        _, order, v = self._cover(level - slack)
        n = len(v)
        i = min(int(v.searchsorted(level, "left")), n - 1)
        bd = abs(float(v[i]) - level)
        j = int(v.searchsorted(level - slack, "left"))
        k = int(v.searchsorted(level, "left"))  # [j, k): within the slack below the level
        if k > j:
            near = j + int(np.argmin(np.abs(v[j:k] - level)))  # the nearest, lowest on ties
            if abs(float(v[near]) - level) < bd:
                return int(order[near])
        if i == n - 1 and float(v[i]) < level:
            return self.best
        return int(order[i])


def sort_feasible(
    utility: FloatArray, feasible: BoolArray, *, min_band: int | None = None
) -> SortedUtilities:
    """One party's feasible outcomes, sorted by (utility, index) as they are reached.

    ``utility`` holds canonical utilities (multiples of 10**-12) of every outcome of the
    space, in enumeration order; ``feasible`` the outcomes the party may offer.
    ``min_band``: outcomes the first query sorts at least (default :data:`MIN_BAND`,
    read at each call; tests use small bands).
    """
    return SortedUtilities(utility, feasible, min_band=MIN_BAND if min_band is None else min_band)
