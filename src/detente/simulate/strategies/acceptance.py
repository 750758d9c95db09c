"""Acceptance conditions (Baarslag et al.), composable with any offering strategy.

From Baarslag, Hindriks & Jonker 2014, "Effective acceptance conditions in automated
negotiation" (Decision Support Systems 60), with x the standing offer, u the party's own
utility, x' the bid it would make next, t the relative time:

- AC_next(a, b): accept iff a * u(x) + b >= u(x');
- AC_time(T): accept iff t >= T;
- AC_const(c): accept iff u(x) >= c;
- AC_combi(T, a, b): AC_next(a, b), or t >= T and u(x) is at least the best utility of
  every offer received before (the paper's AC_combi(T, MAX^T)).

Conditions combine with ``|`` (either) and ``&`` (both). :class:`Composed` puts
conditions in place of an offering strategy's own acceptance; whatever the condition
says, an offer breaking the party's own red lines or reservation is never accepted.
On the command line, ``linear+ac_next+ac_time:t=0.95`` is the linear strategy accepting
when AC_next or AC_time holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from detente.simulate.protocol import ACCEPT, END, NO_OFFER, PartyView
from detente.simulate.strategies.base import (
    BOA,
    Negotiator,
    Parameter,
    ParamValue,
    StrategyInfo,
    coerce,
)

__all__ = [
    "AcceptContext",
    "AcNext",
    "AcTime",
    "AcConst",
    "AcCombi",
    "Composed",
    "Condition",
]

_SOURCE = "Baarslag, Hindriks & Jonker 2014, Decision Support Systems 60, 'Effective acceptance conditions'"


@dataclass
class AcceptContext:
    """What a condition may look at.

    The offer's and the next bid's utility, the time, and the best utility among the
    offers received before this one.
    """

    step: int
    t: float
    offered: float
    next_bid: float
    best_before: float


class Condition:
    """An acceptance condition; subclasses set :attr:`info` and :meth:`holds`."""

    info: ClassVar[StrategyInfo]

    def __init__(self, **params: Any) -> None:
        self.params: dict[str, ParamValue] = coerce(self.info, params)

    def holds(self, c: AcceptContext) -> bool:
        """True when the condition accepts in context ``c``."""
        raise NotImplementedError

    def __or__(self, other: Condition) -> Condition:
        return _Either(self, other)

    def __and__(self, other: Condition) -> Condition:
        return _Both(self, other)


class _Either(Condition):
    info = StrategyInfo("or", "acceptance", True, (), "either condition", _SOURCE)

    def __init__(self, a: Condition, b: Condition) -> None:
        self.params = {}
        self.a, self.b = a, b

    def holds(self, c: AcceptContext) -> bool:
        return self.a.holds(c) or self.b.holds(c)


class _Both(Condition):
    info = StrategyInfo("and", "acceptance", True, (), "both conditions", _SOURCE)

    def __init__(self, a: Condition, b: Condition) -> None:
        self.params = {}
        self.a, self.b = a, b

    def holds(self, c: AcceptContext) -> bool:
        return self.a.holds(c) and self.b.holds(c)


_A = Parameter("a", 1.0, "scale of the offer's utility")
_B = Parameter("b", 0.0, "margin added to the offer's utility")
_T = Parameter("t", 0.99, "relative time from which to accept")


class AcNext(Condition):
    """AC_next(a, b): accept iff a * u(x) + b >= u(next bid)."""

    info = StrategyInfo(
        "ac_next", "acceptance", True, (_A, _B), "accept iff a*u(x) + b >= u(next bid)", _SOURCE
    )

    def holds(self, c: AcceptContext) -> bool:
        """True when the condition accepts in context ``c``."""
        a, b = float(self.params["a"]), float(self.params["b"])
        return a * c.offered + b >= c.next_bid


class AcTime(Condition):
    """AC_time(T): accept iff t >= T."""

    info = StrategyInfo("ac_time", "acceptance", True, (_T,), "accept iff t >= T", _SOURCE)

    def holds(self, c: AcceptContext) -> bool:
        """True when the condition accepts in context ``c``."""
        return c.t >= float(self.params["t"])


class AcConst(Condition):
    """AC_const(c): accept iff u(x) >= c."""

    info = StrategyInfo(
        "ac_const",
        "acceptance",
        True,
        (Parameter("c", 0.9, "the utility to reach"),),
        "accept iff u(x) >= c",
        _SOURCE,
    )

    def holds(self, c: AcceptContext) -> bool:
        """True when the condition accepts in context ``c``."""
        return c.offered >= float(self.params["c"])


class AcCombi(Condition):
    """AC_combi(T, MAX^T): AC_next, or t >= T and u(x) is the best offer received yet."""

    info = StrategyInfo(
        "ac_combi",
        "acceptance",
        True,
        (_T, _A, _B),
        "AC_next, or t >= T and u(x) >= the best offer received before (MAX^T)",
        _SOURCE,
    )

    def holds(self, c: AcceptContext) -> bool:
        """True when the condition accepts in context ``c``."""
        a, b = float(self.params["a"]), float(self.params["b"])
        if a * c.offered + b >= c.next_bid:
            return True
        return c.t >= float(self.params["t"]) and c.offered >= c.best_before


class Composed(Negotiator):
    """An offering strategy (a :class:`BOA`) with ``condition`` as its acceptance."""

    info = StrategyInfo(
        "composed",
        "composed",
        True,
        (),
        "an offering strategy with other acceptance conditions",
        _SOURCE,
    )

    def __init__(self, offering: BOA, condition: Condition, name: str = "composed") -> None:
        self.params = {}
        self.offering = offering
        self.condition = condition
        self.name = name
        self.deterministic = offering.info.deterministic

    def start(self, party: PartyView, rng: np.random.Generator) -> None:
        """Called before step 0 with the party's view and its seeded generator."""
        super().start(party, rng)
        self.offering.start(party, rng)
        self._best = float("-inf")

    def act(self, step: int, t: float, offer: int) -> int:
        """ACCEPT, END or an outcome index, given the standing ``offer`` (or NO_OFFER)."""
        p = self.party
        if not p.can_offer:
            return END
        if offer != NO_OFFER:
            self.offering.observe(step, t, offer)
        bid = self.offering.propose(step, t)
        if offer != NO_OFFER:
            u = float(p.u[offer])
            ctx = AcceptContext(step, t, u, float(p.u[bid]), self._best)
            self._best = max(self._best, u)
            if p.ok[offer] and self.condition.holds(ctx):
                return ACCEPT
        return bid
