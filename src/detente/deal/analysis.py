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

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from detente.backends.solver import SolverEngine
from detente.deal.enumeration import enumerate_space
from detente.deal.frontier import DEFAULT_TIE_LIMIT, FrontierPoints
from detente.deal.merge import additive_frontier
from detente.deal.scoring import ProposalScore, score_proposals
from detente.deal.solutions import Solution, Solutions, solve
from detente.deal.zopa import DEFAULT_SAMPLE, PartyAcceptance, Zopa
from detente.errors import LimitError
from detente.scenario.checked import Scenario
from detente.space.demands import demands
from detente.space.outcomes import DEFAULT_CHUNK, OutcomeSpace, Terms

__all__ = [
    "DealAnalysis",
    "Engine",
    "analyze",
    "DEFAULT_LIMIT",
    "ENUMERATE_UP_TO",
]

DEFAULT_LIMIT = 20_000_000
ENUMERATE_UP_TO = 2_000_000
Engine = Literal["auto", "enum", "merge", "solver"]
Progress = Callable[[int, int], None]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class DealAnalysis:
    """Everything the deal model says about a scenario, with its evidence.

    ``frontier`` is the Pareto frontier of the ZOPA (empty when the ZOPA is), and
    ``frontier_all`` that of the whole space; ``method`` names the path taken and
    ``frontier_computed`` is False when no frontier was computed (solver path).
    """

    scenario_id: str
    title: str
    space: OutcomeSpace
    method: str
    zopa: Zopa
    frontier: FrontierPoints
    frontier_all: FrontierPoints
    solutions: Solutions
    proposals: tuple[ProposalScore, ...]
    limit: int
    chunk_size: int
    frontier_computed: bool = True
    notes: tuple[str, ...] = ()

    @property
    def parties(self) -> tuple[str, ...]:
        return self.space.parties

    @property
    def issues(self) -> tuple[str, ...]:
        return self.space.issues

    @property
    def reservations(self) -> FloatArray:
        return self.space.reservations

    def terms(self, codes: IntArray) -> Terms:
        """Scenario-file terms of an outcome given by its issue codes."""
        return self.space.terms(codes)


def _too_big(space: OutcomeSpace, limit: int, why: str) -> LimitError:
    return LimitError(
        f"the outcome space of '{space.scenario.id}' holds {space.size:,} outcomes, more than "
        f"the enumeration limit of {limit:,}, and {why}; narrow the issue ranges, raise the "
        "limit (--limit N, if memory and time allow), or use the CP-SAT solver (--engine solver)"
    )


def _merge_frontiers(
    space: OutcomeSpace, tie_limit: int
) -> tuple[FrontierPoints, FrontierPoints] | None:
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
    space: OutcomeSpace, sample_size: int
) -> tuple[Zopa, Solutions, tuple[str, ...]]:
    unlocked = (
        ()
        if space.unlocked is False
        else tuple(a.id for a in space.scenario.amendments)
        if space.unlocked is True
        else space.unlocked
    )
    dem = demands(space.scenario)
    eng = SolverEngine(space.scenario, dem, unlocked)
    keep = frozenset(range(len(dem)))
    count, exact = eng.count(keep, 10**6)
    k = len(space.parties)
    sols: dict[str, Solution | None] = {}
    sample: list[IntArray] = []
    for kind in ("nash", "egalitarian", "utilitarian"):
        deal = eng.deal(keep, kind)
        if deal is None:
            sols[kind] = None
            continue
        codes = space.codes_from_terms(deal.terms)
        u = np.array([deal.utilities[p] for p in space.parties], dtype=np.float64)
        sample.append(codes)
        sols[kind] = Solution(kind, float(deal.value), u, codes, (0,), 1)
    codes_arr = np.unique(np.array(sample, dtype=np.int64).reshape(-1, len(space.issues)), axis=0)
    chunk = space.chunk_of_codes(codes_arr)
    util = space.utility_matrix(chunk)
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
    return (
        zopa,
        Solutions(
            nash=sols["nash"],
            kalai_smorodinsky=None,
            egalitarian=sols["egalitarian"],
            utilitarian=sols["utilitarian"],
            ideal=None,
        ),
        notes,
    )


def analyze(
    scenario: Scenario,
    *,
    unlocked: Iterable[str] | bool = False,
    engine: Engine = "auto",
    limit: int = DEFAULT_LIMIT,
    chunk_size: int = DEFAULT_CHUNK,
    tie_limit: int = DEFAULT_TIE_LIMIT,
    sample_size: int = DEFAULT_SAMPLE,
    progress: Progress | None = None,
) -> DealAnalysis:
    """Analyse the deal model of ``scenario`` (see the module docstring for the paths).

    Parameters
    ----------
    scenario:
        A checked scenario with issues and positions.
    unlocked:
        Amendment options on the table: False (none), True (all), or amendment ids.
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
    progress:
        Called as ``progress(done, total)`` after each enumerated chunk.

    Raises
    ------
    LimitError
        When the chosen path cannot handle the space; the message says what to do.
    """
    space = OutcomeSpace(scenario, unlocked)
    k, n_issues = len(space.parties), len(space.issues)
    notes: tuple[str, ...] = ()
    computed = True
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
    if use_solver:
        zopa, solutions, notes = _solver_analysis(space, sample_size)
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
            zopa, inside, whole = enumerate_space(
                space,
                chunk_size=chunk_size,
                tie_limit=tie_limit,
                sample_size=sample_size,
                progress=progress,
            )
            method = "enumeration"
        solutions = solve(inside, space.reservations)
    proposals = score_proposals(space, [whole, inside], limit=limit)
    return DealAnalysis(
        scenario_id=scenario.id,
        title=scenario.title,
        space=space,
        method=method,
        zopa=zopa,
        frontier=inside,
        frontier_all=whole,
        solutions=solutions,
        proposals=proposals,
        limit=limit,
        chunk_size=chunk_size,
        frontier_computed=computed,
        notes=notes,
    )
