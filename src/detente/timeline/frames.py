"""Work shared by the days of a timeline: one outcome space per frame (issue 11, item 5).

A day's deal model is its *frame* (issues, derived quantities, amendments, priorities:
the document without its red lines, reservations, proposals, conflict section and
events) plus its *demands* (red lines and reservations). Days of one frame have the
same outcome space and the same utilities, so :class:`Frames` computes once per frame:

- the rows a tabulation holds (the base space, then the sub-spaces amendments add,
  numbered as :class:`~detente.backends.tabulation.TabulationBuilder` numbers them),
  their canonical utilities and the locked options each uses;
- the mask of every distinct red line in force on any of the frame's days (one per
  resolved rule, whoever holds it and whatever its id) and of every reservation (a
  utility threshold), over those rows;
- the *groups*: rows that agree on every one of those masks and locked options, with
  each group's first row and counts (the masks themselves are then dropped);
- the rows grouped by utility vector (shared by frames whose base rows have the same
  utilities), from which the frontier of the whole space (it does not depend on the
  demands) and of each day's ZOPA follow without sorting their rows again, and, when a
  near miss is asked for, the *classes*: the rows of a group with equal utilities.

A day then works on groups, not outcomes: each of its demands holds on whole groups,
so the deal analysis' counts (the ZOPA, each party's acceptance, the failures of each
demand) and the tabulation's patterns, counts and first rows come from the groups, and
each row's pattern from one gather. Only the ZOPA's own rows (its sample and its
frontier) and the gap questions read outcomes; near misses are asked of the classes
(each class's first row stands for it: same pattern, same utilities, the same score).

:class:`Day` implements :class:`detente.analysis.composite.SharedWork`: the composite
analysis runs unchanged on these inputs, and each returns what the library's own step
would (tests/timeline hold the timeline to ``analyze`` of each day, with and without).
A frame is used when the library would enumerate and tabulate (``auto`` or ``enum``,
the space within the enumeration limits, its tabulation within memory) and more than
one of its days has demands of its own; otherwise the days are analysed as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from detente.backends.base import Backend, NearMiss
from detente.backends.masks import EnumBackend
from detente.backends.tabulation import Tabulation, TabulationBuilder, extension_spaces, fits
from detente.deal.analysis import DEFAULT_LIMIT, ENUMERATE_UP_TO
from detente.deal.enumeration import block_plan, block_utilities, enumerate_space
from detente.deal.frontier import FrontierPoints
from detente.deal.zopa import Zopa, ZopaCounter
from detente.scenario.checked import Scenario
from detente.space.demands import RESERVATION, Demand, demands
from detente.space.outcomes import DEFAULT_CHUNK, OutcomeSpace
from detente.timeline.vectors import Vectors

__all__ = ["Day", "Frames", "frame_key"]

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Atom = tuple[str, ...]

_KEY_BITS = 62  # as TabulationBuilder: wider keys take its packed path (not shared here)


def frame_key(s: Scenario) -> str:
    """What fixes the outcome space and the utilities: the document without its demands."""
    return s.document.model_dump_json(
        exclude={
            "as_of": True,
            "events": True,
            "proposals": True,
            "conflict": True,
            "positions": {"__all__": {"red_lines", "reservation"}},
        }
    )


def _atom(d: Demand) -> Atom:
    if d.kind == RESERVATION:
        return ("reservation", d.party, repr(float(d.value)))
    return ("rule", repr(d.ast))


def _core(s: Scenario) -> tuple[Atom, ...]:
    return tuple(_atom(d) for d in demands(s))


_SPLIT_IDS = 1 << 20  # ids counted at once when splitting groups (a bincount of 8 MiB)


def _split(inv: IntArray, groups: int, masks: Iterable[BoolArray]) -> tuple[IntArray, int]:
    """Groups split by every mask: dense ids again (ids counted, never sorted).

    Masks are taken a few at a time, as many as keep ``groups * 2**b`` ids countable.
    """
    pending = list(masks)
    while pending:
        b = 1
        while b < len(pending) and groups << (b + 1) <= _SPLIT_IDS:
            b += 1
        small = np.uint8 if b <= 8 else np.uint16 if b <= 16 else np.uint32
        acc: npt.NDArray[Any] = np.zeros(len(inv), dtype=small)  # the batch's bits, narrow
        for j, m in enumerate(pending[:b]):
            np.bitwise_or(acc, np.left_shift(m, j, dtype=small), out=acc)
        del pending[:b]
        comb: IntArray = np.left_shift(inv, b)
        np.bitwise_or(comb, acc, out=comb)
        present = np.bincount(comb, minlength=groups << b) > 0
        lut = np.cumsum(present) - 1
        inv, groups = lut[comb], int(np.count_nonzero(present))
    return inv, groups


@dataclass(frozen=True, eq=False)
class _ClassTabulation(Tabulation):
    """A day's tabulation with one row per class (the class's first row stands for it)."""

    rows: IntArray
    of: Tabulation

    def codes(self, rows: npt.ArrayLike) -> IntArray:
        """Issue codes of the first outcome of each class."""
        return self.of.codes(self.rows[np.asarray(rows, dtype=np.int64).reshape(-1)])


class _SharedBackend(EnumBackend):
    """:class:`EnumBackend`, asking for near misses over classes instead of outcomes.

    Outcomes of one class share their pattern and utilities, hence their violation
    score; the best outcome of a violation pattern is the first of its best class, and
    classes are numbered in the order of their first rows, so ties fall as over rows.
    """

    def __init__(
        self, tabulation: Tabulation, adopted: Sequence[str], classes: Callable[[], Tabulation]
    ) -> None:
        super().__init__(tabulation, adopted)
        self._adopted = tuple(adopted)
        self._classes = classes

    def near_misses(self, k: int) -> tuple[NearMiss, ...]:
        return EnumBackend(self._classes(), self._adopted).near_misses(k)


@dataclass(frozen=True, eq=False)
class _Patterns:
    """A day's demands over the frame's groups: each group's pattern and the tabulation."""

    tab: Tabulation
    of_group: IntArray  # group -> pattern


