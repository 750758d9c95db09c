"""Two reference strategies: the hardliner and the (seeded) random negotiator.

- ``hardliner``: always offers its best outcome and accepts only offers worth as much
  (NegMAS's ``ToughNegotiator``; the "hardheaded" baseline of the ANAC literature).
- ``random``: offers a uniformly drawn outcome among those keeping its red lines and
  reservation, and accepts such an offer with probability ``p``; its only randomness is
  the generator the protocol hands it (seeded per negotiation), never global state.
"""

from __future__ import annotations

import numpy as np

from detente.simulate.protocol import PartyView
from detente.simulate.strategies.base import BOA, Parameter, StrategyInfo

__all__ = ["Hardliner", "RandomNegotiator"]


class Hardliner(BOA):
    """Offers its best outcome throughout; accepts only as good (module docstring)."""

    info = StrategyInfo(
        name="hardliner",
        family="hardliner",
        deterministic=True,
        parameters=(),
        summary="offers its best outcome throughout; accepts only as good",
        source="NegMAS 0.16 (negmas.sao.negotiators.ToughNegotiator)",
    )

    def start(self, party: PartyView, rng: np.random.Generator) -> None:
        """Called before step 0 with the party's view and its seeded generator."""
        super().start(party, rng)
        self._best = party.sorted.best if party.can_offer else -1

    def propose(self, step: int, t: float) -> int:
        """The outcome this strategy offers at ``step``."""
        return self._best

    def accepts(self, step: int, t: float, offer: int) -> bool:
        """True when the strategy accepts ``offer`` (which keeps its red lines and reservation)."""
        return bool(self.party.u[offer] >= self.party.umax)


class RandomNegotiator(BOA):
    """Seeded random offers and acceptances (module docstring)."""

    info = StrategyInfo(
        name="random",
        family="random",
        deterministic=False,
        parameters=(Parameter("p", 0.5, "probability of accepting an acceptable offer"),),
        summary="random acceptable offers; accepts an acceptable offer with probability p",
        source="NegMAS 0.16 (negmas.sao.negotiators.RandomNegotiator), seeded",
    )

    def propose(self, step: int, t: float) -> int:
        """The outcome this strategy offers at ``step``."""
        srt = self.party.sorted
        return srt.outcome_at(int(self.rng.integers(len(srt))))

    def accepts(self, step: int, t: float, offer: int) -> bool:
        """True when the strategy accepts ``offer`` (which keeps its red lines and reservation)."""
        return bool(self.rng.random() < float(self.params["p"]))
