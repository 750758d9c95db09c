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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from detente.space.outcomes import Chunk, OutcomeSpace

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
    """Accumulates :class:`Zopa` evidence over chunks."""

    space: OutcomeSpace
    sample_size: int = DEFAULT_SAMPLE
    _acc: dict[str, int] = field(default_factory=dict)
    _below: dict[str, int] = field(default_factory=dict)
    _fail: dict[tuple[str, str], int] = field(default_factory=dict)
    _size: int = 0
    _keys: npt.NDArray[np.uint64] = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    _codes: IntArray | None = None
    _utils: FloatArray | None = None

    def add(
        self,
        chunk: Chunk,
        masks: Mapping[tuple[str, str], BoolArray],
        utility: FloatArray,
        acceptable: Mapping[str, BoolArray],
    ) -> BoolArray:
        """Count one chunk; returns its ZOPA mask."""
        sp = self.space
        ok = sp.reservations[:, None] <= utility.T
        zopa = self.count(chunk.n, ok, [acceptable[p] for p in sp.parties], masks)
        rows = np.flatnonzero(zopa)
        self.offer(
            chunk.start,
            rows,
            lambda r: (chunk.codes(sp.issues)[r], utility[r]),
        )
        return zopa

    def count(
        self,
        n: int,
        at_reservation: BoolArray,
        acceptable: Sequence[BoolArray],
        masks: Mapping[tuple[str, str], BoolArray],
    ) -> BoolArray:
        """Count ``n`` outcomes; returns their ZOPA mask.

        ``at_reservation`` is (k, n), u_j >= r_j; ``acceptable`` per party (red lines
        and reservation); ``masks`` per red line, True where it holds.
        """
        sp = self.space
        zopa: BoolArray = np.ones(n, dtype=np.bool_)
        for j, p in enumerate(sp.parties):
            ok = acceptable[j]
            got = int(np.count_nonzero(ok))
            self._acc[p] = self._acc.get(p, 0) + got
            below = n - int(np.count_nonzero(at_reservation[j]))
            self._below[p] = self._below.get(p, 0) + below
            if got < n:
                zopa &= ok
        for key, m in masks.items():
            self._fail[key] = self._fail.get(key, 0) + n - int(np.count_nonzero(m))
        self._size += int(np.count_nonzero(zopa))
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
        if s <= 0 or len(rows) == 0:
            return
        keys = (rows.astype(np.uint64) + np.uint64(start)) * _GOLDEN  # wraps on purpose
        pick = (
            np.arange(len(keys)) if len(self._keys) < s else np.flatnonzero(keys < self._keys[-1])
        )
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
