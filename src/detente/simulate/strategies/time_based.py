"""Time-based strategies: the demanded utility falls with time along a fixed curve.

With aspiration a(t) in [0, 1], a party's level is

    L(t) = min(max(umin + (umax - umin) * a(t) - tol, umin), umax),

umax its best utility and umin its worst, lifted to its reservation, both over the
outcomes keeping its red lines; tol = 1e-4. It offers the outcome of lowest own utility
at least L(t) among the outcomes keeping its red lines and reservation (ties: the lowest
outcome index), and accepts a standing offer keeping them iff its utility is at least
L(t). The curves:

- NegMAS 0.16 (``BoulwareTBNegotiator``, ``LinearTBNegotiator``,
  ``ConcederTBNegotiator``; ``PolyAspiration``): a(t) = 1 - t**e with e = 4, 1, 0.25;
- Faratin, Sierra & Jennings 1998 (sec. 4.2.1, "time-dependent tactics"), with
  aspiration a(t) = 1 - alpha(t): polynomial alpha(t) = kappa + (1 - kappa) t**(1/beta)
  and exponential alpha(t) = exp((1 - t)**beta * ln kappa); beta < 1 is Boulware,
  beta > 1 Conceder;
- GENIUS's ``TimeDependentAgent`` (Fujita, Hindriks et al., the ANAC framework):
  Faratin's polynomial curve with e = 1/beta, Pmin the reservation, the offer chosen as
  the bid *nearest* to the target (``SortedOutcomeSpace.getBidNearUtility``) and
  acceptance AC_next: accept iff the offer is worth at least the party's next bid.

Levels are computed in blocks of steps and every block's offers come from one batched
binary search (:meth:`~detente.simulate.lookup.SortedUtilities.at_least_many`), so a
turn costs two list look-ups.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar, cast

import numpy as np

from detente.simulate.protocol import PartyView, relative_time
from detente.simulate.strategies.base import BOA, Parameter, StrategyInfo

__all__ = [
    "Boulware",
    "Conceder",
    "FaratinExponential",
    "FaratinPolynomial",
    "GeniusTimeDependent",
    "Linear",
    "TimeBased",
]

TOLERANCE = 1e-4  # NegMAS 0.16's widening of the level (UtilBasedNegotiator eps)
BLOCK = 256  # steps whose levels and offers are computed at once
_LEVELS: dict[tuple[Any, ...], list[float]] = {}  # pure aspirations' levels (TimeBased)
_LEVELS_KEPT = 4096

_LOOKUP = Parameter(
    "lookup",
    "at-least",
    "offer selection: the lowest outcome at or above the level ('at-least'), the nearest "
    "('nearest', GENIUS), or at-least with NegMAS 0.16's 1e-6 lookup slack ('negmas')",
    ("at-least", "nearest", "negmas"),
)
_TOL = Parameter("tolerance", TOLERANCE, "how far below the nominal level offers may go")
_NEGMAS = "NegMAS 0.16 (negmas.gb.negotiators.timebased); Baarslag et al. 2014"
_FARATIN = "Faratin, Sierra & Jennings 1998, Robotics and Autonomous Systems 24, sec. 4.2.1"


class TimeBased(BOA):
    """A time-based negotiator; subclasses give :meth:`aspiration` and their metadata.

    A subclass whose aspiration depends on its class, parameters and t alone sets
    ``pure_aspiration``: its levels are then computed once per (class, parameters,
    utility range, steps) in a process and shared by every negotiation that asks (a
    tournament asks for the same ones in every repetition and seating).
    """

    info: ClassVar[StrategyInfo]
    next_bid_acceptance: ClassVar[bool] = False  # AC_next instead of the level test
    pure_aspiration: ClassVar[bool] = False

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self._lo = 0
        self._hi = 0
        self._levels: list[float] = []
        self._offers: list[int] = []
        self._tol = float(self.params.get("tolerance", TOLERANCE))
        self._lookup = str(self.params.get("lookup", "at-least"))

    def aspiration(self, t: float) -> float:
        """a(t) in [0, 1]: the share of the utility range still demanded at time t."""
        raise NotImplementedError

    def start(self, party: PartyView, rng: np.random.Generator) -> None:
        """Called before step 0 with the party's view and its seeded generator."""
        super().start(party, rng)
        self._lo = self._hi = 0

    def level(self, t: float) -> float:
        """L(t) (module docstring)."""
        p = self.party
        lo, hi = p.umin, p.umax
        return min(max(lo + (hi - lo) * self.aspiration(t) - self._tol, lo), hi)

    def _fill(self, step: int) -> None:
        first = step - step % BLOCK
        n = self.party.steps
        # steps from the own deadline on never play under SAO: the block stops there (a
        # 50-step negotiation computes 50 levels, not 256); asked anyway, their time is
        # clamped to stay in (0, 1)
        last = min(first + BLOCK, max(n, step + 1))
        key, levels = self._levels_of(first, last, n)
        srt = self.party.sorted
        memo = srt.memo
        offers = memo.get(key) if key is not None else None
        if offers is None:
            if self._lookup == "at-least":
                offers = srt.at_least_many(levels).tolist()
            elif self._lookup == "nearest":
                offers = [srt.nearest(x) for x in levels]
            else:
                offers = [srt.at_least_negmas(x) for x in levels]
            if key is not None:  # shared levels: their offers too, on this party's outcomes
                if len(memo) >= _LEVELS_KEPT:
                    memo.clear()
                memo[key] = offers
        self._lo, self._hi = first, last
        self._levels, self._offers = levels, cast(list[int], offers)

    def _levels_of(self, first: int, last: int, n: int) -> tuple[Any, list[float]]:
        """(key, levels) of steps first..last-1; the key (None: not shared) names them."""

        def compute() -> list[float]:
            return [self.level(relative_time(min(s, n - 1), n)) for s in range(first, last)]

        if not self.pure_aspiration:
            return None, compute()
        p = self.party
        key = (type(self), tuple(sorted(self.params.items())), p.umin, p.umax, self._tol,
               n, first, last)  # fmt: skip
        try:
            got = _LEVELS.get(key)
        except TypeError:  # a parameter value that does not hash
            return None, compute()
        if got is None:
            if len(_LEVELS) >= _LEVELS_KEPT:
                _LEVELS.clear()
            got = _LEVELS[key] = compute()
        return key, got

    def propose(self, step: int, t: float) -> int:
        """The outcome this strategy offers at ``step``."""
        if not self._lo <= step < self._hi:
            self._fill(step)
        return self._offers[step - self._lo]

    def accepts(self, step: int, t: float, offer: int) -> bool:
        """True when the strategy accepts ``offer`` (which keeps its red lines and reservation)."""
        if not self._lo <= step < self._hi:
            self._fill(step)
        j = step - self._lo
        u = self.party.u
        if self.next_bid_acceptance:
            return bool(u[offer] >= u[self._offers[j]])
        return bool(u[offer] >= self._levels[j])

    def act(self, step: int, t: float, offer: int) -> int:
        """ACCEPT, END or an outcome index, given the standing ``offer`` (or NO_OFFER)."""
        # the BOA order (observe, accept, propose) without the method calls: this is the
        # inner loop of every tournament
        if not self._lo <= step < self._hi:
            if not self.party.can_offer:
                return -2
            self._fill(step)
        j = step - self._lo
        if offer >= 0 and self.party.ok[offer]:
            u = self.party.u
            bar = u[self._offers[j]] if self.next_bid_acceptance else self._levels[j]
            if u[offer] >= bar:
                return -1
        return self._offers[j]


