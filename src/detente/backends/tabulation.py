"""One tabulation of every outcome: utilities and which demands hold, shared by all questions.

The gap analysis asks many questions (is a set of demands satisfiable, which cheapest
relaxation opens a deal, what deal then, what do amendments change) of the same
outcomes. :class:`TabulationBuilder` enumerates them once: the base space (the
amendments already adopted) and, when amendments are examined, the outcomes that use
an option only those amendments add. Those extra outcomes are enumerated as disjoint
sub-spaces (the first issue, in declared order, that takes a locked option: earlier
issues on their base options, that issue on its locked options, later issues free), so
each outcome of the largest space is enumerated exactly once. The deal analysis can
feed the base rows while it walks the space (:meth:`TabulationBuilder.add`), so the
space is enumerated once for the whole analysis.

Each outcome becomes a row of utilities and an integer *key*: its demand-satisfaction
bits, plus one bit per locked option it uses. Equal keys are merged into *patterns*
with their counts (one sort of integers, not a row-wise ``unique``). An amendment set's
space is a view: the patterns whose locked options it adopts. A set S of demands is
satisfiable iff some available pattern contains S; a minimal correction set is the
violated set of a maximal pattern (Liffiton & Sakallah 2008).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.errors import LimitError
from detente.scenario.checked import Scenario
from detente.space.demands import Demand, satisfaction
from detente.space.outcomes import DEFAULT_CHUNK, Chunk, OutcomeSpace

__all__ = [
    "MAX_TABULATED",
    "Tabulation",
    "TabulationBuilder",
    "extension_spaces",
    "fits",
]

MAX_TABULATED = 25_000_000  # outcomes held in one tabulation
MAX_BYTES = 2 * 1024**3  # its arrays at most (utilities, keys, pattern ids)
_KEY_BITS = 62

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Progress = Callable[[int, int], None]


def _bytes(n: int, k: int) -> int:
    return n * (8 * k + 24)


def fits(size: int, parties: int) -> bool:
    """Whether ``size`` outcomes of ``parties`` utilities can be tabulated."""
    return size <= MAX_TABULATED and _bytes(size, parties) <= MAX_BYTES


def _labels(space: OutcomeSpace, k: int) -> list[str | int | bool]:
    d = space.domains[k]
    return [d.label(int(c)) for c in space.issue_codes(k)]


def extension_spaces(
    scenario: Scenario, adopted: Sequence[str], candidates: Sequence[str]
) -> tuple[OutcomeSpace, list[OutcomeSpace], list[tuple[int, int]]]:
    """(the largest space, the disjoint sub-spaces beyond the base, the locked options).

    Locked options are (issue index, code) pairs available once every candidate is
    adopted but not with ``adopted`` alone.
    """
    base = OutcomeSpace(scenario, tuple(adopted))
    full = OutcomeSpace(scenario, (*adopted, *candidates))
    locked: list[tuple[int, int]] = []
    parts: list[OutcomeSpace] = []
    earlier: list[int] = []  # issues before k that have locked options
    for k in range(len(full.issues)):
        on_base = set(base.issue_codes(k).tolist())  # a handful of codes: no array sort
        extra = np.array([c for c in full.issue_codes(k).tolist() if c not in on_base], np.int64)
        locked.extend((k, int(c)) for c in extra)
        if extra.size == 0:
            continue
        d = full.domains[k]
        restrict: dict[str, list[str | int | bool]] = {
            full.issues[j]: _labels(base, j) for j in earlier
        }
        restrict[full.issues[k]] = [d.label(int(c)) for c in extra]
        parts.append(full.restrict(restrict))
        earlier.append(k)
    return full, parts, locked


@dataclass(frozen=True, eq=False)
class Tabulation:
    """Every outcome's utilities and demand pattern (see the module docstring).

    Rows are numbered part by part: the base space first (in its outcome order), then
    each extension sub-space. ``inverse[r]`` is row r's pattern; ``patterns`` (P, D) the
    demands each pattern satisfies, ``usage`` its locked-option bits, ``counts`` how many
    rows share it, ``first`` its first row.
    """

    demands: tuple[Demand, ...]
    full: OutcomeSpace
    parts: tuple[OutcomeSpace, ...]
    offsets: IntArray
    locked: tuple[tuple[int, int], ...]
    u: FloatArray
    inverse: IntArray
    patterns: BoolArray
    usage: npt.NDArray[np.uint64]
    counts: IntArray
    first: IntArray

    @property
    def size(self) -> int:
        """Number of tabulated outcomes (rows), base and extensions together."""
        return len(self.u)

    def available(self, adopted: Iterable[str]) -> BoolArray:
        """Mask of the patterns in the space where the amendments ``adopted`` apply.

        That space is the base plus the options that the ``adopted`` amendments (beyond
        the base) put on the table.
        """
        ids = set(adopted)
        mask = 0
        for a in self.full.scenario.amendments:
            if a.id not in ids:
                continue
            for issue, opts in a.adds.items():
                k = self.full.issues.index(issue)
                dom = self.full.domains[k]
                for o in opts:
                    code = dom.code(o)
                    if (k, code) in self.locked:
                        mask |= 1 << self.locked.index((k, code))
        return np.asarray((self.usage & np.uint64(~mask & ((1 << 64) - 1))) == 0)

    def codes(self, rows: npt.ArrayLike) -> IntArray:
        """Issue codes (n, n_issues) of tabulated rows."""
        r = np.asarray(rows, dtype=np.int64).reshape(-1)
        out = np.empty((len(r), len(self.full.issues)), dtype=np.int64)
        part = np.searchsorted(self.offsets, r, side="right") - 1
        for j in np.unique(part):
            at = part == j
            out[at] = self.parts[int(j)].codes_of(r[at] - self.offsets[j])
        return out


class TabulationBuilder:
    """Collects rows part by part, then merges keys into patterns (:meth:`finish`).

    Parameters
    ----------
    scenario, demands:
        The scenario and the demands whose satisfaction is tabulated.
    adopted:
        Amendments already on the table (the base space).
    candidates:
        Amendments to examine: their extra outcomes are tabulated too.
    """

    def __init__(
        self,
        scenario: Scenario,
        demands: Sequence[Demand],
        adopted: Sequence[str] = (),
        candidates: Sequence[str] = (),
    ) -> None:
        self.demands = tuple(demands)
        self.base = OutcomeSpace(scenario, tuple(adopted))
        self.full, ext, locked = extension_spaces(scenario, adopted, candidates)
        self.parts: tuple[OutcomeSpace, ...] = (self.base, *ext)
        self.locked = tuple(locked)
        self.size = sum(p.size for p in self.parts)
        k = len(self.base.parties)
        if not fits(self.size, k):
            raise LimitError(
                f"{self.size:,} outcomes are too many to tabulate for the gap analysis "
                f"(limit {MAX_TABULATED:,} outcomes, {MAX_BYTES // 2**20:,} MiB); use "
                "--engine solver"
            )
        nd, nl = len(self.demands), len(self.locked)
        self.wide = nd + nl > _KEY_BITS
        self._weights = (
            (np.int64(1) << np.arange(nd + nl, dtype=np.int64)) if not self.wide else None
        )
        self._u: list[FloatArray] = []
        self._keys: list[npt.NDArray[np.generic]] = []
        self.fed = 0  # base rows added so far
        # the composite analysis needs no tabulation once the ZOPA is known to be open
        # and no amendment is examined: the feeder then abandons it
        self.stop_on_zopa = False
        self.abandoned = False

    def abandon(self) -> None:
        """Drop what was collected; the builder can no longer finish."""
        self._u, self._keys = [], []
        self.abandoned = True

    def _key(self, sat: BoolArray, usage: BoolArray | None) -> npt.NDArray[np.generic]:
        bits = sat if usage is None or usage.shape[1] == 0 else np.concatenate([sat, usage], 1)
        if bits.shape[1] < len(self.demands) + len(self.locked):
            pad = np.zeros((len(bits), len(self.demands) + len(self.locked) - bits.shape[1]), bool)
            bits = np.concatenate([bits, pad], 1)
        if self._weights is not None:
            return np.asarray(bits.astype(np.int64) @ self._weights, dtype=np.int64)
        packed = np.ascontiguousarray(np.packbits(bits, axis=1))
        return packed.view(np.dtype((np.void, packed.shape[1]))).reshape(-1)

    def add(self, u: FloatArray, sat: BoolArray) -> None:
        """Feed the next base rows in outcome order: utilities (n, k), satisfaction (n, D)."""
        self._u.append(np.ascontiguousarray(u))
        self._keys.append(self._key(sat, None))
        self.fed += len(u)

    def _usage(self, chunk: Chunk) -> BoolArray:
        out = np.zeros((chunk.n, len(self.locked)), dtype=np.bool_)
        for b, (k, code) in enumerate(self.locked):
            out[:, b] = np.asarray(chunk.columns[self.full.issues[k]]) == code
        return out

    def _walk(self, space: OutcomeSpace, start: int, progress: Progress | None, done: int) -> int:
        for chunk in space.chunks(DEFAULT_CHUNK, start=start):
            sat, u = satisfaction(space, chunk, self.demands)
            self._u.append(u)
            self._keys.append(
                self._key(sat, self._usage(chunk) if space is not self.base else None)
            )
            done += chunk.n
            if progress is not None:
                progress(done, self.size)
        return done

    def finish(self, progress: Progress | None = None) -> Tabulation:
        """Enumerate what was not fed (the rest of the base, the extensions); merge keys."""
        if self.abandoned:
            raise RuntimeError("this tabulation was abandoned; build a new one")
        done = self._walk(self.base, self.fed, progress, self.fed)
        for part in self.parts[1:]:
            done = self._walk(part, 0, progress, done)
        k = len(self.base.parties)
        u = np.concatenate(self._u) if self._u else np.zeros((0, k))
        keys = np.concatenate(self._keys) if self._keys else np.zeros(0, dtype=np.int64)
        self._u, self._keys = [], []
        uniq, first, inverse, counts = np.unique(
            keys, return_index=True, return_inverse=True, return_counts=True
        )
        nd, nl = len(self.demands), len(self.locked)
        if self._weights is not None:
            bits = ((uniq.astype(np.int64)[:, None] >> np.arange(nd + nl)) & 1).astype(bool)
        else:
            raw = np.frombuffer(uniq.tobytes(), dtype=np.uint8).reshape(len(uniq), -1)
            bits = np.unpackbits(raw, axis=1, count=nd + nl).astype(bool)
        usage = np.zeros(len(uniq), dtype=np.uint64)
        for b in range(nl):
            usage |= bits[:, nd + b].astype(np.uint64) << np.uint64(b)
        offsets = np.cumsum([0, *(p.size for p in self.parts)])[:-1].astype(np.int64)
        u.flags.writeable = False
        return Tabulation(
            demands=self.demands,
            full=self.full,
            parts=self.parts,
            offsets=offsets,
            locked=self.locked,
            u=u,
            inverse=inverse.reshape(-1).astype(np.int64),
            patterns=bits[:, :nd],
            usage=usage,
            counts=counts.astype(np.int64),
            first=first.astype(np.int64),
        )
