"""The strategic analysis of a scenario in one result: stability, the status quo, pressure.

:func:`analyze_conflict` compiles the conflict section, decides Nash, GMR, SMR and SEQ
stability of every state for every decision maker (:mod:`detente.conflict.stability`),
follows the status quo to the equilibria it can reach
(:mod:`detente.conflict.status_quo`), and, when asked, compares the equilibria without
some decision makers (:mod:`detente.conflict.compare`): does outside pressure, such as
a mediator's threat, change them? Each decision maker's ranking of the states, most
preferred first with ties, is part of the result (GMCR tools show it first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from detente.conflict.compare import Comparison, compare_without
from detente.conflict.concepts import CONCEPTS
from detente.conflict.model import compile_conflict
from detente.conflict.stability import StabilityAnalysis, analyze_stability
from detente.conflict.status_quo import StatusQuoAnalysis, status_quo_analysis
from detente.results import frozen_mapping
from detente.scenario.checked import Scenario, ScenarioLike

__all__ = ["ConflictAnalysis", "analyze_conflict", "mediator_decision_makers"]


@dataclass(frozen=True, eq=False)
class ConflictAnalysis:
    """Stability, status quo reachability and the with/without comparison of a conflict.

    Header as every result (``scenario``, ``method``, ``exact``, ``parameters``,
    ``notes``). ``rankings`` maps each decision maker to its ranking of the feasible
    states, most preferred first, each entry a tuple of tied state ids.
    """

    scenario: str
    method: Literal["gmcr"]
    exact: bool
    parameters: Mapping[str, Any]
    notes: tuple[str, ...]
    stability: StabilityAnalysis
    status_quo: StatusQuoAnalysis | None
    comparison: Comparison | None
    rankings: Mapping[str, tuple[tuple[int, ...], ...]]

    def equilibria(self, concept: str) -> list[int]:
        """State ids of the equilibria under ``concept`` (nash, gmr, smr or seq)."""
        if concept not in CONCEPTS:
            raise ValueError(f"unknown concept {concept!r}; one of {', '.join(CONCEPTS)}")
        return self.stability.equilibria(concept)


def mediator_decision_makers(scenario: Scenario) -> list[str]:
    """Decision makers whose party is a mediator (the outside pressure to compare without)."""
    if scenario.conflict is None:
        return []
    roles = {p.id: p.role for p in scenario.parties}
    return [d.party for d in scenario.conflict.decision_makers if roles.get(d.party) == "mediator"]


def _rankings(st: StabilityAnalysis) -> dict[str, tuple[tuple[int, ...], ...]]:
    out: dict[str, tuple[tuple[int, ...], ...]] = {}
    for dm in st.dm_ids:
        rank = np.asarray(st.ranks[dm])
        levels = np.unique(rank)[::-1]
        out[dm] = tuple(tuple(int(i) + 1 for i in np.flatnonzero(rank == lv)) for lv in levels)
    return out


def analyze_conflict(
    scenario: ScenarioLike,
    *,
    status_quo: bool = True,
    without: Sequence[str] | None = None,
) -> ConflictAnalysis:
    """The GMCR analysis of ``scenario``'s conflict section.

    Parameters
    ----------
    scenario:
        A checked scenario with a ``conflict`` section.
    status_quo:
        Also trace which equilibria the status quo can reach (when it has one).
    without:
        Decision makers to compare without (their options held at N); ``None`` means
        the mediators among the decision makers, ``()`` no comparison.

    Raises
    ------
    ScenarioError
        No conflict section, or an unknown decision maker in ``without``.
    LimitError
        The state space is too large.
    """
    scenario = Scenario.of(scenario)
    st = analyze_stability(compile_conflict(scenario))
    sq = None
    notes: list[str] = []
    if status_quo:
        if st.conflict.status_quo_code is not None:
            sq = status_quo_analysis(st)
        else:
            notes.append("the conflict has no status quo: reachability is not traced")
    removed = mediator_decision_makers(scenario) if without is None else list(without)
    cmp = compare_without(scenario, removed, full=st) if removed else None
    return ConflictAnalysis(
        scenario=scenario.id,
        method="gmcr",
        exact=True,
        parameters=frozen_mapping({"status_quo": status_quo, "without": removed}),
        notes=tuple(notes),
        stability=st,
        status_quo=sq,
        comparison=cmp,
        rankings=_rankings(st),
    )
