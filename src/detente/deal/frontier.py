"""The Pareto frontier: outcomes no other outcome Pareto-dominates.

Definition (DESIGN.md, "Deal model"): x Pareto-dominates y when u_i(x) >= u_i(y) for
every party i and u_i(x) > u_i(y) for some i; the frontier is the set of undominated
outcomes. Outcomes with equal utility vectors stand or fall together, so the frontier
is computed on *distinct* utility vectors and each frontier point reports how many
outcomes reach it and which (up to a limit): ties are information, never dropped.

The skyline algorithms are the dominance kernel's (:mod:`detente.space.dominance`).
:class:`FrontierBuilder` streams chunks: it keeps only each chunk's undominated
candidates merged with the running frontier, so memory is bounded by the chunk size
plus the frontier size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from detente.results import dataframe
from detente.space.dominance import eliminate, group_rows, lex_desc, skyline_distinct

Terms = dict[str, str | int | bool]

__all__ = ["DEFAULT_TIE_LIMIT", "FrontierBuilder", "FrontierPoints"]

DEFAULT_TIE_LIMIT = 10

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Decoder = Callable[[IntArray], IntArray]


@dataclass(frozen=True, eq=False)
class FrontierPoints:
    """Distinct undominated utility vectors and the outcomes that reach them.

    Attributes
    ----------
    utilities:
        (m, k) canonical utilities, one row per distinct vector, sorted
        lexicographically descending (best for the first party first).
    codes:
        (m, n_issues) issue codes of a representative outcome per row (the one with the
        lowest outcome index in the enumeration path).
    counts:
        how many outcomes share each row's utility vector (exact Python ints).
    ties:
        per row, the codes (t_j, n_issues) of up to ``tie_limit`` outcomes sharing the
        vector, the representative first.
    method:
        how the points were computed (``"enumeration"``, ``"additive-merge"``, ...).
    exact:
        True when the points are exactly the frontier.
    parties, labels:
        Set by the analysis that owns the frontier: the parties (columns of
        ``utilities``) and a function turning rows of codes into scenario-file terms,
        so the points speak in labels (:meth:`terms`, :meth:`to_dataframe`).
    """

    utilities: FloatArray
    codes: IntArray
    counts: tuple[int, ...]
    ties: tuple[IntArray, ...]
    method: str = "enumeration"
    exact: bool = True
    tie_limit: int = DEFAULT_TIE_LIMIT
    parties: tuple[str, ...] = ()
    labels: Callable[[IntArray], list[Terms]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for a in (self.utilities, self.codes, *self.ties):
            a.flags.writeable = False

    def __len__(self) -> int:
        return int(self.utilities.shape[0])

    def terms(self) -> list[Terms]:
        """The representative outcome of every point, as scenario-file terms."""
        if self.labels is None:
            raise ValueError("these frontier points carry no labels (use an analysis' frontier)")
        return self.labels(self.codes)

    def tie_terms(self, row: int) -> list[Terms]:
        """Every listed outcome (up to the tie limit) sharing point ``row``'s vector."""
        if self.labels is None:
            raise ValueError("these frontier points carry no labels (use an analysis' frontier)")
        return self.labels(self.ties[row])

    def to_dataframe(self) -> Any:
        """One row per point: its terms, each party's utility and the outcome count."""
        records = []
        for terms, u, n in zip(self.terms(), self.utilities, self.counts, strict=True):
            records.append(
                {
                    **terms,
                    **{f"u_{p}": float(x) for p, x in zip(self.parties, u, strict=True)},
                    "count": n,
                }
            )
        return dataframe(records)

    @property
    def n_outcomes(self) -> int:
        """Outcomes on the frontier, ties included."""
        return sum(self.counts)

    @staticmethod
    def empty(k: int, n_issues: int, method: str = "enumeration") -> FrontierPoints:
        """A frontier with no points, for ``k`` parties and ``n_issues`` issues."""
        return FrontierPoints(
            np.zeros((0, k)), np.zeros((0, n_issues), dtype=np.int64), (), (), method
        )


