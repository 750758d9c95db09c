"""The result of one simulated negotiation: a frozen :class:`Simulation`.

It carries the header every result carries (``scenario``, ``method``, ``exact``,
``parameters``, ``notes``), who played what, the agreement (terms, step, utilities) or
none, the number of steps run, why it ended, every action in order with its terms, the
offer history as read-only arrays (for plots), and the outcome metrics
(:mod:`detente.simulate.metrics`). Built from a protocol's
:class:`~detente.simulate.protocol.RawRun` by :func:`build`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from detente.results import dataframe, frozen_mapping, read_only
from detente.simulate.arena import Arena
from detente.simulate.metrics import Metrics, Reference, metrics
from detente.simulate.protocol import (
    ACTION_NAMES,
    OFFER,
    PROPOSE,
    EndReason,
    RawRun,
    relative_time,
)
from detente.space.outcomes import Terms

__all__ = ["Action", "Agreement", "OfferHistory", "Simulation", "build"]

Method = Literal["sao", "single-text"]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Action:
    """One action of a negotiation, in the order taken.

    ``offer``, ``accept`` or ``end`` (SAO); ``propose``, ``accept`` or ``reject`` (single
    text, where a reject may name the issue objected to).
    """

    step: int
    party: str
    action: str
    terms: Terms | None
    objection: str | None = None


@dataclass(frozen=True)
class Agreement:
    """The agreed terms, the step of the last acceptance, each party's utility."""

    terms: Terms
    step: int
    utilities: Mapping[str, float]
    outcome: int


@dataclass(frozen=True, eq=False)
class OfferHistory:
    """Every offer (SAO) or proposed text (single text) in order, as arrays.

    ``step[j]``, ``party[j]`` (index into :attr:`Simulation.parties`, or -1 for the
    mediator), ``outcome[j]``, and ``utilities[j]`` every party's utility of it.
    """

    step: IntArray
    party: IntArray
    outcome: IntArray
    utilities: FloatArray


@dataclass(frozen=True, eq=False)
class Simulation:
    """One negotiation played out (module docstring)."""

    scenario: str
    method: Method
    exact: bool
    parameters: Mapping[str, Any]
    notes: tuple[str, ...]
    title: str
    parties: tuple[str, ...]
    names: tuple[str, ...]
    strategies: Mapping[str, str]
    mediator: str | None
    agreement: Agreement | None
    steps: int
    limit: int
    reason: EndReason
    trace: tuple[Action, ...]
    offers: OfferHistory
    metrics: Metrics | None
    reference: Reference | None
    final_text: Terms | None = None

    def to_dataframe(self) -> Any:
        """The trace as a pandas DataFrame, one row per action (``[pandas]`` extra)."""
        return dataframe(
            [
                {
                    "step": a.step,
                    "party": a.party,
                    "action": a.action,
                    **(a.terms or {}),
                    "objection": a.objection,
                }
                for a in self.trace
            ]
        )


def build(
    arena: Arena,
    raw: RawRun,
    *,
    strategies: Mapping[str, str],
    limit: int,
    parameters: Mapping[str, Any],
    notes: tuple[str, ...] = (),
    ref: Reference | None = None,
    discounts: Mapping[str, float] | None = None,
) -> Simulation:
    """The :class:`Simulation` of a raw run (terms decoded once, vectorised)."""
    has = raw.outcome >= 0
    terms_list = arena.terms_of(raw.outcome[has]) if has.any() else []
    it = iter(terms_list)
    objection = raw.objection
    trace = []
    for j in range(len(raw.step)):
        p = int(raw.party[j])
        who = (raw.mediator or "mediator") if p < 0 else arena.parties[p]
        obj = None
        if objection is not None and objection[j] >= 0:
            obj = arena.issues[int(objection[j])]
        trace.append(
            Action(
                int(raw.step[j]),
                who,
                ACTION_NAMES[int(raw.action[j])],
                next(it) if has[j] else None,
                obj,
            )
        )
    offered = np.flatnonzero((raw.action == OFFER) | (raw.action == PROPOSE))
    out = raw.outcome[offered]
    offers = OfferHistory(
        step=read_only(raw.step[offered].copy()),
        party=read_only(raw.party[offered].copy()),
        outcome=read_only(out.copy()),
        utilities=read_only(np.ascontiguousarray(arena.utilities[:, out].T)),
    )
    agreement = None
    if raw.agreed:
        agreement = Agreement(
            terms=arena.terms(raw.agreement),
            step=raw.agreement_step,
            utilities=arena.utility_dict(raw.agreement),
            outcome=raw.agreement,
        )
    m = None
    if ref is not None:
        u = arena.utilities[:, raw.agreement] if raw.agreed else None
        t = relative_time(raw.agreement_step, limit) if raw.agreed else None
        m = metrics(ref, u, raw.steps, time=t, discounts=discounts)
    return Simulation(
        scenario=arena.scenario,
        method=raw.protocol,
        exact=True,
        parameters=frozen_mapping(parameters),
        notes=notes,
        title=arena.title,
        parties=arena.parties,
        names=arena.names,
        strategies=frozen_mapping(strategies),
        mediator=raw.mediator,
        agreement=agreement,
        steps=raw.steps,
        limit=limit,
        reason=raw.reason,
        trace=tuple(trace),
        offers=offers,
        metrics=m,
        reference=ref,
        final_text=arena.terms(raw.final_text) if raw.final_text >= 0 else None,
    )