def _power_info(name: str, e: float, summary: str) -> StrategyInfo:
    return StrategyInfo(
        name=name,
        family="time-based",
        deterministic=True,
        parameters=(_TOL, _LOOKUP),
        summary=f"{summary}: aspiration 1 - t**{e:g} (NegMAS 0.16's {name} curve)",
        source=_NEGMAS,
    )


class Boulware(TimeBased):
    """NegMAS 0.16 ``BoulwareTBNegotiator``: a(t) = 1 - t**4 (concedes late)."""

    info = _power_info("boulware", 4.0, "concedes late")

    pure_aspiration = True

    def aspiration(self, t: float) -> float:
        """a(t) (class docstring)."""
        return 1.0 - float(t**4.0)


class Linear(TimeBased):
    """NegMAS 0.16 ``LinearTBNegotiator``: a(t) = 1 - t."""

    info = _power_info("linear", 1.0, "concedes at a constant rate")

    pure_aspiration = True

    def aspiration(self, t: float) -> float:
        """a(t) (class docstring)."""
        return 1.0 - float(t**1.0)


class Conceder(TimeBased):
    """NegMAS 0.16 ``ConcederTBNegotiator``: a(t) = 1 - t**0.25 (concedes early)."""

    info = _power_info("conceder", 0.25, "concedes early")

    pure_aspiration = True

    def aspiration(self, t: float) -> float:
        """a(t) (class docstring)."""
        return 1.0 - float(t**0.25)


