"""The outcome space of a deal scenario, enumerated in bounded-memory chunks.

An *outcome* fixes one value of every issue. The space is the Cartesian product of the
issue domains (:func:`detente.space.utility.domains`), numbered in mixed radix with the
first declared issue most significant (the order of :func:`itertools.product`). Outcome
``i`` of the space therefore has the same index whether the space is enumerated in one
piece or in chunks, and chunked and unchunked analyses see identical numbers.

Each :class:`Chunk` carries one array per issue (its *codes*: option index, 0/1, or the
integer) and per derived quantity (evaluated from the resolved AST with
:func:`detente.scenario.expr.evaluate.evaluate`). Red lines, utilities and acceptability are
computed chunk by chunk, fully vectorised. This module holds no analysis (ZOPA,
frontier, solutions): those live in sibling modules and consume chunks.

Utilities are *canonicalised*: rounded to :data:`UTILITY_DECIMALS` decimals so that
mathematically equal sums of weights compare equal (floating-point addition is not
associative; without rounding, ties would split and dominance would be decided by
rounding noise).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from detente.errors import LimitError, ScenarioError
from detente.scenario.checked import Scenario
from detente.scenario.model import RedLine
from detente.space.utility import AdditiveUtility, Domain, domains, require_deal_model, utilities

if TYPE_CHECKING:
    from detente.scenario.expr import Expr

__all__ = [
    "Chunk",
    "OutcomeSpace",
    "Terms",
    "DEFAULT_CHUNK",
    "UTILITY_DECIMALS",
    "canonical",
]

DEFAULT_CHUNK = 1 << 19  # outcomes per chunk: ~0.5M keeps a chunk's arrays in tens of MB
UTILITY_DECIMALS = 12
_MAX_INDEX = np.iinfo(np.int64).max

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Terms = dict[str, str | int | bool]


def canonical(u: FloatArray, *, inplace: bool = False) -> FloatArray:
    """Utilities rounded to :data:`UTILITY_DECIMALS` decimals (see module docstring).

    ``inplace`` rounds ``u`` itself (a temporary of the caller's): the same bits, without
    the fresh arrays whose first touch costs more than the rounding on large spaces.
    """
    out: FloatArray = np.round(u, UTILITY_DECIMALS, out=u if inplace else None)
    out += 0.0  # turns -0.0 into 0.0
    return out


@dataclass(frozen=True)
class Chunk:
    """Outcomes ``start .. start + n - 1`` of a space (``start`` is -1 for ad-hoc rows).

    ``columns`` maps every issue id to its codes (int64) and every derived quantity id
    to its values (int64, or bool for a condition).
    """

    start: int
    columns: dict[str, npt.NDArray[np.generic]]
    n: int

    def codes(self, issues: Iterable[str]) -> IntArray:
        """The (n, n_issues) matrix of issue codes, in the order of ``issues``."""
        cols = [np.asarray(self.columns[i], dtype=np.int64) for i in issues]
        if not cols:
            return np.zeros((self.n, 0), dtype=np.int64)
        return np.stack(cols, axis=1)


class OutcomeSpace:
    """The product of a scenario's issue domains, with its parties' utilities and red lines.

    Parameters
    ----------
    scenario:
        A checked scenario (loaded with :func:`detente.scenario.load`).
    unlock:
        Amendment options to put on the table: False (none), True (all) or amendment ids.
    restrict:
        Optional issue id -> list of allowed scenario-file values; narrows those issues'
        domains (used for proposals that leave issues open). Utilities keep the scale of
        the whole declared space.
    deal_model:
        False skips :func:`~detente.space.utility.require_deal_model`, so that a proposal
        check (:mod:`detente.deal.proposals`) can also judge a scenario whose only
        positions are mediators' or observers' red lines.

    Attributes
    ----------
    domains: the issue domains, in declared order.
    issues: issue ids, in declared order.
    size: number of outcomes (exact Python int, may be astronomically large).
    parties: the bargaining parties, in the order of :attr:`Scenario.bargainers`.
    utilities: party id -> :class:`AdditiveUtility`.
    """

    def __init__(
        self,
        scenario: Scenario,
        unlock: Iterable[str] | bool = False,
        *,
        restrict: Mapping[str, Iterable[str | int | bool]] | None = None,
        deal_model: bool = True,
    ) -> None:
        if deal_model:
            require_deal_model(scenario)
        self.deal_model = deal_model
        self.scenario = scenario
        self.unlock = unlock if isinstance(unlock, bool) else tuple(unlock)
        self.domains: list[Domain] = domains(scenario, unlock)
        self.issues: tuple[str, ...] = tuple(d.issue for d in self.domains)
        self.parties: tuple[str, ...] = tuple(scenario.bargainers)
        self.utilities: dict[str, AdditiveUtility] = utilities(scenario)
        self._allowed: dict[str, IntArray] = {}
        for iid, values in (restrict or {}).items():
            dom = self.domain(iid)
            self._allowed[iid] = np.array(sorted({dom.code(v) for v in values}), dtype=np.int64)
        self.radices: tuple[int, ...] = tuple(
            len(self._allowed[d.issue]) if d.issue in self._allowed else d.size
            for d in self.domains
        )
        size = 1
        for r in self.radices:
            size *= r
        self.size: int = size
        self.reservations: FloatArray = np.array(
            [self.utilities[p].reservation for p in self.parties], dtype=np.float64
        )

    # -- domains and numbering -------------------------------------------------------

    def domain(self, issue: str) -> Domain:
        """The domain of ``issue``."""
        for d in self.domains:
            if d.issue == issue:
                return d
        raise ScenarioError([])  # pragma: no cover  # ids were checked at load time

    def issue_codes(self, k: int) -> IntArray:
        """Allowed codes of issue k, ascending (position p of the radix is code [p])."""
        d = self.domains[k]
        if d.issue in self._allowed:
            return self._allowed[d.issue]
        return d.codes()

    @cached_property
    def _code_tables(self) -> list[IntArray]:
        return [self.issue_codes(k) for k in range(len(self.domains))]

    @cached_property
    def _strides(self) -> list[int]:
        strides = [1] * len(self.radices)
        for k in range(len(self.radices) - 2, -1, -1):
            strides[k] = strides[k + 1] * self.radices[k + 1]
        return strides

    def codes_of(self, indices: npt.ArrayLike) -> IntArray:
        """Issue codes (n, n_issues) of outcome indices (mixed radix, first issue first)."""
        idx = np.asarray(indices, dtype=np.int64).reshape(-1)
        self._require_int64()
        out = np.empty((len(idx), len(self.domains)), dtype=np.int64)
        for k, (stride, radix) in enumerate(zip(self._strides, self.radices, strict=True)):
            out[:, k] = self._code_tables[k][(idx // stride) % radix]
        return out

    def indices_of(self, codes: npt.ArrayLike) -> IntArray:
        """Outcome indices of rows of issue codes (inverse of :meth:`codes_of`)."""
        c = np.asarray(codes, dtype=np.int64).reshape(-1, len(self.domains))
        self._require_int64()
        idx = np.zeros(len(c), dtype=np.int64)
        for k, stride in enumerate(self._strides):
            pos = np.searchsorted(self._code_tables[k], c[:, k])
            idx += pos * stride
        return idx

    def terms(self, codes: npt.ArrayLike) -> Terms:
        """Scenario-file terms {issue: value} of one outcome given by its codes."""
        row = np.asarray(codes, dtype=np.int64).reshape(-1)
        return {d.issue: d.label(int(c)) for d, c in zip(self.domains, row, strict=True)}

    def terms_of(self, codes: npt.ArrayLike) -> list[Terms]:
        """Terms of many outcomes at once: rows of issue codes, decoded issue by issue."""
        c = np.asarray(codes, dtype=np.int64).reshape(-1, len(self.domains))
        columns: list[list[str | int | bool]] = []
        for k, d in enumerate(self.domains):
            col = c[:, k]
            if d.kind == "choice":
                columns.append(np.asarray(d.option_ids, dtype=object)[col].tolist())
            elif d.kind == "boolean":
                columns.append((col != 0).tolist())
            else:
                columns.append(col.tolist())
        return (
            [dict(zip(self.issues, row, strict=True)) for row in zip(*columns, strict=True)]
            if columns
            else [{} for _ in range(len(c))]
        )

    def decode(self, index: int) -> Terms:
        """Terms of outcome ``index`` (exact for any size, Python integers)."""
        if not 0 <= index < self.size:
            raise IndexError(f"outcome {index} is outside a space of {self.size:,}")
        out: Terms = {}
        for k, (stride, radix) in enumerate(zip(self._strides, self.radices, strict=True)):
            pos = (index // stride) % radix
            d = self.domains[k]
            if d.issue in self._allowed:
                code = int(self._allowed[d.issue][pos])
            elif d.excluded or d.kind == "choice":
                code = int(self._code_tables[k][pos])
            else:
                code = d.lo + pos
            out[d.issue] = d.label(code)
        return out

    def encode(self, terms: Mapping[str, str | int | bool]) -> int:
        """Index of the outcome with these (complete) terms (inverse of :meth:`decode`)."""
        index = 0
        for k, (stride, d) in enumerate(zip(self._strides, self.domains, strict=True)):
            code = d.code(terms[d.issue])
            pos = int(np.searchsorted(self._code_tables[k], code))
            if pos >= self.radices[k] or int(self._code_tables[k][pos]) != code:
                raise ValueError(f"{d.issue}={terms[d.issue]!r} is not in this space")
            index += pos * stride
        return index

    def codes_from_terms(self, terms: Mapping[str, str | int | bool]) -> IntArray:
        """The codes row of complete ``terms``."""
        return np.array([d.code(terms[d.issue]) for d in self.domains], dtype=np.int64)

    def _require_int64(self) -> None:
        if self.size > _MAX_INDEX:
            raise LimitError(
                f"the outcome space holds {self.size:,} outcomes, too many to number with "
                "64-bit integers; narrow the issue ranges or use --engine solver"
            )

    # -- chunks ------------------------------------------------------------------------

    def chunks(
        self, chunk_size: int = DEFAULT_CHUNK, *, start: int = 0, stop: int | None = None
    ) -> Iterator[Chunk]:
        """Outcomes ``start .. stop - 1`` (default: all) in chunks of ``chunk_size``."""
        if chunk_size < 1:
            raise ValueError("chunk_size must be positive")
        end = self.size if stop is None else min(stop, self.size)
        for s in range(start, end, chunk_size):
            yield self.chunk_of_range(s, min(chunk_size, end - s))

    def range_codes(self, start: int, n: int) -> list[IntArray]:
        """Per issue, the codes of outcomes ``start .. start + n - 1`` (one array each).

        Equal to the columns of :meth:`codes_of` on that range, built from the
        numbering's runs and periods (repeat/tile) instead of a division per outcome.
        """
        self._require_int64()
        return [
            _range_digits(start, n, stride, radix, table)
            for stride, radix, table in zip(
                self._strides, self.radices, self._code_tables, strict=True
            )
        ]

    def chunk_of_range(self, start: int, n: int) -> Chunk:
        """The chunk of outcomes ``start .. start + n - 1``."""
        cols: dict[str, npt.NDArray[np.generic]] = dict(
            zip(self.issues, self.range_codes(start, n), strict=True)
        )
        return self._with_derived(cols, n, start)

    def chunk_of_codes(self, codes: npt.ArrayLike, *, start: int = -1) -> Chunk:
        """A chunk holding arbitrary outcomes given as rows of issue codes."""
        c = np.asarray(codes, dtype=np.int64).reshape(-1, len(self.domains))
        cols: dict[str, npt.NDArray[np.generic]] = {
            iid: np.ascontiguousarray(c[:, k]) for k, iid in enumerate(self.issues)
        }
        return self._with_derived(cols, len(c), start)

    def _with_derived(self, cols: dict[str, npt.NDArray[np.generic]], n: int, start: int) -> Chunk:
        if not self._derived_order:  # no expression to evaluate: the language stays unloaded
            return Chunk(start, cols, n)
        from detente.scenario.expr.evaluate import evaluate

        env = self._env(cols, n)
        for d in self._derived_order:
            cols[d] = _broadcast(evaluate(self._derived_ast[d], env), n)
            env[d] = cols[d]
        return Chunk(start, cols, n)

    def _env(
        self, cols: Mapping[str, npt.NDArray[np.generic]], n: int
    ) -> dict[str, npt.NDArray[np.generic]]:
        env: dict[str, npt.NDArray[np.generic]] = dict(cols)
        for d in self.domains:
            if d.kind == "boolean":
                env[d.issue] = np.asarray(cols[d.issue]).astype(np.bool_)
        return env

    @cached_property
    def _derived_ast(self) -> dict[str, Expr]:
        return {d: self.scenario.derived_ast(d) for d in self.scenario.derived_order}

    @property
    def _derived_order(self) -> tuple[str, ...]:
        """Derived quantities in dependency order (a file may list them in any order)."""
        return self.scenario.derived_order

    # -- red lines, utilities, acceptability --------------------------------------------

    @cached_property
    def red_lines(self) -> dict[tuple[str, str], RedLine]:
        """(party, red line id) -> red line, for the bargaining parties, in file order."""
        return {(p, rl.id): rl for p in self.parties for rl in self.scenario.positions[p].red_lines}

    def red_line_masks(
        self, chunk: Chunk, red_lines: Iterable[tuple[str, str]] | None = None
    ) -> dict[tuple[str, str], BoolArray]:
        """(party, red line id) -> True where the chunk's outcome satisfies the red line.

        ``red_lines`` (keys) defaults to :attr:`red_lines` (the bargaining parties'); pass
        others to evaluate, say, a mediator's red lines on the same outcomes.
        """
        from detente.scenario.expr.evaluate import evaluate

        env = self._env(chunk.columns, chunk.n)
        chosen = self.red_lines if red_lines is None else red_lines
        sc = self.scenario
        return {
            key: _broadcast(evaluate(sc.red_line_ast(*key), env), chunk.n).astype(np.bool_)
            for key in chosen
        }

    @cached_property
    def _utility_tables(self) -> list[tuple[int, FloatArray]]:
        """Per issue: (lowest code, table[code - lo, party]) of weighted, scaled values.

        A restricted issue is tabulated over its allowed codes' span only: a proposal
        fixing a wide integer issue must not allocate a table of its whole range.
        """
        tables = []
        for k, d in enumerate(self.domains):
            allowed = self._allowed.get(d.issue)
            if allowed is None or allowed.size == 0:
                lo, hi = d.lo, d.hi
            else:
                lo, hi = int(allowed[0]), int(allowed[-1])
            allc = np.arange(lo, hi + 1, dtype=np.int64)
            cols = [self.utilities[p].issue_table(k, allc) for p in self.parties]
            tables.append((lo, np.stack(cols, axis=1) if cols else np.zeros((len(allc), 0))))
        return tables

    @cached_property
    def _valued(self) -> list[bool]:
        """Per issue, whether its utility table has a non-zero term.

        Checked once: a wide integer issue's table is large, and a one-outcome witness
        must not scan it.
        """
        return [bool(np.any(table)) for _, table in self._utility_tables]

    @cached_property
    def offsets(self) -> FloatArray:
        """Per party, the constant term of its additive utility (before any issue)."""
        return np.array([self.utilities[p].offset for p in self.parties], dtype=np.float64)

    @cached_property
    def position_tables(self) -> list[FloatArray | None]:
        """Per issue, its (radix, k) utility terms by position, None when all are zero.

        Row ``p`` holds what :meth:`utility_matrix` adds for the issue's ``p``-th allowed
        code (the same float64 numbers), so sums of these rows in declared issue order,
        started from :attr:`offsets`, reproduce its utilities bit for bit.
        """
        out: list[FloatArray | None] = []
        for (lo, table), codes, valued in zip(
            self._utility_tables, self._code_tables, self._valued, strict=True
        ):
            out.append(np.ascontiguousarray(table[codes - lo]) if valued else None)
        return out

    @cached_property
    def _table_rows(self) -> int:
        """Rows the utility tables would hold (every issue's tabulated span)."""
        rows = 0
        for d in self.domains:
            allowed = self._allowed.get(d.issue)
            if allowed is None or allowed.size == 0:
                rows += d.hi - d.lo + 1
            else:
                rows += int(allowed[-1] - allowed[0]) + 1
        return rows

    def utility_matrix(self, chunk: Chunk) -> FloatArray:
        """Canonical utilities (n, k), columns in :attr:`parties` order."""
        total = np.broadcast_to(self.offsets, (chunk.n, len(self.parties))).copy()
        if (
            "_utility_tables" not in self.__dict__
            and 16 * chunk.n < self._table_rows
            and all(iid in chunk.columns for iid in self.issues)
        ):
            # a few outcomes (a witness) of a wide space: their own codes' terms, the
            # same float64 numbers as the tables' rows, without tabulating whole ranges
            # (adding an unvalued issue's zeros changes no canonical utility)
            for k, iid in enumerate(self.issues):
                codes = np.asarray(chunk.columns[iid], dtype=np.int64)
                for j, p in enumerate(self.parties):
                    total[:, j] += self.utilities[p].issue_table(k, codes)
            return canonical(total, inplace=True)
        for (lo, table), iid, valued in zip(
            self._utility_tables, self.issues, self._valued, strict=True
        ):
            if valued:
                total += table[np.asarray(chunk.columns[iid], dtype=np.int64) - lo]
        return canonical(total, inplace=True)

    def restrict(self, allowed: Mapping[str, Iterable[str | int | bool]]) -> OutcomeSpace:
        """The sub-space where each listed issue takes one of the listed values."""
        merged: dict[str, list[str | int | bool]] = {
            iid: [self.domain(iid).label(int(c)) for c in codes]
            for iid, codes in self._allowed.items()
        }
        for iid, vals in allowed.items():
            merged[iid] = list(vals)
        return OutcomeSpace(self.scenario, self.unlock, restrict=merged, deal_model=self.deal_model)


_RUN = 16  # digit runs at least this long are repeated; shorter periods are tiled


def _range_digits(start: int, n: int, stride: int, radix: int, table: IntArray) -> IntArray:
    """``table[((start + i) // stride) % radix]`` for i < n, without dividing per outcome.

    The digit of a mixed-radix position stays constant for runs of ``stride`` outcomes
    and repeats with period ``stride * radix``: long runs are built with ``np.repeat``
    over the few runs in range, short periods by tiling one period.
    """
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    if stride >= _RUN:
        first = start // stride
        n_runs = (start + n - 1) // stride - first + 1
        lengths = np.full(n_runs, stride, dtype=np.int64)
        lengths[0] = min(n, stride - start % stride)
        if n_runs > 1:
            lengths[-1] = (start + n) - (start + n - 1) // stride * stride
        digits = table[(first + np.arange(n_runs, dtype=np.int64)) % radix]
        return np.repeat(digits, lengths)
    period = stride * radix
    if period <= max(n, 1 << 12):
        pattern = np.repeat(table, stride)
        off = start % period
        reps = -(-(off + n) // period)
        tiled: IntArray = np.tile(pattern, reps)[off : off + n]
        return tiled
    out: IntArray = table[((start + np.arange(n, dtype=np.int64)) // stride) % radix]
    return out


def _broadcast(value: object, n: int) -> npt.NDArray[np.generic]:
    arr = np.asarray(value)
    if arr.ndim == 0:
        return np.full(n, arr.item(), dtype=arr.dtype)
    return arr
