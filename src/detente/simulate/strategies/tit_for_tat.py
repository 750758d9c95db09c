"""Tit-for-tat: concede as the other side concedes.

- ``naive-tft``: NegMAS 0.16's ``NaiveTitForTatNegotiator`` as the research notes
  describe it (rules F1-F3; verified there against NegMAS with reservation 0). With x
  the party's normalised utility of the standing offer, (u - umin)/(umax - umin), the
  concession c is 0 at step 0, x from step 3 on, and at steps 1-2 the gap between the
  next two values of a walk down the party's sorted utilities (the walk advances on
  every call; an exhausted walk yields the reservation value); a c outside
  [-1e-6, 1 + 1e-7] counts as 0. It accepts iff x >= 1 - c, else offers the lowest
  outcome at or above the normalised level 1 - c (c computed again, as NegMAS does).
- ``relative-tft`` and ``averaged-tft``: Faratin, Sierra & Jennings 1998 (sec. 4.3,
  imitative tactics) in utility space. Faratin's rule on an issue's value, "my next
  value = (their value delta offers ago / their value one offer later) x my last
  value", is applied to the party's own utility: with v_j the party's utility of the
  j-th offer it received, its next target is U' = U * v_{m-delta} / v_{m-delta+1}
  (relative), or U * (v_{m-gamma} / v_m)**(1/gamma), the window's per-offer ratio
  (averaged; gamma = 1 is relative with delta = 1). Targets start at umax, stay in
  [umin, umax], and change only when both utilities are positive. Acceptance is
  AC_next: accept iff the offer is worth at least the next bid.
"""

from __future__ import annotations

import numpy as np

from detente.simulate.protocol import PartyView
from detente.simulate.strategies.base import BOA, Parameter, StrategyInfo

__all__ = ["AveragedTitForTat", "NaiveTitForTat", "RelativeTitForTat"]

_FARATIN = "Faratin, Sierra & Jennings 1998, Robotics and Autonomous Systems 24, sec. 4.3"


class NaiveTitForTat(BOA):
    """NegMAS 0.16's naive tit-for-tat (module docstring)."""

    info = StrategyInfo(
        name="naive-tft",
        family="tit-for-tat",
        deterministic=True,
        parameters=(
            Parameter(
                "lookup",
                "at-least",
                "offer selection: 'at-least', or 'negmas' (NegMAS 0.16's 1e-6 lookup slack)",
                ("at-least", "negmas"),
            ),
        ),
        summary="mirrors the other side's offers (zero-sum partner model); NegMAS 0.16",
        source="NegMAS 0.16 (negmas.gb.negotiators.titfortat.NaiveTitForTatNegotiator)",
    )

    def start(self, party: PartyView, rng: np.random.Generator) -> None:
        """Called before step 0 with the party's view and its seeded generator."""
        super().start(party, rng)
        self._cursor = -1  # the walk down the sorted utilities (not started)
        self._span = party.umax - party.umin if party.can_offer else 1.0
        if not self._span > 0:
            self._span = 1.0

    def _norm(self, offer: int) -> float:
        return (float(self.party.u[offer]) - self.party.umin) / self._span

    def _next_worse(self) -> float:
        srt = self.party.sorted
        if self._cursor < 0:
            self._cursor = len(srt) - 1
            return srt.value_at(-1)
        if self._cursor > 0:
            self._cursor -= 1
            return srt.value_at(self._cursor)
        return self.party.reservation

    def _concession(self, step: int, offer: int) -> float:
        if step <= 0:
            c = 0.0
        elif step >= 3:
            c = self._norm(offer) if offer >= 0 else 0.0
        else:
            a, b = self._next_worse(), self._next_worse()
            c = (a - b + 1e-12) / self._span
        return c if -1e-6 <= c <= 1.0000001 else 0.0

    def observe(self, step: int, t: float, offer: int) -> None:
        """Record the standing offer."""
        self._seen = offer

    def accepts(self, step: int, t: float, offer: int) -> bool:
        """True when the strategy accepts ``offer`` (which keeps its red lines and reservation)."""
        return self._norm(offer) >= 1.0 - self._concession(step, offer)

    def propose(self, step: int, t: float) -> int:
        """The outcome this strategy offers at ``step``."""
        offer = getattr(self, "_seen", -1)
        c = self._concession(step, offer)
        p = self.party
        target = p.umin + (1.0 - c) * (p.umax - p.umin)
        if self.params["lookup"] == "negmas":
            return p.sorted.at_least_negmas(target)
        return p.sorted.at_least(target)

    def act(self, step: int, t: float, offer: int) -> int:
        """ACCEPT, END or an outcome index, given the standing ``offer`` (or NO_OFFER)."""
        self._seen = -1
        return super().act(step, t, offer)


class _UtilityTitForTat(BOA):
    """Faratin's imitative tactics in utility space (module docstring)."""

    def start(self, party: PartyView, rng: np.random.Generator) -> None:
        super().start(party, rng)
        self._received: list[float] = []
        self._target = party.umax
        self._bid = party.sorted.best if party.can_offer else -1
        self._at = -1  # the step whose bid is computed

    def ratio(self, v: list[float]) -> float | None:
        raise NotImplementedError

    def observe(self, step: int, t: float, offer: int) -> None:
        self._received.append(float(self.party.u[offer]))

    def _update(self, step: int) -> None:
        if self._at == step:
            return
        self._at = step
        r = self.ratio(self._received)
        p = self.party
        if r is not None:
            self._target = min(max(self._target * r, p.umin), p.umax)
            self._bid = p.sorted.at_least(self._target)

    def propose(self, step: int, t: float) -> int:
        self._update(step)
        return self._bid

    def accepts(self, step: int, t: float, offer: int) -> bool:
        self._update(step)
        return bool(self.party.u[offer] >= self.party.u[self._bid])


class RelativeTitForTat(_UtilityTitForTat):
    """Faratin's relative tit-for-tat in utility space (module docstring)."""

    info = StrategyInfo(
        name="relative-tft",
        family="tit-for-tat",
        deterministic=True,
        parameters=(Parameter("delta", 1, "how many offers back to imitate (>= 1)"),),
        summary="concedes in proportion to the other side's concession delta offers ago",
        source=_FARATIN,
    )

    def ratio(self, v: list[float]) -> float | None:
        """The factor applied to the target, from the utilities of the offers received (None: no change)."""
        d = max(1, int(self.params["delta"]))
        if len(v) < d + 1:
            return None
        old, new = v[-d - 1], v[-d]
        return old / new if old > 0 and new > 0 else None


class AveragedTitForTat(_UtilityTitForTat):
    """Faratin's averaged tit-for-tat in utility space (module docstring)."""

    info = StrategyInfo(
        name="averaged-tft",
        family="tit-for-tat",
        deterministic=True,
        parameters=(Parameter("gamma", 2, "window of offers averaged over (>= 1)"),),
        summary="concedes as the other side did on average over the last gamma offers",
        source=_FARATIN,
    )

    def ratio(self, v: list[float]) -> float | None:
        """The factor applied to the target, from the utilities of the offers received (None: no change)."""
        g = max(1, int(self.params["gamma"]))
        if len(v) < g + 1:
            return None
        old, new = v[-g - 1], v[-1]
        return float((old / new) ** (1.0 / g)) if old > 0 and new > 0 else None
