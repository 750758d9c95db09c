"""Enumerating an outcome space: ZOPA counts and both Pareto frontiers, chunk by chunk.

The space is walked in outcome order (:mod:`detente.space.outcomes`) in chunks of at most
``chunk_size`` outcomes, so memory is bounded by the chunk size plus the frontiers.
When the trailing issues span at most a chunk, chunks are made of whole *blocks*: runs
of outcomes that share the leading ("outer") issues and run through every combination
of the trailing ("inner") ones. Blocks make three shortcuts possible, each exact:

- **utilities by outer sums.** A block's utilities are its outer issues' partial sum
  (offset first, then the outer issues in declared order) plus each inner issue in
  turn, broadcast as an outer sum: the same float64 additions, in the same order, as
  :meth:`~detente.space.outcomes.OutcomeSpace.utility_matrix`, hence bit-identical, with
  no per-outcome decoding and about one addition per outcome and party;
- **frontier candidates per block** (:func:`block_candidates`). Every block holds the
  same inner-issue sums, shifted by its outer partial sum. An inner combination whose
  sums another one beats by a margin ``delta`` in *every* party is beaten in every
  block: after the shift, the remaining float additions and the canonical rounding
  move each utility by less than ``delta / 2``, so the gap stays strict for every
  party and the outcome is Pareto-dominated in the final, canonical utilities. Only
  the other combinations (found once, issue by issue, pruning after each merge as in
  :mod:`detente.deal.merge`) are passed to the frontier builders; the pruned ones are
  dominated, so no frontier point, tie count or tie list changes;
- **one builder while the ZOPA is everything.** The ZOPA frontier and the
  whole-space frontier receive the same rows as long as every chunk lies entirely in
  the ZOPA; one builder serves both until the first chunk that does not, which copies
  it. A chunk only partly in the ZOPA feeds the ZOPA builder its ZOPA rows (after the
  builder's own elimination filter).

Otherwise (an inner issue larger than a chunk) chunks are plain ranges decoded issue by
issue. Red lines are evaluated on the decoded chunk only when the scenario has any.
Issue codes are decoded only for outcomes that reach a chunk's frontier or the ZOPA
sample.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from detente.backends.tabulation import TabulationBuilder
from detente.deal.frontier import FrontierBuilder, FrontierPoints
from detente.deal.zopa import Zopa, ZopaCounter
from detente.space.demands import RESERVATION, demands
from detente.space.dominance import covered, group_rows, pivots, skyline_distinct
from detente.space.outcomes import UTILITY_DECIMALS, Chunk, OutcomeSpace, canonical

__all__ = [
    "BlockPlan",
    "Enumerator",
    "block_plan",
    "block_candidates",
    "block_utilities",
    "enumerate_space",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Progress = Callable[[int, int], None]

_MAX_INDEX = 1 << 62


@dataclass(frozen=True)
class BlockPlan:
    """How a space is cut into blocks: the trailing ``inner`` issues vary in a block.

    ``size`` outcomes per block, ``blocks`` blocks in the space, ``per_chunk`` blocks
    per chunk, ``candidates`` the positions in a block that can reach a frontier.
    """

    inner: int
    size: int
    blocks: int
    per_chunk: int
    candidates: IntArray


def block_plan(space: OutcomeSpace, chunk_size: int) -> BlockPlan | None:
    """The largest blocks that fit a chunk; None when even the last issue does not."""
    if not space.parties or space.size == 0 or space.size > _MAX_INDEX:
        return None
    inner, size = 0, 1
    for r in reversed(space.radices):
        if size * r > chunk_size:
            break
        size *= r
        inner += 1
    if inner == 0:
        return None
    return BlockPlan(
        inner=inner,
        size=size,
        blocks=space.size // size,
        per_chunk=max(1, chunk_size // size),
        candidates=block_candidates(space, inner),
    )


def _margin(space: OutcomeSpace) -> FloatArray:
    """Per party, a gap in inner sums that no later addition or rounding can close.

    Every partial sum is bounded by ``bound``; each float addition errs by at most
    half a unit in the last place of that bound, the canonical rounding by half of
    10**-UTILITY_DECIMALS plus three such units, so 4 * 10**-UTILITY_DECIMALS and
    8 (n + 4) units leave room to spare for the n additions of both outcomes.
    """
    k = len(space.parties)
    bound = np.abs(space.offsets).copy()
    for t in space.position_tables:
        if t is not None:
            bound += np.abs(t).max(axis=0)
    n = len(space.issues)
    delta: FloatArray = np.full(k, 4.0 * 10.0**-UTILITY_DECIMALS) + 8 * (n + 4) * np.spacing(bound)
    return delta


_CANDIDATES: OrderedDict[bytes, IntArray] = OrderedDict()
_CANDIDATES_KEPT = 8
_CANDIDATES_LOCK = threading.Lock()


def block_candidates(space: OutcomeSpace, inner: int) -> IntArray:
    """Positions in a block (of the last ``inner`` issues) that can be on a frontier.

    Merges the inner issues from the last one, keeping after each merge the sums not
    beaten by ``delta`` in every party by another sum (:func:`_margin`): a beaten
    combination stays beaten whatever is added in front of it or behind it. They
    depend only on the radices, the offsets and the position tables, so the last few
    answers are remembered by those (a timeline's days share them).
    """
    digest = hashlib.blake2b(repr((inner, space.radices, len(space.parties))).encode())
    digest.update(space.offsets.tobytes())
    for t in space.position_tables:
        digest.update(b"-" if t is None else repr(t.shape).encode() + t.tobytes())
    key = digest.digest()
    with _CANDIDATES_LOCK:
        hit = _CANDIDATES.get(key)
        if hit is not None:
            _CANDIDATES.move_to_end(key)
            return hit
    out = _block_candidates(space, inner)
    out.flags.writeable = False
    with _CANDIDATES_LOCK:
        _CANDIDATES[key] = out
        while len(_CANDIDATES) > _CANDIDATES_KEPT:
            _CANDIDATES.popitem(last=False)
    return out


def _block_candidates(space: OutcomeSpace, inner: int) -> IntArray:
    """:func:`block_candidates`, computed."""
    k = len(space.parties)
    n_issues = len(space.issues)
    delta = _margin(space)
    sums = np.zeros((1, k))
    pos = np.zeros(1, dtype=np.int64)
    stride = 1
    for j in range(n_issues - 1, n_issues - inner - 1, -1):
        r = space.radices[j]
        t = space.position_tables[j]
        table = np.zeros((r, k)) if t is None else t
        sums = (table[:, None, :] + sums[None, :, :]).reshape(-1, k)
        pos = (np.arange(r, dtype=np.int64)[:, None] * stride + pos[None, :]).reshape(-1)
        stride *= r
        if len(sums) > 1:
            # equal sums share their fate: decide once per distinct sum. The skyline
            # holds a beating sum whenever any sum beats; from four parties on it is
            # costly to find and to query, and a few strong sums beat most.
            order, starts, gid = group_rows(sums)
            distinct = sums[order[starts]]
            data = distinct[skyline_distinct(distinct)] if k <= 3 else pivots(distinct)
            keep = ~covered(data, distinct + delta)[gid]
            sums, pos = sums[keep], pos[keep]
    return np.sort(pos)


def block_utilities(space: OutcomeSpace, plan: BlockPlan, first: int, count: int) -> FloatArray:
    """Canonical utilities (k, count * size) of blocks ``first .. first + count - 1``.

    Bit-identical to :meth:`~detente.space.outcomes.OutcomeSpace.utility_matrix` (same
    additions in the same order; see the module docstring), transposed.
    """
    n_issues = len(space.issues)
    outer = n_issues - plan.inner
    tables = space.position_tables
    part = np.repeat(space.offsets[:, None], count, axis=1)
    block_stride = 1
    strides = []
    for r in space.radices[:outer][::-1]:
        strides.append(block_stride)
        block_stride *= r
    strides.reverse()
    blocks = np.arange(first, first + count, dtype=np.int64)
    for j in range(outer):
        t = tables[j]
        if t is not None:
            part += t[(blocks // strides[j]) % space.radices[j]].T
    for j in range(outer, n_issues):
        t = tables[j]
        r = space.radices[j]
        if t is None:
            part = np.repeat(part, r, axis=1)
        else:
            part = (part[:, :, None] + t.T[:, None, :]).reshape(len(part), -1)
    return canonical(part, inplace=True)


class _Walk:
    """The per-chunk bookkeeping shared by the block and the plain paths."""

    def __init__(
        self,
        space: OutcomeSpace,
        tie_limit: int,
        sample_size: int,
        collect: TabulationBuilder | None,
    ) -> None:
        self.space = space
        k, n_issues = len(space.parties), len(space.issues)
        self.demands = demands(space.scenario)
        self.counter = ZopaCounter(space, self.demands, sample_size)
        self.whole = FrontierBuilder(k, n_issues, tie_limit)
        self.inside: FrontierBuilder | None = None  # None: identical to ``whole`` so far
        self.red = bool(space.red_lines)
        self.res = space.reservations[:, None]
        self.collect = collect
        if collect is not None:
            keys = [d.key for d in self.demands]
            self.collect_cols = np.array([keys.index(d.key) for d in collect.demands], np.int64)

    def _sat(self, start: int, u: FloatArray, chunk: Chunk | None) -> BoolArray:
        """Satisfaction (n, D) of the bargaining parties' demands, from u (k, n)."""
        sp = self.space
        n = u.shape[1]
        masks = {}
        if self.red:
            masks = sp.red_line_masks(sp.chunk_of_range(start, n) if chunk is None else chunk)
        # column-major: each demand's column is written and counted contiguously
        sat = np.empty((n, len(self.demands)), dtype=np.bool_, order="F")
        col = {p: j for j, p in enumerate(sp.parties)}
        for j, d in enumerate(self.demands):
            if d.kind == RESERVATION:
                sat[:, j] = u[col[d.party]] >= d.value
            else:
                sat[:, j] = masks[(d.party, d.id)]
        return sat

    def feed(
        self, start: int, u: FloatArray, cand: IntArray | None, chunk: Chunk | None = None
    ) -> None:
        """Outcomes ``start ..`` with utilities ``u`` (k, n).

        ``cand``: the rows that can be on a frontier (None: all); ``chunk``: the
        decoded outcomes, if at hand.
        """
        sp = self.space
        n = u.shape[1]
        sat = self._sat(start, u, chunk)
        zopa = self.counter.count(sat)
        if self.collect is not None:
            if self.collect.stop_on_zopa and zopa.any():
                self.collect.abandon()
                self.collect = None
            else:
                self.collect.add(u.T, sat[:, self.collect_cols])
        rows = np.flatnonzero(zopa)
        full = len(rows) == n

        def decode(at: IntArray) -> Callable[[IntArray], IntArray]:
            return lambda r: sp.codes_of(start + at[r])

        every = np.arange(n, dtype=np.int64) if cand is None else cand
        whole_u = np.ascontiguousarray(u[:, every].T)
        if full:
            if self.inside is not None:
                self.inside.add(whole_u, decode(every))
        else:
            if self.inside is None:
                self.inside = self.whole.copy()
            self.inside.add(np.ascontiguousarray(u[:, rows].T), decode(rows))
        self.whole.add(whole_u, decode(every))
        self.counter.offer(
            start, rows, lambda r: (sp.codes_of(start + r), np.ascontiguousarray(u[:, r].T))
        )

    def result(self) -> tuple[Zopa, FrontierPoints, FrontierPoints]:
        inside = self.whole if self.inside is None else self.inside
        return self.counter.result(), inside.result(), self.whole.result()


class Enumerator(Protocol):
    """A stand-in for :func:`enumerate_space` that must return what it would.

    For callers that hold the space's utilities and demand masks already (the
    timeline's days share them, :mod:`detente.timeline.frames`); passed to
    :func:`detente.deal.analysis.analyze_deal` as ``enumerator``.
    """

    def __call__(
        self, space: OutcomeSpace, *, chunk_size: int, tie_limit: int, sample_size: int
    ) -> tuple[Zopa, FrontierPoints, FrontierPoints]:
        """(ZOPA, frontier of the ZOPA, frontier of the whole space) of ``space``."""
        ...


def enumerate_space(
    space: OutcomeSpace,
    *,
    chunk_size: int,
    tie_limit: int,
    sample_size: int,
    progress: Progress | None = None,
    collect: TabulationBuilder | None = None,
) -> tuple[Zopa, FrontierPoints, FrontierPoints]:
    """(ZOPA, frontier of the ZOPA, frontier of the whole space) by enumeration.

    Results do not depend on ``chunk_size``; ``progress(done, total)`` is called after
    each chunk. ``collect``, when given, receives every outcome's utilities and demand
    satisfaction in outcome order, so a gap analysis needs no second enumeration.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be positive")
    walk = _Walk(space, tie_limit, sample_size, collect)
    plan = block_plan(space, chunk_size)
    done = 0
    if plan is None:
        for chunk in space.chunks(chunk_size):
            u = np.ascontiguousarray(space.utility_matrix(chunk).T)
            walk.feed(chunk.start, u, None, chunk)
            done += chunk.n
            if progress is not None:
                progress(done, space.size)
        return walk.result()
    m = plan.per_chunk
    # the positions of one chunk's candidates (no more blocks than the space holds: a
    # small space in a large chunk would otherwise build a table of chunk_size rows)
    offsets = np.arange(min(m, plan.blocks), dtype=np.int64)[:, None] * plan.size
    cand_all = (offsets + plan.candidates[None, :]).reshape(-1)
    for first in range(0, plan.blocks, m):
        count = min(m, plan.blocks - first)
        u = block_utilities(space, plan, first, count)
        walk.feed(first * plan.size, u, cand_all[: count * len(plan.candidates)])
        done += count * plan.size
        if progress is not None:
            progress(done, space.size)
    return walk.result()