class _Frame:
    """The rows, groups and frontier that the days of one frame share (module docstring)."""

    def __init__(
        self, head: Scenario, members: Sequence[Scenario], known: list[Vectors] | None = None
    ) -> None:
        self.candidates = tuple(a.id for a in head.amendments)
        base = OutcomeSpace(head, ())
        _, ext, locked = extension_spaces(head, (), self.candidates)
        self.base = base
        self.parts: tuple[OutcomeSpace, ...] = (base, *ext)
        self.locked = tuple(locked)
        self.n_base = base.size
        self.size = sum(p.size for p in self.parts)
        k = len(base.parties)
        # every red line in force on one of the frame's days, once per resolved rule
        rules: dict[Atom, tuple[OutcomeSpace, tuple[str, str]]] = {}
        reservations: dict[Atom, Demand] = {}
        for m in members:
            space: OutcomeSpace | None = None
            for d in demands(m):
                a = _atom(d)
                if d.kind == RESERVATION:
                    reservations.setdefault(a, d)
                elif a not in rules:
                    space = space or OutcomeSpace(m, ())
                    rules[a] = (space, (d.party, d.id))
        us: list[FloatArray] = []
        usage = np.zeros(self.size, dtype=np.int64)
        masks: dict[Atom, list[BoolArray]] = {a: [] for a in rules}
        at = 0
        plan = block_plan(base, DEFAULT_CHUNK)
        if plan is not None:  # the walk's utilities (bit-identical to utility_matrix, faster)
            us.append(block_utilities(base, plan, 0, plan.blocks).T)
        for j, part in enumerate(self.parts):
            for chunk in part.chunks(DEFAULT_CHUNK):
                if j or plan is None:
                    us.append(part.utility_matrix(chunk))
                for a, (space, key) in rules.items():
                    masks[a].append(space.red_line_masks(chunk, [key])[key])
                if j:
                    for b, (i, code) in enumerate(self.locked):
                        hit = np.asarray(chunk.columns[base.issues[i]]) == code
                        usage[at : at + chunk.n] |= hit.astype(np.int64) << b
                at += chunk.n
        u = np.ascontiguousarray(np.concatenate(us)) if us else np.zeros((0, k))
        u.flags.writeable = False
        self.u: FloatArray = u
        every: dict[Atom, BoolArray] = {a: np.concatenate(v) for a, v in masks.items()}
        for a, d in reservations.items():
            every[a] = u[:, base.parties.index(d.party)] >= d.value
        # above every reservation of the frame a party's utility adds nothing to a score
        self.ceiling = np.array(
            [
                max((d.value for d in reservations.values() if d.party == p), default=-np.inf)
                for p in base.parties
            ],
            dtype=np.float64,
        )
        inv = np.zeros(self.size, dtype=np.int64)
        bits = [((usage >> b) & 1).astype(np.bool_) for b in range(len(self.locked))]
        inv, groups = _split(inv, 1, [*every.values(), *bits])
        first = np.full(groups, self.size, dtype=np.int64)
        np.minimum.at(first, inv, np.arange(self.size, dtype=np.int64))
        self.inv = inv
        self.groups = groups
        self.first = first
        self.counts = np.bincount(inv, minlength=groups).astype(np.int64)
        self.counts_base = np.bincount(inv[: self.n_base], minlength=groups).astype(np.int64)
        self.usage = usage[first]
        self.holds: dict[Atom, BoolArray] = {a: m[first] for a, m in every.items()}
        self._whole: dict[int, FrontierPoints] = {}
        self._classes: tuple[IntArray, IntArray, FloatArray] | None = None
        self._vectors: Vectors | None = None
        self._known = [] if known is None else known

    def vectors(self) -> Vectors:
        """The base rows grouped by utility vector (computed once, on first use)."""
        if self._vectors is None:
            # frames whose base rows have the same utilities (an amendment dated, say)
            # group them alike: the grouping reads nothing else
            u = self.u[: self.n_base]
            got = next((v for v in self._known if np.array_equal(v.u, u)), None)
            if got is None:
                got = Vectors(u)
                self._known.append(got)
            self._vectors = got
        return self._vectors

    def whole(self, tie_limit: int) -> FrontierPoints:
        """The whole space's frontier (demands play no part), as ``enumerate_space`` gives it."""
        if tie_limit not in self._whole:
            b = self.base
            got = self.vectors().frontier(
                None, tie_limit, len(b.parties), len(b.issues), b.codes_of
            )
            self._whole[tie_limit] = got
        return self._whole[tie_limit]

    def classes(self) -> tuple[IntArray, IntArray, FloatArray]:
        """(first row, group, utilities) of each class, classes in first-row order.

        A class is the rows of a group whose utilities give the same violation score
        on every day of the frame: equal utilities, except that utilities at or above
        the party's highest reservation in the frame count as one (the shortfall
        ``max(0, r - u)`` is 0 for each of them, whatever the day's ``r``).
        """
        if self._classes is None:
            key = self.inv.copy()
            for j in range(self.u.shape[1]):
                capped = np.minimum(self.u[:, j], self.ceiling[j])
                values, code = np.unique(capped, return_inverse=True)
                if int(key.max(initial=0)) >= (1 << 62) // max(len(values), 1):
                    key = np.unique(key, return_inverse=True)[1].reshape(-1).astype(np.int64)
                key = key * len(values) + code.reshape(-1)
            rows = np.sort(np.unique(key, return_index=True)[1]).astype(np.int64)
            u = self.u[rows]
            u.flags.writeable = False
            self._classes = (rows, self.inv[rows], u)
        return self._classes

    def bits(self, dems: Sequence[Demand]) -> BoolArray | None:
        """(groups, D): where each demand holds; None if one is not among the frame's."""
        cols = [self.holds.get(_atom(d)) for d in dems]
        if any(c is None for c in cols):
            return None
        if not cols:
            return np.zeros((self.groups, 0), dtype=np.bool_)
        return np.stack([c for c in cols if c is not None], axis=1)


