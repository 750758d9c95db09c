"""One entry point for gaps, bridges, near misses and amendments of a scenario.

:func:`analyze_gaps` picks an engine (enumeration for spaces it can hold, CP-SAT
otherwise, or as forced), lists the demands, decides whether a ZOPA exists (with a
witness outcome), and when it does not: the gaps (MUS), the bridges (MCS, cheapest
first, each with the ZOPA it opens and its Nash and egalitarian deals) and the near
misses; and, for scenarios with amendments, what each set of amendments changes. The
result is a frozen :class:`GapAnalysis`; rendering lives in
:mod:`detente.report.text.gaps` and :mod:`detente.report.json.gaps`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from detente.backends.base import Engine, NearMiss, Witness
from detente.backends.masks import MAX_CELLS, MAX_OUTCOMES, EnumEngine
from detente.backends.solver import SolverEngine
from detente.errors import DetenteError
from detente.gaps.amendments import AmendmentResult, analyze_amendments
from detente.gaps.bridges import ALL_BRIDGES, Bridge, enumerate_bridges
from detente.gaps.mus import Gap, as_gaps, enumerate_gaps
from detente.gaps.near_miss import NEAR_MISSES, near_misses
from detente.scenario.checked import Scenario
from detente.space.demands import Demand, demands
from detente.space.outcomes import OutcomeSpace
from detente.space.utility import require_deal_model

__all__ = ["GapAnalysis", "analyze_gaps", "make_engine", "choose_engine", "EngineName"]

EngineName = Literal["auto", "enum", "solver"]
SOLVER_BRIDGE_DETAILS = 10  # bridges whose ZOPA and deals the solver engine works out


@dataclass(frozen=True)
class GapAnalysis:
    """Why there is no deal, what would open one, and how close the parties come."""

    scenario: str
    engine: str
    red_lines_only: bool
    demands: tuple[Demand, ...]
    zopa_empty: bool
    witness: Witness | None
    gaps: tuple[Gap, ...]
    gaps_complete: bool
    bridges: tuple[Bridge, ...]
    bridges_complete: bool
    near_misses: tuple[NearMiss, ...]
    amendments: tuple[AmendmentResult, ...]


def choose_engine(s: Scenario, n_demands: int, engine: EngineName = "auto") -> str:
    """``enum`` when the largest space (all amendments adopted) fits in memory, else ``solver``."""
    if engine != "auto":
        return engine
    size = OutcomeSpace(s, True).size
    return "enum" if size <= MAX_OUTCOMES and size * max(n_demands, 1) <= MAX_CELLS else "solver"


def make_engine(
    s: Scenario,
    dems: Sequence[Demand],
    engine: str,
    unlocked: Sequence[str] = (),
    *,
    time_limit: float = 60.0,
) -> Engine:
    """An engine named ``enum`` or ``solver`` over ``s`` with ``unlocked`` amendments."""
    if engine == "enum":
        return EnumEngine(s, dems, unlocked)
    return SolverEngine(s, dems, unlocked, time_limit=time_limit)


def analyze_gaps(
    s: Scenario,
    *,
    engine: EngineName = "auto",
    red_lines_only: bool = False,
    gap_limit: int = 50,
    bridge_limit: int = ALL_BRIDGES,
    near_miss_count: int = NEAR_MISSES,
    amendments: bool = True,
    time_limit: float = 60.0,
    unlocked: Sequence[str] | bool = (),
) -> GapAnalysis:
    """Gaps, bridges, near misses and amendments of ``s`` (see module docstring).

    Parameters
    ----------
    engine:
        ``auto`` (enumeration when the space fits, else CP-SAT), ``enum`` or ``solver``.
    red_lines_only:
        Analyse red lines only, leaving reservations out.
    gap_limit, bridge_limit, near_miss_count:
        How many MUSes, MCSes and near misses to list at most.
    amendments:
        Also examine the scenario's amendments.
    time_limit:
        Seconds per CP-SAT call (solver engine).
    unlocked:
        Amendments already adopted (True: all of them): the base analysis uses their
        options, and only the other amendments are examined as candidates.
    """
    require_deal_model(s)
    known = [a.id for a in s.amendments]
    adopted = tuple(known) if unlocked is True else tuple(unlocked or ())
    unknown = [a for a in adopted if a not in known]
    if unknown:
        raise DetenteError(f"unknown amendment {unknown[0]!r}; amendments: {known}")
    dems = demands(s, red_lines_only=red_lines_only)
    name = choose_engine(s, len(dems), engine)
    eng = make_engine(s, dems, name, adopted, time_limit=time_limit)
    muses = enumerate_gaps(eng, gap_limit)
    ordered = sorted(muses.muses, key=lambda m: (len(m), sorted(m)))  # engine-independent
    empty = muses.witness is None
    if empty:
        details = None if name == "enum" else SOLVER_BRIDGE_DETAILS
        bridges = enumerate_bridges(eng, bridge_limit, details=details)
        misses = near_misses(eng, near_miss_count)
    else:
        bridges, misses = None, ()
    ams: tuple[AmendmentResult, ...] = ()
    candidates = [a for a in known if a not in adopted]
    if amendments and candidates:
        ams = analyze_amendments(
            candidates,
            lambda more: make_engine(s, dems, name, (*adopted, *more), time_limit=time_limit),
            ordered,
            gap_limit=min(gap_limit, 20),
        )
    return GapAnalysis(
        scenario=s.id,
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
