"""The composite analysis: everything detente says about a scenario, in one result.

:func:`analyze` runs, on one checked scenario: each proposal against each party's red
lines and reservation (:mod:`detente.deal.proposals`); the deal analysis (ZOPA,
frontiers, bargaining solutions, proposal scores; :mod:`detente.deal`); when there is
no deal, or amendments to examine, the gap analysis (minimal conflicts, bridges, near
misses, amendments; :mod:`detente.gaps`); the strategic analysis when the scenario has a
conflict section (:mod:`detente.conflict`); and the bottom line of all of them
(:mod:`detente.analysis.summary`). This is the one object the command line, the
report and the web app render.

Sharing work: when the space can be tabulated, the deal analysis' enumeration feeds the
tabulation the gap questions read (:mod:`detente.backends.tabulation`), so every outcome
is enumerated once. Feeding stops as soon as the ZOPA is known to be open and there is
no amendment to examine: then no gap question is asked at all. A caller that analyses
many scenarios over one outcome space (the timeline's days) may hand in what it holds
already (:class:`SharedWork`): the enumeration's results, the tabulation, and the back
end over it; the analysis is otherwise the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from detente.analysis.summary import Summary, summarize
from detente.backends.base import Backend, Engine, Witness
from detente.backends.tabulation import Tabulation, TabulationBuilder, fits
from detente.deal.analysis import DEFAULT_LIMIT, DealAnalysis, analyze_deal
from detente.deal.frontier import FrontierPoints
from detente.deal.limits import MAX_COMPLETIONS
from detente.deal.zopa import Zopa
from detente.gaps.result import GapAnalysis, zopa_open
from detente.results import frozen_mapping
from detente.scenario.checked import Scenario, ScenarioLike
from detente.space.demands import Demand, demands
from detente.space.outcomes import OutcomeSpace

if TYPE_CHECKING:
    from detente.conflict.analysis import ConflictAnalysis
    from detente.deal.proposals import ProposalCheck

__all__ = ["Analysis", "SharedWork", "analyze"]

Progress = Callable[[str, int, int], None]


class SharedWork(Protocol):
    """What a caller already holds for one scenario's outcome space, handed to :func:`analyze`.

    Each method stands in for a step of the analysis and must return what that step
    would: ``enumerate`` for :func:`detente.deal.enumeration.enumerate_space` (the deal
    analysis' walk), ``tabulation`` for :class:`~detente.backends.tabulation.TabulationBuilder`
    (``demands`` over the space with ``adopted``, the ``candidates``' outcomes too) and
    ``backend`` for :class:`~detente.backends.masks.EnumBackend` over that tabulation.
    The timeline's days implement it (:mod:`detente.timeline.frames`).
    """

    def enumerate(
        self, space: OutcomeSpace, *, chunk_size: int, tie_limit: int, sample_size: int
    ) -> tuple[Zopa, FrontierPoints, FrontierPoints]:
        """(ZOPA, frontier of the ZOPA, frontier of the whole space) of ``space``."""
        ...

    def tabulation(
        self, demands: Sequence[Demand], adopted: Sequence[str], candidates: Sequence[str]
    ) -> Tabulation:
        """Every outcome's utilities and pattern of ``demands``."""
        ...

    def backend(self, tabulation: Tabulation, adopted: Sequence[str]) -> Backend:
        """The enumeration back end over ``tabulation`` with ``adopted`` further amendments."""
        ...


@dataclass(frozen=True, eq=False)
class Analysis:
    """Every analysis of one scenario and their bottom line.

    Header as every result (``scenario``, ``method``, ``exact``, ``parameters``,
    ``notes``); ``deal`` and ``gaps`` are None without a deal model (issues and
    positions), ``conflict`` without a conflict section.
    """

    scenario: str
    method: Literal["composite"]
    exact: bool
    parameters: Mapping[str, Any]
    notes: tuple[str, ...]
    title: str
    source: Scenario
    checks: tuple[ProposalCheck, ...]
    deal: DealAnalysis | None
    gaps: GapAnalysis | None
    conflict: ConflictAnalysis | None
    summary: Summary


def analyze(
    scenario: ScenarioLike,
    *,
    engine: Engine = "auto",
    unlock: Iterable[str] | bool = (),
    red_lines_only: bool = False,
    limit: int = DEFAULT_LIMIT,
    gap_limit: int = 50,
    time_limit: float = 60.0,
    amendments: bool = True,
    without: Sequence[str] | None = None,
    max_completions: int = MAX_COMPLETIONS,
    progress: Progress | None = None,
    shared: SharedWork | None = None,
) -> Analysis:
    """Every analysis of ``scenario`` and their bottom line (see the module docstring).

    Parameters
    ----------
    engine:
        ``auto``, ``enum``, ``merge`` or ``solver`` (see :data:`detente.backends.base.Engine`).
    unlock:
        Amendments adopted (ids, or True for all): their options are on the table, and
        only the others are examined as candidates.
    red_lines_only:
        Gap analysis of the red lines alone (reservations left out).
    limit, gap_limit, time_limit:
        Largest space to enumerate; most gaps and bridges listed; seconds per CP-SAT call.
    amendments:
        Examine the scenario's amendments.
    without:
        Decision makers to compare the strategic analysis without (default: the
        mediators among them; ``()`` for none).
    max_completions:
        Proposals leaving more open completions than this are refused.
    progress:
        Called as ``progress(step, done, total)`` during long steps (``step`` names it).
    shared:
        Work already done for this scenario's outcome space (:class:`SharedWork`);
        the caller answers for it matching ``engine``, ``unlock`` and ``limit``.
        The enumeration then reports no progress.
    """
    scenario = Scenario.of(scenario)
    s = scenario
    adopted = s.adopted(unlock)
    checks: tuple[ProposalCheck, ...] = ()
    if s.proposals:  # the proposal checks load only for a file that has proposals
        from detente.deal.proposals import check_proposals

        checks = check_proposals(s, unlock=adopted, max_completions=max_completions)
    deal = gaps = None
    notes: list[str] = []
    if s.issues and s.bargainers:
        candidates = [a.id for a in s.amendments if a.id not in adopted] if amendments else []
        dems = demands(s, red_lines_only=red_lines_only)
        builder = None
        if shared is None and engine in ("auto", "enum"):
            full = OutcomeSpace(s, (*adopted, *candidates))
            base = OutcomeSpace(s, adopted)
            if fits(full.size, len(full.parties)) and base.size <= limit:
                builder = TabulationBuilder(s, dems, adopted, candidates)
                if not candidates:
                    builder.stop_on_zopa = True

        def step(name: str) -> Callable[[int, int], None] | None:
            if progress is None:
                return None
            return lambda done, total: progress(name, done, total)

        deal = analyze_deal(
            s,
            unlock=adopted,
            engine=engine,
            limit=limit,
            time_limit=time_limit,
            progress=step("enumerating outcomes"),
            collect=builder,
            enumerator=None if shared is None else shared.enumerate,
        )
        if not deal.zopa.empty and not candidates:
            gaps = zopa_open(s, _witness(deal), red_lines_only=red_lines_only)
        else:  # the gap machinery loads only when there is a gap or an amendment to examine
            from detente.gaps.analysis import analyze_gaps

            tab = None
            if builder is not None and not builder.abandoned:
                tab = builder.finish(step("tabulating outcomes"))
            elif shared is not None and engine in ("auto", "enum"):
                tab = shared.tabulation(dems, adopted, candidates)
            gaps = analyze_gaps(
                s,
                engine=engine,
                red_lines_only=red_lines_only,
                gap_limit=gap_limit,
                bridge_limit=gap_limit,
                amendments=amendments,
                time_limit=time_limit,
                unlock=adopted,
                tabulation=tab,
                progress=step("tabulating outcomes"),
                enum_backend=None if shared is None else shared.backend,
            )
    conflict = None
    if s.conflict is not None:  # the GMCR modules load only for scenarios with a conflict
        from detente.conflict.analysis import analyze_conflict

        conflict = analyze_conflict(s, without=without)
    summary = summarize(s, checks, deal, gaps, conflict)
    parts = [x for x in (deal, gaps, conflict) if x is not None]
    for x in parts:
        notes.extend(x.notes)
    return Analysis(
        scenario=s.id,
        method="composite",
        exact=all(x.exact for x in parts),
        parameters=frozen_mapping(
            {
                "engine": engine,
                "unlock": list(adopted),
                "red_lines_only": red_lines_only,
                "limit": limit,
                "gap_limit": gap_limit,
                "time_limit": time_limit,
                "amendments": amendments,
                "without": None if without is None else list(without),
                "max_completions": max_completions,
            }
        ),
        notes=tuple(dict.fromkeys(notes)),
        title=s.title,
        source=s,
        checks=checks,
        deal=deal,
        gaps=gaps,
        conflict=conflict,
        summary=summary,
    )


def _witness(deal: DealAnalysis) -> Witness:
    z = deal.zopa
    terms = deal.terms(z.sample[0]) if len(z.sample) else {}
    u = z.sample_utilities[0] if len(z.sample) else []
    return Witness(terms, {p: float(x) for p, x in zip(deal.parties, u, strict=False)}, frozenset())