class Day:
    """One day's :class:`~detente.analysis.composite.SharedWork` over its frame."""

    def __init__(self, frame: _Frame, scenario: Scenario) -> None:
        self.frame = frame
        self.scenario = scenario
        self._patterns: dict[tuple[Atom, ...], _Patterns] = {}

    def _is_base(self, space: OutcomeSpace) -> bool:
        return space.unlock == () and space.size == self.frame.n_base

    def enumerate(
        self, space: OutcomeSpace, *, chunk_size: int, tie_limit: int, sample_size: int
    ) -> tuple[Zopa, FrontierPoints, FrontierPoints]:
        """The ZOPA, its frontier and the whole space's, as ``enumerate_space`` gives them."""
        fr = self.frame
        dems = demands(space.scenario)
        sat = fr.bits(dems) if self._is_base(space) else None
        if sat is None:
            return enumerate_space(
                space, chunk_size=chunk_size, tie_limit=tie_limit, sample_size=sample_size
            )
        k, n_issues = len(space.parties), len(space.issues)
        whole = fr.whole(tie_limit)
        counter = ZopaCounter(space, dems, sample_size)
        in_zopa = counter.count(sat, counts=fr.counts_base)
        size = int(fr.counts_base[in_zopa].sum())
        everything = size == fr.n_base
        inside: BoolArray | None = None
        if everything:
            rows = np.arange(fr.n_base, dtype=np.int64)
        else:
            inside = in_zopa[fr.inv[: fr.n_base]]
            rows = np.flatnonzero(inside).astype(np.int64)
        u = fr.u

        def fetch(r: IntArray) -> tuple[IntArray, FloatArray]:
            return space.codes_of(r), np.ascontiguousarray(u[r])

        counter.offer(0, rows, fetch)
        if everything:
            frontier = whole  # as the walk's: one builder while the ZOPA is everything
        else:
            frontier = fr.vectors().frontier(inside, tie_limit, k, n_issues, space.codes_of)
        return counter.result(), frontier, whole

    def _pattern(self, dems: Sequence[Demand]) -> _Patterns | None:
        key = tuple(_atom(d) for d in dems)
        if key in self._patterns:
            return self._patterns[key]
        fr = self.frame
        sat = fr.bits(dems)
        nd, nl = len(dems), len(fr.locked)
        if sat is None or nd + nl > _KEY_BITS:
            return None
        weights = np.int64(1) << np.arange(nd, dtype=np.int64)
        keys = sat.astype(np.int64) @ weights + (fr.usage << nd)
        uniq, of_group = np.unique(keys, return_inverse=True)
        of_group = of_group.reshape(-1).astype(np.int64)
        n = len(uniq)
        bits = ((uniq[:, None] >> np.arange(nd + nl)) & 1).astype(bool)
        usage = np.zeros(n, dtype=np.uint64)
        for b in range(nl):
            usage |= bits[:, nd + b].astype(np.uint64) << np.uint64(b)
        counts = np.zeros(n, dtype=np.int64)
        np.add.at(counts, of_group, fr.counts)
        first = np.full(n, fr.size, dtype=np.int64)
        np.minimum.at(first, of_group, fr.first)
        s = self.scenario
        full, ext, locked = extension_spaces(s, (), fr.candidates)
        parts = (OutcomeSpace(s, ()), *ext)
        offsets = np.cumsum([0, *(p.size for p in parts)])[:-1].astype(np.int64)
        tab = Tabulation(
            demands=tuple(dems),
            full=full,
            parts=parts,
            offsets=offsets,
            locked=tuple(locked),
            u=fr.u,
            inverse=of_group[fr.inv],
            patterns=bits[:, :nd],
            usage=usage,
            counts=counts,
            first=first,
        )
        out = _Patterns(tab, of_group)
        self._patterns[key] = out
        return out

    def tabulation(
        self, demands: Sequence[Demand], adopted: Sequence[str], candidates: Sequence[str]
    ) -> Tabulation:
        """The tabulation ``TabulationBuilder(scenario, demands, adopted, candidates)`` gives."""
        got = None
        if tuple(adopted) == () and tuple(candidates) == self.frame.candidates:
            got = self._pattern(demands)
        if got is None:
            return TabulationBuilder(self.scenario, demands, adopted, candidates).finish()
        return got.tab

    def backend(self, tabulation: Tabulation, adopted: Sequence[str]) -> Backend:
        """The enumeration back end over ``tabulation``, near misses asked of the classes."""
        got = next((p for p in self._patterns.values() if p.tab is tabulation), None)
        if got is None:
            return EnumBackend(tabulation, adopted)
        fr = self.frame

        def classes() -> Tabulation:
            rows, group, u = fr.classes()
            t = tabulation
            return _ClassTabulation(
                demands=t.demands,
                full=t.full,
                parts=t.parts,
                offsets=t.offsets,
                locked=t.locked,
                u=u,
                inverse=got.of_group[group],
                patterns=t.patterns,
                usage=t.usage,
                counts=t.counts,
                first=t.first,
                rows=rows,
                of=t,
            )

        return _SharedBackend(tabulation, adopted, classes)