@dataclass
class FrontierBuilder:
    """Streaming exact frontier: feed chunks in outcome order, then call :meth:`result`.

    The state is the frontier of everything fed so far, as distinct vectors with
    counts and up to ``tie_limit`` outcomes each (the earliest fed first), so feeding
    all rows at once or chunk by chunk gives identical results.
    """

    k: int
    n_issues: int
    tie_limit: int = DEFAULT_TIE_LIMIT
    method: str = "enumeration"
    _vec: FloatArray = field(init=False)
    _count: IntArray = field(init=False)
    _tie_codes: IntArray = field(init=False)
    _tie_gid: IntArray = field(init=False)

    def __post_init__(self) -> None:
        self._vec = np.zeros((0, self.k))
        self._count = np.zeros(0, dtype=np.int64)
        self._tie_codes = np.zeros((0, self.n_issues), dtype=np.int64)
        self._tie_gid = np.zeros(0, dtype=np.int64)

    def add(self, u: FloatArray, codes: IntArray | Decoder) -> None:
        """Feed rows: canonical utilities (n, k) and their issue codes (n, n_issues).

        ``codes`` may instead be a function from row numbers (ascending) to their codes,
        called only for the few rows that reach the frontier of the rows fed so far,
        so that a caller need not decode every outcome.
        """
        if len(u) == 0:
            return
        gone = eliminate(u, self._vec)  # cheap, before any sorting
        alive = np.flatnonzero(~gone)
        if len(alive) < len(u):
            u = u[alive]
        order, starts, _ = group_rows(u)
        distinct = u[order[starts]]
        counts = np.diff(np.append(starts, len(u))).astype(np.int64)
        keep = skyline_distinct(distinct)
        # the grouping order is stable: each kept group's first tie_limit rows in it are
        # its earliest rows, so only those are gathered (not every frontier row)
        kept = np.flatnonzero(keep)
        n_ties = np.minimum(counts[kept], self.tie_limit)
        tg = np.repeat(np.arange(len(kept), dtype=np.int64), n_ties)
        first = np.cumsum(n_ties) - n_ties
        rows = order[np.repeat(starts[kept] - first, n_ties) + np.arange(len(tg))]
        picked = np.sort(alive[rows])
        decoded = codes(picked) if callable(codes) else codes[picked]
        tcodes = decoded[np.searchsorted(picked, alive[rows])]
        self._vec, self._count, self._tie_codes, self._tie_gid = self._reduce(
            np.concatenate([self._vec, distinct[keep]]),
            np.concatenate([self._count, counts[keep]]),
            np.concatenate([self._tie_codes, tcodes.reshape(-1, self.n_issues)]),
            np.concatenate([self._tie_gid, tg + len(self._vec)]),
        )

    def copy(self) -> FrontierBuilder:
        """An independent builder in the same state (the state's arrays are never mutated)."""
        twin = FrontierBuilder(self.k, self.n_issues, self.tie_limit, self.method)
        twin._vec, twin._count = self._vec, self._count
        twin._tie_codes, twin._tie_gid = self._tie_codes, self._tie_gid
        return twin

    def _reduce(
        self, u: FloatArray, cnt: IntArray, tcodes: IntArray, tgid: IntArray | None
    ) -> tuple[FloatArray, IntArray, IntArray, IntArray]:
        """Group equal vectors, keep undominated groups, cap ties per group."""
        if len(u) == 0:
            return u, cnt, tcodes, np.zeros(0, dtype=np.int64)
        order, starts, gid = group_rows(u)
        distinct = u[order[starts]]
        counts = np.add.reduceat(cnt[order], starts)
        keep = skyline_distinct(distinct)
        new_id = np.cumsum(keep) - 1
        row_gid = gid if tgid is None else gid[tgid]
        tie_keep = keep[row_gid]
        tg = new_id[row_gid[tie_keep]]
        tc = tcodes[tie_keep]
        o = np.argsort(tg, kind="stable")  # earliest rows first within a group
        tg, tc = tg[o], tc[o]
        first = np.searchsorted(tg, tg, side="left")
        cap = (np.arange(len(tg)) - first) < self.tie_limit
        return distinct[keep], counts[keep], tc[cap], tg[cap]

    def result(self) -> FrontierPoints:
        """The frontier of everything fed so far."""
        if len(self._vec) == 0:
            return FrontierPoints.empty(self.k, self.n_issues, self.method)
        order = lex_desc(self._vec)
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        tg = rank[self._tie_gid]
        o = np.argsort(tg, kind="stable")
        tg, tc = tg[o], self._tie_codes[o]
        bounds = np.searchsorted(tg, np.arange(len(order) + 1))
        ties = tuple(tc[bounds[j] : bounds[j + 1]] for j in range(len(order)))
        return FrontierPoints(
            utilities=self._vec[order],
            codes=np.stack([t[0] for t in ties]) if ties else tc[:0],
            counts=tuple(int(c) for c in self._count[order]),
            ties=ties,
            method=self.method,
            tie_limit=self.tie_limit,
        )
