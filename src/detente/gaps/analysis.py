"""One entry point for gaps, bridges, near misses and amendments of a scenario.

:func:`analyze_gaps` picks a back end (a tabulation for spaces it can hold, CP-SAT
otherwise, or as forced), lists the demands, decides whether a ZOPA exists (with a
witness outcome), and when it does not: the gaps (MUS), the bridges (MCS, cheapest
first, each with the ZOPA it opens and its Nash and egalitarian deals) and the near
misses; and, for scenarios with amendments, what each set of amendments changes. The
result is a frozen :class:`GapAnalysis`; rendering lives in
:mod:`detente.report.text.gaps` and :mod:`detente.report.json.gaps`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from detente.backends.base import Backend, Engine
from detente.backends.masks import EnumBackend
from detente.backends.tabulation import Tabulation, TabulationBuilder, fits
from detente.gaps.amendments import AmendmentResult, analyze_amendments
from detente.gaps.bridges import ALL_BRIDGES, enumerate_bridges
from detente.gaps.mus import as_gaps, enumerate_gaps
from detente.gaps.near_miss import NEAR_MISSES, near_misses
from detente.gaps.result import GapAnalysis, zopa_open
from detente.results import frozen_mapping
from detente.scenario.checked import Scenario, ScenarioLike
from detente.space.demands import demands
from detente.space.outcomes import OutcomeSpace
from detente.space.utility import require_deal_model

__all__ = ["GapAnalysis", "analyze_gaps", "choose_backend", "zopa_open"]

Progress = Callable[[int, int], None]

SOLVER_BRIDGE_DETAILS = 10  # bridges whose ZOPA and deals the solver back end works out


def choose_backend(
    s: Scenario, n_demands: int, engine: Engine = "auto", adopted: Sequence[str] = ()
) -> str:
    """``enum`` when the largest space examined can be tabulated, else ``solver``."""
    if engine in ("enum", "solver"):
        return engine
    full = OutcomeSpace(s, True)
    return "enum" if fits(full.size, len(full.parties)) else "solver"


def analyze_gaps(
    s: ScenarioLike,
    *,
    engine: Engine = "auto",
    red_lines_only: bool = False,
    gap_limit: int = 50,
    bridge_limit: int = ALL_BRIDGES,
    near_miss_count: int = NEAR_MISSES,
    amendments: bool = True,
    time_limit: float = 60.0,
    unlock: Iterable[str] | bool = (),
    tabulation: Tabulation | None = None,
    progress: Progress | None = None,
    enum_backend: Callable[[Tabulation, Sequence[str]], Backend] | None = None,
) -> GapAnalysis:
    """Gaps, bridges, near misses and amendments of ``s`` (see module docstring).

    Parameters
    ----------
    engine:
        ``auto`` (tabulation when the space fits, else CP-SAT), ``enum`` or ``solver``
        (``merge`` has no gap path and means ``auto``).
    red_lines_only:
        Analyse red lines only, leaving reservations out.
    gap_limit, bridge_limit, near_miss_count:
        How many MUSes, MCSes and near misses to list at most.
    amendments:
        Also examine the scenario's amendments.
    time_limit:
        Seconds per CP-SAT call (solver back end).
    unlock:
        Amendments already adopted (True: all of them): the base analysis uses their
        options, and only the other amendments are examined as candidates.
    tabulation:
        A tabulation of these demands already built (the composite analysis shares the
        deal analysis' enumeration); built here when needed otherwise.
    progress:
        Called as ``progress(done, total)`` while outcomes are tabulated.
    enum_backend:
        Builds the enumeration back end over the tabulation for a set of further
        amendments adopted (default :class:`~detente.backends.masks.EnumBackend`); it
        must answer as that one does (the timeline's days hand in one that asks for
        near misses over rows with equal patterns and utilities merged).
    """
    s = Scenario.of(s)
    require_deal_model(s)
    adopted = s.adopted(unlock)
    known = [a.id for a in s.amendments]
    candidates = [a for a in known if a not in adopted] if amendments else []
    dems = demands(s, red_lines_only=red_lines_only)
    name = choose_backend(s, len(dems), engine)
    if name == "enum" and tabulation is None:
        tabulation = TabulationBuilder(s, dems, adopted, candidates).finish(progress)

    def backend(more: Sequence[str]) -> Backend:
        if name == "enum":
            assert tabulation is not None
            if enum_backend is not None:
                return enum_backend(tabulation, more)
            return EnumBackend(tabulation, more)
        from detente.backends.solver import SolverBackend  # CP-SAT loads only when used

        return SolverBackend(s, dems, (*adopted, *more), time_limit=time_limit)

    eng = backend(())
    muses = enumerate_gaps(eng, gap_limit)
    ordered = sorted(muses.muses, key=lambda m: (len(m), sorted(m)))  # backend-independent
    empty = muses.witness is None
    if empty:
        details = None if name == "enum" else SOLVER_BRIDGE_DETAILS
        bridges = enumerate_bridges(eng, bridge_limit, details=details)
        misses = near_misses(eng, near_miss_count)
    else:
        bridges, misses = None, ()
    ams: tuple[AmendmentResult, ...] = ()
    if candidates:
        ams = analyze_amendments(candidates, backend, ordered, gap_limit=min(gap_limit, 20))
    return GapAnalysis(
        scenario=s.id,
        method="enumeration" if name == "enum" else "solver",
        exact=True,
        parameters=frozen_mapping(
            {
                "engine": engine,
                "red_lines_only": red_lines_only,
                "gap_limit": gap_limit,
                "bridge_limit": bridge_limit,
                "near_miss_count": near_miss_count,
                "amendments": amendments,
                "time_limit": time_limit,
                "unlock": list(adopted),
            }
        ),
        notes=(),
        engine=name,
        red_lines_only=red_lines_only,
        demands=dems,
        zopa_empty=empty,
        witness=muses.witness,
        gaps=as_gaps(dems, ordered),
        gaps_complete=muses.complete,
        bridges=bridges.bridges if bridges else (),
        bridges_complete=bridges.complete if bridges else True,
        near_misses=misses,
        amendments=ams,
    )