class Frames:
    """The frames of a set of scenarios (a timeline's days), built when first asked for.

    ``options`` are the analysis options (``engine``, ``limit``); a scenario gets a
    :class:`Day` when its frame can be shared (module docstring), else None.
    """

    def __init__(self, scenarios: Iterable[Scenario], options: dict[str, Any]) -> None:
        self.options = options
        self._members: dict[str, list[Scenario]] = {}
        for s in scenarios:
            if s.issues and s.bargainers:
                self._members.setdefault(frame_key(s), []).append(s)
        self._frames: dict[str, _Frame | None] = {}
        self._vectors: list[Vectors] = []

    def _usable(self, s: Scenario, members: Sequence[Scenario]) -> bool:
        engine = self.options.get("engine", "auto")
        limit = self.options.get("limit", DEFAULT_LIMIT)
        if engine not in ("auto", "enum") or len({_core(m) for m in members}) < 2:
            return False
        if sum(len(v) for v in s.document.amendment_options.values()) > _KEY_BITS:
            return False  # locked options are bits of one integer per outcome
        base = OutcomeSpace(s, ())
        full = OutcomeSpace(s, True)
        if engine == "auto" and base.size > ENUMERATE_UP_TO:
            return False
        return 0 < base.size <= limit and fits(full.size, len(full.parties))

    def day(self, s: Scenario) -> Day | None:
        """The shared work for ``s``, or None when it is analysed on its own."""
        if not (s.issues and s.bargainers):
            return None
        key = frame_key(s)
        if key not in self._frames:
            members = self._members.get(key, [])
            self._frames[key] = (
                _Frame(members[0], members, self._vectors)
                if members and self._usable(s, members)
                else None
            )
        frame = self._frames[key]
        return None if frame is None else Day(frame, s)
