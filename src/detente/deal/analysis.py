"""The deal analysis facade: ZOPA, frontiers, bargaining solutions and proposal scores.

:func:`analyze` picks a path and returns one frozen :class:`DealAnalysis`:

- ``enum``: enumerate the outcome space chunk by chunk (bounded memory;
  :mod:`detente.deal.enumeration`), counting acceptability and the ZOPA
  (:mod:`detente.deal.zopa`) and streaming both Pareto frontiers
  (:mod:`detente.deal.frontier`); refused with :class:`LimitError` above ``limit``
  outcomes;
- ``merge``: the exact issue-by-issue frontier of additive scenarios
  (:mod:`detente.deal.merge`, when present), which needs no enumeration but applies only
  when every red line mentions a single issue; ZOPA size and per-party counts are then
  not counted (None), emptiness is exact;
- ``solver``: CP-SAT (:mod:`detente.backends.solver`, when present) for spaces too large for
  both; it gives the ZOPA's emptiness and size (possibly a lower bound) and the Nash,
  egalitarian and utilitarian points, but no frontier and no Kalai-Smorodinsky point;
- ``auto``: enumeration up to :data:`ENUMERATE_UP_TO` outcomes (it gives the fullest
  evidence), the merge path above that when it applies (it is faster), else
  enumeration up to ``limit``, else refusal with what to do.

Bargaining solutions are computed from the ZOPA's frontier (:mod:`detente.deal.solutions`),
proposals are scored by :mod:`detente.deal.scoring`. Nothing here prints or reads files;
``progress(done, total)`` is called after each chunk for the caller to render.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from detente.backends.base import Engine
from detente.backends.tabulation import TabulationBuilder
from detente.deal.enumeration import Enumerator, enumerate_space
from detente.deal.frontier import DEFAULT_TIE_LIMIT, FrontierPoints
from detente.deal.solutions import Solutions, solve
from detente.deal.zopa import DEFAULT_SAMPLE, PartyAcceptance, Zopa
from detente.errors import LimitError
from detente.results import dataframe, frozen_mapping, read_only
from detente.scenario.checked import Scenario, ScenarioLike
from detente.space.demands import demands
from detente.space.outcomes import DEFAULT_CHUNK, OutcomeSpace, Terms

if TYPE_CHECKING:  # the merge path and proposal scoring load only when they run
    from detente.deal.scoring import ProposalScore

__all__ = [
    "DEFAULT_LIMIT",
    "ENUMERATE_UP_TO",
    "DealAnalysis",
    "Method",
    "analyze_deal",
]

DEFAULT_LIMIT = 20_000_000
ENUMERATE_UP_TO = 2_000_000
Method = Literal["enumeration", "additive-merge", "solver"]
Progress = Callable[[int, int], None]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class DealAnalysis:
    """Everything the deal model says about a scenario, with its evidence.

    Header (as every result): ``scenario`` (id), ``method`` (the path taken),
    ``exact``, ``parameters`` (engine, limits, amendments adopted), ``notes``.
    ``frontier`` is the Pareto frontier of the ZOPA (empty when the ZOPA is), and
    ``frontier_all`` that of the whole space; ``frontier_computed`` is False when no
    frontier was computed (solver path). Outcomes speak in labels: frontier points and
    solutions carry terms (:meth:`FrontierPoints.terms`, :attr:`Deal.terms`), and
    :meth:`to_dataframe` tabulates the frontiers, the ZOPA sample and the proposals.
    """

    scenario: str
    method: Method
    exact: bool
    parameters: Mapping[str, Any]
    notes: tuple[str, ...]
    title: str
    space: OutcomeSpace
    zopa: Zopa
    frontier: FrontierPoints
    frontier_all: FrontierPoints
    solutions: Solutions
    proposals: tuple[ProposalScore, ...]
    frontier_computed: bool = True

    @property
    def parties(self) -> tuple[str, ...]:
        """The bargaining parties, in the order of utility columns."""
        return self.space.parties

    @property
    def issues(self) -> tuple[str, ...]:
        """Issue ids, in the order of outcome codes."""
        return self.space.issues

    @property
    def reservations(self) -> FloatArray:
        """Reservation values r_i of the parties (a read-only copy), in party order."""
        return read_only(self.space.reservations.copy())

    @property
    def limit(self) -> int:
        """Most outcomes the analysis would enumerate (``parameters["limit"]``)."""
        return int(self.parameters["limit"])

    @property
    def chunk_size(self) -> int:
        """Outcomes per enumeration chunk (``parameters["chunk_size"]``)."""
        return int(self.parameters["chunk_size"])

    def terms(self, codes: npt.ArrayLike) -> Terms:
        """Scenario-file terms of one outcome given by its issue codes."""
        return self.space.terms(codes)

    def terms_of(self, codes: npt.ArrayLike) -> list[Terms]:
        """Scenario-file terms of rows of issue codes (vectorised)."""
        return self.space.terms_of(codes)

    def to_dataframe(
        self, what: Literal["frontier", "frontier_all", "zopa_sample", "proposals"] = "frontier"
    ) -> Any:
        """A pandas DataFrame of one part of the analysis (needs the ``[pandas]`` extra).

        ``what``: the frontier of the ZOPA, the whole space's frontier, the ZOPA sample
        or the proposals.
        """
        if what in ("frontier", "frontier_all"):
            f: FrontierPoints = getattr(self, what)
            return f.to_dataframe()
        if what == "zopa_sample":
            z = self.zopa
            records = [
                {**t, **{f"u_{p}": float(x) for p, x in zip(self.parties, u, strict=True)}}
                for t, u in zip(self.terms_of(z.sample), z.sample_utilities, strict=True)
            ]
            return dataframe(records)
        if what == "proposals":
            rows = []
            for ps in self.proposals:
                row: dict[str, Any] = {"id": ps.id, **ps.terms}
                for j, p in enumerate(self.parties):
                    row[f"u_{p}_min"] = None if ps.u_min is None else float(ps.u_min[j])
                    row[f"u_{p}_max"] = None if ps.u_max is None else float(ps.u_max[j])
                row["acceptable_to"] = ", ".join(ps.acceptable_to)
                row["dominated"] = ps.dominated_by is not None
                rows.append(row)
            return dataframe(rows, index="id")
        raise ValueError(f"unknown table {what!r}: frontier, frontier_all, zopa_sample, proposals")


def _too_big(space: OutcomeSpace, limit: int, why: str) -> LimitError:
    return LimitError(
        f"the outcome space of '{space.scenario.id}' holds {space.size:,} outcomes, more than "
        f"the enumeration limit of {limit:,}, and {why}; narrow the issue ranges, raise the "
        "limit (--limit N, if memory and time allow), or use the CP-SAT solver (--engine solver)"
    )


def _merge_frontiers(
    space: OutcomeSpace, tie_limit: int
) -> tuple[FrontierPoints, FrontierPoints] | None:
    from detente.deal.merge import additive_frontier

    # the ZOPA's frontier first: it is the one that may not apply (cross-issue red lines)
    zopa = additive_frontier(space, zopa=True, tie_limit=tie_limit)
    if zopa is None:
        return None
    whole = additive_frontier(space, zopa=False, tie_limit=tie_limit)
    assert whole is not None  # the whole space has no red lines: the merge always applies
    return zopa, whole


def _uncounted_zopa(space: OutcomeSpace, frontier: FrontierPoints, sample_size: int) -> Zopa:
    parties = tuple(
        PartyAcceptance(
            party=p,
            acceptable=None,
            red_line_failures={rl: None for (q, rl) in space.red_lines if q == p},
            below_reservation=None,
            reservation=float(space.reservations[j]),
        )
        for j, p in enumerate(space.parties)
    )
    return Zopa(
        size=None,
        empty=len(frontier) == 0,
        space_size=space.size,
        sample=frontier.codes[:sample_size],
        sample_utilities=frontier.utilities[:sample_size],
        parties=parties,
    )


def _solver_analysis(
    space: OutcomeSpace, sample_size: int, time_limit: float
) -> tuple[Zopa, Solutions, tuple[str, ...], bool]:
    from detente.backends.solver import SolverBackend  # CP-SAT loads only on this path

    unlock = (
        ()
        if space.unlock is False
        else tuple(a.id for a in space.scenario.amendments)
        if space.unlock is True
        else space.unlock
    )
    dem = demands(space.scenario)
    eng = SolverBackend(space.scenario, dem, unlock, time_limit=time_limit)
    keep = frozenset(range(len(dem)))
    count, exact = eng.count(keep, 10**6)
    k = len(space.parties)
    deals = {kind: eng.deal(keep, kind) for kind in ("nash", "egalitarian", "utilitarian")}
    sample = [space.codes_from_terms(d.terms) for d in deals.values() if d is not None]
    codes_arr = np.unique(np.array(sample, dtype=np.int64).reshape(-1, len(space.issues)), axis=0)
    util = space.utility_matrix(space.chunk_of_codes(codes_arr))
    zopa = Zopa(
        size=count if exact else None,
        empty=count == 0,
        space_size=space.size,
        sample=codes_arr[:sample_size],
        sample_utilities=util[:sample_size],
        parties=_uncounted_zopa(space, FrontierPoints.empty(k, len(space.issues)), 0).parties,
    )
    notes: tuple[str, ...] = (
        "solver path: no Pareto frontier and no Kalai-Smorodinsky point are computed",
    )
    if not exact:
        notes += (f"the ZOPA holds at least {count:,} outcomes (counting stopped)",)
    proven = all(d.optimal for d in deals.values() if d is not None)
    sols = Solutions(
        nash=deals["nash"],
        kalai_smorodinsky=None,
        egalitarian=deals["egalitarian"],
        utilitarian=deals["utilitarian"],
        ideal=None,
    )
    return zopa, sols, notes, exact and proven


def analyze_deal(
    scenario: ScenarioLike,
    *,
    unlock: Iterable[str] | bool = (),
    engine: Engine = "auto",
    limit: int = DEFAULT_LIMIT,
    chunk_size: int = DEFAULT_CHUNK,
    tie_limit: int = DEFAULT_TIE_LIMIT,
    sample_size: int = DEFAULT_SAMPLE,
    time_limit: float = 60.0,
    progress: Progress | None = None,
    collect: TabulationBuilder | None = None,
    enumerator: Enumerator | None = None,
) -> DealAnalysis:
    """Analyse the deal model of ``scenario`` (see the module docstring for the paths).

    Parameters
    ----------
    scenario:
        A checked scenario with issues and positions.
    unlock:
        Amendments adopted (their options on the table): ids, or True for all.
    engine:
        ``auto``, ``enum``, ``merge`` or ``solver``.
    limit:
        Largest space to enumerate.
    chunk_size:
        Outcomes per chunk when enumerating (results do not depend on it).
    tie_limit:
        Outcomes listed per tied frontier point.
    sample_size:
        ZOPA outcomes kept as a sample.
    time_limit:
        Seconds per CP-SAT call (solver path).
    progress:
        Called as ``progress(done, total)`` after each enumerated chunk.
    collect:
        When the enumeration path runs, every outcome's utilities and demand
        satisfaction are fed to it (the composite analysis shares them with the gaps).
    enumerator:
        Stands in for :func:`~detente.deal.enumeration.enumerate_space` on the
        enumeration path and must return what it would (``progress`` and ``collect``
        are then not used): a caller that holds the space's utilities and demand masks
        already, as the timeline's days share them.

    Raises
    ------
    LimitError
        When the chosen path cannot handle the space; the message says what to do.
    ScenarioError
        An unknown amendment id, or a scenario with no deal model.
    """
    scenario = Scenario.of(scenario)
    adopted = scenario.adopted(unlock)
    space = OutcomeSpace(scenario, adopted)
    k, n_issues = len(space.parties), len(space.issues)
    notes: tuple[str, ...] = ()
    computed = True
    exact = True
    merged = None
    if engine == "merge" or (engine == "auto" and space.size > ENUMERATE_UP_TO):
        merged = _merge_frontiers(space, tie_limit)
        if merged is None and engine == "merge":
            raise LimitError(
                "the additive merge path does not apply: a red line mentions two or more "
                "issues or a derived quantity; use --engine enum or --engine solver"
            )
    # too large to enumerate and not additive: CP-SAT answers without enumeration
    use_solver = engine == "solver" or (engine == "auto" and merged is None and space.size > limit)
    method: Method
    if use_solver:
        zopa, solutions, notes, exact = _solver_analysis(space, sample_size, time_limit)
        if engine == "auto":
            notes = (
                f"{space.size:,} outcomes exceed the enumeration limit of {limit:,} and a red "
                "line spans several issues, so the CP-SAT solver answered (no frontier)",
                *notes,
            )
        inside = whole = FrontierPoints.empty(k, n_issues, "solver")
        method, computed = "solver", False
    else:
        if merged is not None:
            inside, whole = merged
            zopa = _uncounted_zopa(space, inside, sample_size)
            method = "additive-merge"
            notes = ("additive merge path: the ZOPA's size and per-party counts are not counted",)
        else:
            if space.size > limit:
                why = (
                    "the additive merge path does not apply (a red line mentions two or "
                    "more issues or a derived quantity)"
                    if engine == "auto"
                    else "enumeration was requested"
                )
                raise _too_big(space, limit, why)
            if enumerator is not None:
                zopa, inside, whole = enumerator(
                    space, chunk_size=chunk_size, tie_limit=tie_limit, sample_size=sample_size
                )
            else:
                zopa, inside, whole = enumerate_space(
                    space,
                    chunk_size=chunk_size,
                    tie_limit=tie_limit,
                    sample_size=sample_size,
                    progress=progress,
                    collect=collect,
                )
            method = "enumeration"
        solutions = solve(inside, space.reservations, space.parties, space.terms_of, method=method)
    inside = replace(inside, parties=space.parties, labels=space.terms_of)
    whole = replace(whole, parties=space.parties, labels=space.terms_of)
    proposals: tuple[ProposalScore, ...] = ()
    if scenario.proposals:
        from detente.deal.scoring import score_proposals

        proposals = score_proposals(space, [whole, inside], limit=limit)
    return DealAnalysis(
        scenario=scenario.id,
        method=method,
        exact=exact,
        parameters=frozen_mapping(
            {
                "engine": engine,
                "unlock": list(adopted),
                "limit": limit,
                "chunk_size": chunk_size,
                "tie_limit": tie_limit,
                "sample_size": sample_size,
                "time_limit": time_limit,
            }
        ),
        notes=notes,
        title=scenario.title,
        space=space,
        zopa=zopa,
        frontier=inside,
        frontier_all=whole,
        solutions=solutions,
        proposals=proposals,
        frontier_computed=computed,
    )
