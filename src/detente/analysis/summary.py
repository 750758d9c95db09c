"""The bottom line of a composite analysis: its conclusions, computed, not rendered.

An analyst reads the conclusion first: deal or no deal; each minimal conflict, those
resting on reported demands only first; whether a floated amendment bridges; the
cheapest bridge and the fair deal it opens; the stable states and whether outside
pressure changes them; how many of the numbers behind it are assumptions. Every item
here is taken from the analyses' results (nothing is recomputed), with the evidence a
renderer needs to say it in one line. Rendering lives in :mod:`detente.report`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from detente.conflict.concepts import CONCEPTS, Concept
from detente.deal.analysis import DealAnalysis
from detente.scenario.checked import Scenario
from detente.scenario.numbers import numbers
from detente.space.bargaining import Deal

if TYPE_CHECKING:
    from detente.conflict.analysis import ConflictAnalysis
    from detente.deal.proposals import ProposalCheck
    from detente.gaps.result import GapAnalysis

__all__ = [
    "BridgeLine",
    "GapLine",
    "PressureLine",
    "ProposalLine",
    "Summary",
    "summarize",
]


@dataclass(frozen=True)
class GapLine:
    """One minimal conflict: its demands (keys), parties, and which are assumptions."""

    demands: tuple[str, ...]
    parties: tuple[str, ...]
    reported_only: bool
    assumed: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class BridgeLine:
    """The cheapest bridge: what to relax, its cost, the ZOPA it opens and its deals."""

    relax: tuple[str, ...]
    cost: int
    zopa_size: int | None
    zopa_exact: bool
    egalitarian: Deal | None
    nash: Deal | None
    rests_on_assumptions: bool  # firmness (the cost) is always the analyst's estimate


@dataclass(frozen=True)
class PressureLine:
    """Whether the equilibria change without some decision makers (outside pressure)."""

    without: tuple[str, ...]
    changed: Mapping[Concept, bool]
    only_with: Mapping[Concept, tuple[str, ...]]
    only_without: Mapping[Concept, tuple[str, ...]]


@dataclass(frozen=True)
class ProposalLine:
    """A proposal's verdict: acceptable to all (always / sometimes / never), and to whom not."""

    id: str
    acceptable_to_all: str
    rejected_by: tuple[str, ...]  # parties none of whose completions accept it


@dataclass(frozen=True, eq=False)
class Summary:
    """The conclusions of a composite analysis (see the module docstring).

    ``zopa_empty`` is None without a deal model; ``equilibria`` maps each concept to the
    equilibria as Y/N patterns (empty without a conflict section).
    """

    has_deal_model: bool
    zopa_empty: bool | None
    zopa_size: int | None
    fair_deal: Deal | None
    nash_deal: Deal | None
    gaps: tuple[GapLine, ...]
    gaps_complete: bool
    amendments_examined: int
    bridging_amendments: tuple[tuple[str, ...], ...]
    cheapest_bridge: BridgeLine | None
    proposals: tuple[ProposalLine, ...]
    has_conflict: bool
    equilibria: Mapping[Concept, tuple[str, ...]]
    status_quo: str | None
    status_quo_stable: Mapping[Concept, bool]
    pressure: PressureLine | None
    numbers: int
    assumed_numbers: int
    reported_items: int
    assumed_items: int


def _gap_lines(gaps: GapAnalysis | None) -> tuple[GapLine, ...]:
    if gaps is None:
        return ()
    lines = [
        GapLine(
            demands=g.keys,
            parties=g.parties,
            reported_only=all(d.basis == "reported" for d in g.demands),
            assumed=tuple(d.key for d in g.demands if d.basis != "reported"),
        )
        for g in gaps.gaps
    ]
    # conflicts resting on reported demands only first (stable sort keeps the order)
    return tuple(sorted(lines, key=lambda g: not g.reported_only))


def _items(s: Scenario) -> tuple[int, int]:
    reported = assumed = 0
    for pid in s.bargainers:
        pos = s.positions[pid]
        for item in [*pos.red_lines, *pos.priorities.values(), pos.reservation]:
            if item.basis == "reported":
                reported += 1
            else:
                assumed += 1
    return reported, assumed


def summarize(
    s: Scenario,
    checks: Sequence[ProposalCheck],
    deal: DealAnalysis | None,
    gaps: GapAnalysis | None,
    conflict: ConflictAnalysis | None,
) -> Summary:
    """The bottom line of the analyses of ``s`` (any of them may be None)."""
    bridge = None
    if gaps is not None and gaps.zopa_empty and gaps.bridges:
        b = gaps.bridges[0]
        bridge = BridgeLine(b.keys, b.cost, b.zopa_size, b.zopa_exact, b.egalitarian, b.nash, True)
    bridging = tuple(a.adopted for a in gaps.amendments if a.opens_zopa) if gaps else ()
    eq: dict[Concept, tuple[str, ...]] = {}
    sq_stable: dict[Concept, bool] = {}
    sq = None
    pressure = None
    if conflict is not None:
        st = conflict.stability
        pats = st.conflict.patterns()
        eq = {c: tuple(pats[e - 1] for e in st.equilibria(c)) for c in CONCEPTS}
        if conflict.status_quo is not None:
            sq = pats[conflict.status_quo.status_quo - 1]
            sq_stable = {c: conflict.status_quo.status_quo in st.equilibria(c) for c in CONCEPTS}
        cmp = conflict.comparison
        if cmp is not None:
            pressure = PressureLine(
                without=cmp.removed,
                changed={c: cmp.changed(c) for c in CONCEPTS},
                only_with={c: tuple(cmp.only_with(c)) for c in CONCEPTS},
                only_without={c: tuple(cmp.only_without(c)) for c in CONCEPTS},
            )
    nums = numbers(s)
    reported, assumed = _items(s)
    proposals = tuple(
        ProposalLine(
            c.proposal,
            c.deal,
            tuple(p.party for p in c.parties if p.acceptable_in == 0),
        )
        for c in checks
    )
    return Summary(
        has_deal_model=deal is not None,
        zopa_empty=None if deal is None else deal.zopa.empty,
        zopa_size=None if deal is None else deal.zopa.size,
        fair_deal=None if deal is None else deal.solutions.egalitarian,
        nash_deal=None if deal is None else deal.solutions.nash,
        gaps=_gap_lines(gaps),
        gaps_complete=gaps.gaps_complete if gaps is not None else True,
        amendments_examined=len(gaps.amendments) if gaps is not None else 0,
        bridging_amendments=bridging,
        cheapest_bridge=bridge,
        proposals=proposals,
        has_conflict=conflict is not None,
        equilibria=eq,
        status_quo=sq,
        status_quo_stable=sq_stable,
        pressure=pressure,
        numbers=len(nums),
        assumed_numbers=sum(n.assumed for n in nums),
        reported_items=reported,
        assumed_items=assumed,
    )