_BETA = Parameter("beta", 0.2, "concession shape: < 1 Boulware, 1 linear, > 1 Conceder")
_KAPPA_POLY = Parameter("kappa", 0.0, "share of the range conceded at once (alpha(0))")
_KAPPA_EXP = Parameter("kappa", 0.01, "alpha(0) > 0: share of the range conceded at once")


class FaratinPolynomial(TimeBased):
    """Faratin et al. 1998's polynomial time-dependent tactic."""

    info = StrategyInfo(
        name="faratin-poly",
        family="time-based",
        deterministic=True,
        parameters=(_BETA, _KAPPA_POLY, _TOL, _LOOKUP),
        summary="alpha(t) = kappa + (1 - kappa) t**(1/beta); aspiration 1 - alpha(t)",
        source=_FARATIN,
    )

    pure_aspiration = True

    def aspiration(self, t: float) -> float:
        """a(t) (class docstring)."""
        k, beta = float(self.params["kappa"]), float(self.params["beta"])
        return 1.0 - (k + (1.0 - k) * float(t ** (1.0 / beta)))


class FaratinExponential(TimeBased):
    """Faratin et al. 1998's exponential time-dependent tactic."""

    info = StrategyInfo(
        name="faratin-exp",
        family="time-based",
        deterministic=True,
        parameters=(_BETA, _KAPPA_EXP, _TOL, _LOOKUP),
        summary="alpha(t) = exp((1 - t)**beta ln kappa); aspiration 1 - alpha(t)",
        source=_FARATIN,
    )

    pure_aspiration = True

    def aspiration(self, t: float) -> float:
        """a(t) (class docstring)."""
        k, beta = float(self.params["kappa"]), float(self.params["beta"])
        k = min(max(k, 1e-12), 1.0)
        return 1.0 - math.exp((1.0 - t) ** beta * math.log(k))


class GeniusTimeDependent(TimeBased):
    """GENIUS's ``TimeDependentAgent``: Faratin's curve, the nearest bid, AC_next."""

    info = StrategyInfo(
        name="genius-td",
        family="time-based",
        deterministic=True,
        parameters=(
            Parameter("e", 0.2, "concession exponent: 0.2 Boulware, 1 linear, 2 Conceder"),
            Parameter("k", 0.0, "share of the range conceded at once"),
        ),
        summary="GENIUS TimeDependentAgent: target Pmin + (Pmax - Pmin)(1 - f(t)), "
        "f(t) = k + (1 - k) t**(1/e); nearest bid; accepts iff worth its next bid",
        source="GENIUS (Lin, Kraus, Baarslag et al. 2014, Computational Intelligence 30); "
        + _FARATIN,
    )
    next_bid_acceptance = True

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self._tol = 0.0
        self._lookup = "nearest"

    pure_aspiration = True

    def aspiration(self, t: float) -> float:
        """a(t) (class docstring)."""
        k, e = float(self.params["k"]), float(self.params["e"])
        return 1.0 - (k + (1.0 - k) * float(t ** (1.0 / e)))
