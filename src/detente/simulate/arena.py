"""The arena: a scenario prepared for playing negotiations out, as plain arrays.

:func:`prepare` enumerates the outcome space once and keeps, per bargaining party (the
scenario's parties with a position, in file order, which is the turn order), the
canonical utility of every outcome, whether the outcome keeps that party's own red lines
and reservation (from the one acceptability evaluator,
:func:`detente.space.demands.satisfaction`), and its feasible outcomes for the fast
inverse-utility search (:mod:`detente.simulate.lookup`, which sorts them lazily, from
the top, as look-ups reach them: nothing is sorted here). Utilities are outer sums of
the per-issue tables, as :func:`detente.deal.enumeration.block_utilities` computes them
(the same float64 additions as
:meth:`~detente.space.outcomes.OutcomeSpace.utility_matrix`), rounded in place.

An :class:`Arena` holds no scenario object, only arrays and labels, so it pickles small
and a tournament ships it once to each worker. Relaxing demands (a bridge's red lines or
reservations, ``relax=``) is done on the scenario itself (:func:`relaxed`): the relaxed
red lines are dropped and a relaxed reservation becomes 0, so every analysis of the
relaxed scenario (the ZOPA, the Nash point) sees the same demands as the negotiators;
an ``absolute`` demand is never relaxed (refused, as the web app refuses it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from detente.errors import LimitError, Problem, ScenarioError, did_you_mean
from detente.results import read_only
from detente.scenario.checked import Scenario
from detente.simulate.lookup import SortedUtilities, sort_feasible
from detente.space.demands import RESERVATION, Demand, demands, party_columns, satisfaction
from detente.space.outcomes import DEFAULT_CHUNK, UTILITY_DECIMALS, OutcomeSpace, Terms

__all__ = ["ARENA_LIMIT", "Arena", "prepare", "relaxed", "relaxed_once", "demand_keys"]

ARENA_LIMIT = 20_000_000  # outcomes an arena enumerates at most
_SCALE = 10.0**UTILITY_DECIMALS

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def demand_keys(s: Scenario) -> tuple[str, ...]:
    """Every demand key of ``s`` (``party/red-line-id`` and ``party/reservation``)."""
    return tuple(d.key for d in demands(s))


def relaxed(
    s: Scenario, keys: Iterable[str], *, lenient: bool = False, field: str = "--relax"
) -> Scenario:
    """``s`` with the demands ``keys`` relaxed: red lines dropped, reservations set to 0.

    The one check and rewrite of a relaxation (``detente simulate --relax``, the web
    app's "relax this demand"): raises :class:`~detente.errors.ScenarioError` naming
    every unknown demand and every ``absolute`` one (never relaxed, whatever is asked;
    :attr:`~detente.space.demands.Demand.relaxable`); ``field`` is the option named in
    the error. With ``lenient``, unknown demands are left out instead (the web editor,
    whose date slider may reach a day before a red line existed).
    """
    wanted = tuple(dict.fromkeys(keys))
    if not wanted:
        return s
    known = {d.key: d for d in demands(s)}
    if lenient:
        wanted = tuple(k for k in wanted if k in known)
        if not wanted:
            return s
    problems = []
    for k in wanted:
        d = known.get(k)
        if d is None:
            problems.append(
                Problem(
                    f"no demand '{k}' to relax",
                    (field,),
                    s.origin,
                    expected="party/red-line-id or party/reservation",
                    hint=did_you_mean(k, tuple(known), what="demand"),
                )
            )
        elif not d.relaxable:
            problems.append(_absolute(s, d, field))
    if problems:
        raise ScenarioError(problems)
    doc = s.document
    positions = dict(doc.positions)
    for pid, pos in doc.positions.items():
        drop = {k.split("/", 1)[1] for k in wanted if k.split("/", 1)[0] == pid}
        if not drop:
            continue
        update: dict[str, object] = {
            "red_lines": tuple(rl for rl in pos.red_lines if rl.id not in drop)
        }
        if RESERVATION in drop:
            update["reservation"] = pos.reservation.model_copy(update={"value": 0.0})
        positions[pid] = pos.model_copy(update=update)
    return s.with_document(doc.model_copy(update={"positions": positions}))


def _absolute(s: Scenario, d: Demand, field: str) -> Problem:
    """The refusal of relaxing ``d``, located at its ``firmness`` in the file."""
    if d.kind == RESERVATION:
        path: tuple[str | int, ...] = ("positions", d.party, "reservation", "firmness")
    else:
        ids = [rl.id for rl in s.positions[d.party].red_lines]
        path = ("positions", d.party, "red_lines", ids.index(d.id), "firmness")
    line, column = s.locations.at(path)
    return Problem(
        f"'{d.key}' is absolute and is never relaxed ({field} {d.key})",
        path,
        s.origin,
        line,
        column,
        hint="a bridge never relaxes an absolute demand; to explore relaxing it anyway, "
        "give it a firmness of 1-10 in the file",
    )


@dataclass(frozen=True, eq=False)
class Arena:
    """A scenario's outcome space as arrays, ready for negotiations.

    Attributes
    ----------
    scenario, title:
        The scenario's id and title.
    parties, names:
        The bargaining parties (turn order) and their display names.
    mediators:
        Parties with role ``mediator`` (who may run a single text).
    issues, labels, radices:
        Issue ids, the scenario-file value of each position of each issue, and the
        number of values of each issue in this space (amendment options included only
        when adopted).
    utilities:
        (k, size) canonical utilities, read-only.
    feasible:
        (k, size): the outcome keeps the party's own red lines and reservation.
    worst, best:
        Per party, its lowest and highest utility over the outcomes keeping its red lines
        (NaN when none does); ``floor`` is ``max(worst, reservation)``.
    reservations:
        Per party (0 for a relaxed reservation).
    sorted:
        Per party, its feasible outcomes sorted by (utility, index).
    relaxed, unlocked:
        The demands relaxed and the amendments adopted.
    """

    scenario: str
    title: str
    parties: tuple[str, ...]
    names: tuple[str, ...]
    mediators: tuple[str, ...]
    issues: tuple[str, ...]
    labels: tuple[tuple[str | int | bool, ...], ...]
    radices: tuple[int, ...]
    utilities: FloatArray
    feasible: BoolArray
    worst: FloatArray
    best: FloatArray
    reservations: FloatArray
    sorted: tuple[SortedUtilities, ...]
    relaxed: tuple[str, ...] = ()
    unlocked: tuple[str, ...] = ()
    _strides: tuple[int, ...] = field(default=(), repr=False)

    @property
    def size(self) -> int:
        """Number of outcomes of the space."""
        return int(self.utilities.shape[1])

    @property
    def floor(self) -> FloatArray:
        """Per party, max(worst utility keeping its red lines, reservation)."""
        return read_only(np.fmax(self.worst, self.reservations))

    def positions_of(self, outcomes: npt.ArrayLike) -> IntArray:
        """(n, n_issues) positions of outcome indices (mixed radix, first issue first)."""
        idx = np.asarray(outcomes, dtype=np.int64).reshape(-1)
        out = np.empty((len(idx), len(self.radices)), dtype=np.int64)
        for k, (stride, radix) in enumerate(zip(self._strides, self.radices, strict=True)):
            out[:, k] = (idx // stride) % radix
        return out

    def outcome_of(self, positions: Sequence[int]) -> int:
        """The index of the outcome with these issue positions."""
        return int(sum(p * s for p, s in zip(positions, self._strides, strict=True)))

    def terms_of(self, outcomes: npt.ArrayLike) -> list[Terms]:
        """Scenario-file terms of outcome indices."""
        pos = self.positions_of(outcomes)
        return [
            {
                iid: self.labels[k][int(p)]
                for k, (iid, p) in enumerate(zip(self.issues, row, strict=True))
            }
            for row in pos.tolist()
        ]

    def terms(self, outcome: int) -> Terms:
        """Scenario-file terms of one outcome index."""
        return self.terms_of([outcome])[0]

    def encode(self, terms: dict[str, str | int | bool]) -> int:
        """The outcome index of complete ``terms`` (ValueError when not in this space)."""
        pos = []
        for iid, labels in zip(self.issues, self.labels, strict=True):
            if iid not in terms:
                raise ValueError(f"the terms leave issue '{iid}' open")
            value = terms[iid]
            match = [j for j, x in enumerate(labels) if x == value and type(x) is type(value)]
            if not match:
                raise ValueError(f"{iid}={value!r} is not on the table")
            pos.append(match[0])
        return self.outcome_of(pos)

    def utility_dict(self, outcome: int) -> dict[str, float]:
        """Every party's utility of one outcome, by party id."""
        return {p: float(self.utilities[i, outcome]) for i, p in enumerate(self.parties)}


def _grid(space: OutcomeSpace) -> FloatArray:
    """(k, size) ``rint(u * 1e12)`` of every outcome's additive utility sum, as floats.

    The sums are :func:`detente.deal.enumeration.block_utilities`' (the offset first,
    then the issues in declared order, broadcast as outer sums: the same float64
    additions as :meth:`~detente.space.outcomes.OutcomeSpace.utility_matrix`); the
    first two steps of :func:`~detente.space.outcomes.canonical` (``np.round``:
    multiply by 10**12, ``rint``, divide) are done in place, so the canonical utilities
    are ``grid / 1e12``, bit for bit (:func:`prepare` divides in place too: one buffer
    of k x size floats, no temporaries of that size).
    """
    k = len(space.parties)
    part = np.array(space.offsets[:, None], dtype=np.float64)
    tables = space.position_tables
    for j, r in enumerate(space.radices):
        t = tables[j]
        if t is None:
            part = np.repeat(part, r, axis=1)
        else:  # into a C-ordered buffer: no copy to make it contiguous afterwards
            out = np.empty((k, part.shape[1], r))
            np.add(part[:, :, None], t.T[:, None, :], out=out)
            part = out.reshape(k, -1)
    np.multiply(part, _SCALE, out=part)
    np.rint(part, out=part)
    return part


def _demand_masks(
    space: OutcomeSpace, u: FloatArray, dems: Sequence[Demand]
) -> tuple[BoolArray, FloatArray, FloatArray]:
    """(feasible (k, n), worst, best): each party's own demands kept, and its range.

    ``worst``/``best`` are over the outcomes keeping the party's red lines (inf/-inf
    when none does). Red lines are evaluated chunk by chunk by the one acceptability
    evaluator (:func:`detente.space.demands.satisfaction`); a party's reservation is
    ``u >= r`` (what that evaluator does).
    """
    k, n = u.shape
    cols = party_columns(dems, space.parties)
    feasible = np.empty((k, n), dtype=np.bool_)
    worst = np.full(k, np.inf)
    best = np.full(k, -np.inf)
    if not any(d.kind != RESERVATION for d in dems):
        for i, p in enumerate(space.parties):
            row = feasible[i]
            row[:] = True
            for j in cols[p]:
                np.logical_and(row, u[i] >= dems[j].value, out=row)
            if n:
                worst[i], best[i] = float(u[i].min()), float(u[i].max())
        return feasible, worst, best
    red_cols = {
        p: np.array([j for j in c if dems[j].kind != RESERVATION], dtype=np.int64)
        for p, c in cols.items()
    }
    for start in range(0, n, DEFAULT_CHUNK):
        m = min(DEFAULT_CHUNK, n - start)
        uu = u[:, start : start + m]
        sat, _ = satisfaction(space, space.chunk_of_range(start, m), dems, utility=uu.T)
        for i, p in enumerate(space.parties):
            feasible[i, start : start + m] = sat[:, cols[p]].all(axis=1)
            if len(red_cols[p]) == 0:
                lo, hi = float(uu[i].min()), float(uu[i].max())
            else:
                keep = sat[:, red_cols[p]].all(axis=1)
                lo = float(np.min(uu[i], where=keep, initial=np.inf))
                hi = float(np.max(uu[i], where=keep, initial=-np.inf))
            worst[i], best[i] = min(worst[i], lo), max(best[i], hi)
    return feasible, worst, best


@lru_cache(maxsize=4)
def relaxed_once(s: Scenario, keys: tuple[str, ...]) -> Scenario:
    """:func:`relaxed`, remembered for the last few scenarios (scenarios are immutable).

    One negotiation relaxes its scenario for the arena, the mediator and the reference,
    and a caller playing many seeds of one scenario asks for it again and again; the
    check and rewrite cost more than a short negotiation.
    """
    return relaxed(s, keys)


def prepare(
    scenario: Scenario,
    *,
    unlock: Iterable[str] | bool = (),
    relax: Iterable[str] = (),
    limit: int = ARENA_LIMIT,
) -> Arena:
    """The :class:`Arena` of ``scenario`` with amendments ``unlock`` and demands ``relax``.

    Raises :class:`~detente.errors.LimitError` above ``limit`` outcomes and
    :class:`~detente.errors.ScenarioError` for unknown amendments or demands, and for
    absolute demands (never relaxed).
    """
    relax = tuple(relax)
    s = relaxed_once(scenario, relax)
    adopted = s.adopted(unlock)
    space = OutcomeSpace(s, adopted)
    if space.size > limit:
        raise LimitError(
            f"the outcome space holds {space.size:,} outcomes; negotiations are simulated "
            f"over at most {limit:,} (narrow integer ranges, or fix some issues)"
        )
    k = len(space.parties)
    n_issues = len(space.issues)
    u = _grid(space)
    np.divide(u, _SCALE, out=u)
    np.add(u, 0.0, out=u)  # canonical(): -0.0 becomes 0.0
    feasible, worst, best = _demand_masks(space, u, demands(s))
    worst[~np.isfinite(worst)] = np.nan
    best[~np.isfinite(best)] = np.nan
    u = read_only(u)
    labels = tuple(
        tuple(space.domains[j].label(int(c)) for c in space.issue_codes(j)) for j in range(n_issues)
    )
    strides = [1] * n_issues
    for j in range(n_issues - 2, -1, -1):
        strides[j] = strides[j + 1] * space.radices[j + 1]
    mediators = tuple(p.id for p in s.parties if p.role == "mediator")
    return Arena(
        scenario=s.id,
        title=s.title,
        parties=space.parties,
        names=tuple(s.party_name(p) for p in space.parties),
        mediators=mediators,
        issues=space.issues,
        labels=labels,
        radices=space.radices,
        utilities=u,
        feasible=read_only(feasible),
        worst=read_only(worst),
        best=read_only(best),
        reservations=read_only(space.reservations.copy()),
        sorted=tuple(sort_feasible(u[i], feasible[i]) for i in range(k)),
        relaxed=relax,
        unlocked=adopted,
        _strides=tuple(strides),
    )
