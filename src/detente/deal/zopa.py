"""Acceptability per party and the zone of possible agreement (ZOPA).

Definitions (DESIGN.md, "Deal model"): an outcome is acceptable to party i when it
satisfies every red line of i and u_i(x) >= r_i; the ZOPA is the set of outcomes
acceptable to every bargaining party. This module counts, per party, how many outcomes
fail and why (each red line; below reservation), and keeps a deterministic
representative sample of the ZOPA. Counts are accumulated chunk by chunk
(:class:`ZopaCounter`), so they are exact and independent of the chunk size. The
frontier and bargaining solutions live in :mod:`detente.deal.frontier` and
:mod:`detente.deal.solutions`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from detente.space.demands import RESERVATION, Demand, party_columns
from detente.space.outcomes import OutcomeSpace

__all__ = ["PartyAcceptance", "Zopa", "ZopaCounter", "DEFAULT_SAMPLE"]

DEFAULT_SAMPLE = 10
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: a fixed pseudo-random order

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class PartyAcceptance:
    """How many outcomes one party accepts, and why the others fail.

    ``red_line_failures`` maps each red line id to the outcomes violating it;
    ``below_reservation`` counts outcomes with u < r (whatever the red lines say).
    ``None`` counts mean "not counted" (spaces solved without enumeration).
    """

    party: str
    acceptable: int | None
    red_line_failures: dict[str, int | None]
    below_reservation: int | None
    reservation: float


@dataclass(frozen=True)
class Zopa:
    """The ZOPA: its size (None when not counted), emptiness and a sample of outcomes.

    ``sample`` holds issue codes (s, n_issues) of up to ``DEFAULT_SAMPLE`` ZOPA
    outcomes, chosen by a fixed hash of the outcome index (spread across the space,
    identical whatever the chunking); ``sample_utilities`` their utilities.
    """

    size: int | None
    empty: bool
    space_size: int
    sample: IntArray
    sample_utilities: FloatArray
    parties: tuple[PartyAcceptance, ...]


@dataclass
class ZopaCounter:
    """Accumulates :class:`Zopa` evidence over chunks of the demand-satisfaction matrix.

    ``demands`` are the bargaining parties' demands (:func:`detente.space.demands.demands`,
    red lines and reservations); each chunk gives their satisfaction matrix
    (:func:`detente.space.demands.satisfaction`).
    """

    space: OutcomeSpace
    demands: tuple[Demand, ...]
    sample_size: int = DEFAULT_SAMPLE
    _acc: dict[str, int] = field(default_factory=dict)
    _below: dict[str, int] = field(default_factory=dict)
    _fail: dict[tuple[str, str], int] = field(default_factory=dict)
    _size: int = 0
    _keys: npt.NDArray[np.uint64] = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    _codes: IntArray | None = None
    _utils: FloatArray | None = None

    def __post_init__(self) -> None:
        self._cols = party_columns(self.demands, self.space.parties)

    def count(self, sat: BoolArray, counts: IntArray | None = None) -> BoolArray:
        """Count outcomes from their satisfaction matrix; returns the ZOPA mask of its rows.

        Each row of ``sat`` is one outcome, or, with ``counts``, ``counts[r]`` outcomes
        sharing that row's satisfaction (distinct patterns with their multiplicities,
        as the timeline's shared frames give them; rows may count 0).
        """
        rows = len(sat)

        def total(mask: BoolArray) -> int:
            if counts is None:
                return int(np.count_nonzero(mask))
            return int(counts[mask].sum())

        n = rows if counts is None else int(counts.sum())
        zopa: BoolArray = np.ones(rows, dtype=np.bool_)
        for p in self.space.parties:
            cols = self._cols[p]
            # column by column: a party has a few demands, the rows are many
            ok: BoolArray = sat[:, cols[0]] if len(cols) else np.ones(rows, np.bool_)
            for c in cols[1:]:
                ok = ok & sat[:, c]
            got = total(ok)
            self._acc[p] = self._acc.get(p, 0) + got
            if got < n or counts is not None:
                zopa &= ok
        for j, d in enumerate(self.demands):
            failed = n - total(sat[:, j])
            if d.kind == RESERVATION:
                self._below[d.party] = self._below.get(d.party, 0) + failed
            else:
                self._fail[(d.party, d.id)] = self._fail.get((d.party, d.id), 0) + failed
        self._size += total(zopa)
        return zopa

    def offer(
        self,
        start: int,
        rows: IntArray,
        fetch: Callable[[IntArray], tuple[IntArray, FloatArray]],
    ) -> None:
        """Offer ZOPA outcomes ``start + rows`` (ascending) to the sample.

        The sample is the ``sample_size`` outcomes with the smallest keys
        ``index * 0x9E3779B97F4A7C15 mod 2**64``. Odd multipliers permute 64-bit
        integers, so keys are distinct and the sample does not depend on the chunking.
        Only rows below the current cut are considered, and a linear-time partition picks
        the smallest, so a chunk costs O(n); ``fetch(rows)`` gives the chosen rows' codes
        and utilities.
        """
        s = self.sample_size
        n = len(rows)
        if s <= 0 or n == 0:
            return
        keys = rows.view(np.uint64) + np.uint64(start)  # rows are >= 0: the same bits
        keys *= _GOLDEN  # wraps on purpose
        if len(self._keys) >= s:
            pick = np.flatnonzero(keys < self._keys[-1])
        else:
            # The keys of consecutive indices spread almost evenly over 2**64 (three-gap
            # theorem), so the s smallest of n lie below about s/n of the range: look
            # below 8 s/n first. With s keys there, no key above can be among the
            # smallest s; with fewer (rows far apart, or few rows), look at all.
            cut = (8 * s << 64) // n
            pick = np.flatnonzero(keys < np.uint64(cut)) if cut < 1 << 64 else np.zeros(0, int)
            if len(pick) < s:
                pick = np.arange(n)
        if len(pick) > s:
            pick = pick[np.argpartition(keys[pick], s - 1)[:s]]
        if len(pick) == 0:
            return
        pick = np.sort(pick)
        codes, u = fetch(rows[pick])
        k = np.concatenate([self._keys, keys[pick]])
        c = codes if self._codes is None else np.concatenate([self._codes, codes])
        w = u if self._utils is None else np.concatenate([self._utils, u])
        keep = np.argsort(k)[:s]
        self._keys, self._codes, self._utils = k[keep], c[keep], w[keep]

    def result(self) -> Zopa:
        """The :class:`Zopa` of the chunks fed so far, with each party's acceptance counts."""
        sp = self.space
        parties = tuple(
            PartyAcceptance(
                party=p,
                acceptable=self._acc.get(p, 0),
                red_line_failures={
                    rl: self._fail.get((q, rl), 0) for (q, rl) in sp.red_lines if q == p
                },
                below_reservation=self._below.get(p, 0),
                reservation=float(sp.reservations[j]),
            )
            for j, p in enumerate(sp.parties)
        )
        n_issues = len(sp.issues)
        codes = self._codes if self._codes is not None else np.zeros((0, n_issues), np.int64)
        utils = self._utils if self._utils is not None else np.zeros((0, len(sp.parties)))
        # report the sample in outcome order, not hash order
        order = np.argsort(sp.indices_of(codes), kind="stable") if len(codes) else np.zeros(0, int)
        return Zopa(
            size=self._size,
            empty=self._size == 0,
            space_size=sp.size,
            sample=codes[order],
            sample_utilities=utils[order],
            parties=parties,
        )
