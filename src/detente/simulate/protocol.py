"""What every protocol shares: action codes, a party's view, settings, the raw run.

A protocol (:mod:`detente.simulate.sao`, :mod:`detente.simulate.single_text`) plays one
negotiation over an :class:`~detente.simulate.arena.Arena` and returns a
:class:`RawRun`: the actions as integer columns (step, party, action, outcome), cheap to
build in the inner loop and to ship between processes; outcomes are decoded into terms
only when a result is rendered (:mod:`detente.simulate.results`).

Time: with a limit of N steps, relative time at step s (0-based) is t = (s+1)/(N+1)
(NegMAS 0.16, ``Mechanism.relative_time`` without a wall-clock limit: t is never 0 and
never reaches 1). A party with its own deadline D < N reads its time on D, and at step D
it leaves, which ends the negotiation (:class:`PartySettings`). There are no wall-clock
limits: they would make runs irreproducible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from detente.errors import DetenteError
from detente.simulate.arena import Arena
from detente.simulate.lookup import SortedUtilities

__all__ = [
    "ACCEPT",
    "END",
    "NO_OFFER",
    "ACTION_NAMES",
    "OFFER",
    "ACCEPTED",
    "ENDED",
    "PROPOSE",
    "REJECT",
    "EndReason",
    "PartySettings",
    "PartyView",
    "RawRun",
    "StrategyError",
    "columns",
    "relative_time",
]

# what a negotiator's act() returns besides an outcome index
ACCEPT = -1
END = -2
NO_OFFER = -1  # the standing offer before the first one

# action codes of a trace
OFFER, ACCEPTED, ENDED, PROPOSE, REJECT = 0, 1, 2, 3, 4
ACTION_NAMES = ("offer", "accept", "end", "propose", "reject")

EndReason = Literal["agreement", "deadline", "ended", "converged"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


class StrategyError(DetenteError):
    """A strategy broke the protocol's rules (a bug in the strategy, not in the input)."""


def relative_time(step: int, steps: int) -> float:
    """T = (step + 1) / (steps + 1), the relative time of 0-based ``step`` of ``steps``."""
    return (step + 1) / (steps + 1)


@dataclass(frozen=True)
class PartySettings:
    """One party's own deadline (in steps; None: the negotiation's) and discount factor.

    The discount factor d in (0, 1] values an agreement reached at relative time t at
    u * d**t (Rubinstein 1982; GENIUS's discounted domains). Under SAO it changes the
    reported utilities (``discounted``), not the behaviour of the strategies (pinned to
    NegMAS 0.16); in the single text it changes the ``rational`` and ``anneal`` voters'
    votes and the ratification (:mod:`detente.simulate.single_text`).
    """

    deadline: int | None = None
    discount: float = 1.0


class PartyView:
    """What a negotiator knows: its own utilities, feasible outcomes and deadline.

    Attributes
    ----------
    index, id, n_parties:
        The party's position in the arena (and the turn order of the scenario file).
    steps:
        The party's own deadline N (the negotiation's limit unless it has its own).
    u, ok:
        Its canonical utility of every outcome, and whether the outcome keeps its own
        red lines and reservation (read-only arrays, indexed by outcome).
    sorted:
        Its feasible outcomes sorted by (utility, index): :mod:`detente.simulate.lookup`.
    umin, umax:
        Its worst utility over the outcomes keeping its red lines, lifted to its
        reservation, and its best (NaN when no outcome is feasible).
    reservation:
        Its reservation value (0 when relaxed).
    """

    __slots__ = (
        "id",
        "index",
        "n_parties",
        "ok",
        "reservation",
        "size",
        "sorted",
        "steps",
        "u",
        "umax",
        "umin",
    )

    def __init__(self, arena: Arena, index: int, steps: int) -> None:
        self.index = index
        self.id = arena.parties[index]
        self.n_parties = len(arena.parties)
        self.steps = steps
        self.u: FloatArray = arena.utilities[index]
        self.ok: BoolArray = arena.feasible[index]
        self.sorted: SortedUtilities = arena.sorted[index]
        self.size = arena.size
        self.reservation = float(arena.reservations[index])
        self.umax = float(arena.best[index])
        self.umin = max(float(arena.worst[index]), self.reservation)
        if len(self.sorted) == 0:
            self.umin = self.umax = float("nan")

    @property
    def can_offer(self) -> bool:
        """False when no outcome keeps the party's red lines and reservation."""
        return len(self.sorted) > 0

    def utility(self, outcome: int) -> float:
        """The party's utility of one outcome."""
        return float(self.u[outcome])

    def acceptable(self, outcome: int) -> bool:
        """The outcome keeps the party's red lines and reservation."""
        return bool(self.ok[outcome])


@dataclass(frozen=True, eq=False)
class RawRun:
    """One negotiation as integer columns: what happened, in order.

    ``steps`` is the number of steps run (NegMAS's final ``state.step``): the agreement
    step + 1, N on a deadline, the step of an ``end`` + 1. ``outcome`` is -1 where an
    action has none (``end``); ``objection`` is a single text's objected issue (-1: none).
    """

    protocol: Literal["sao", "single-text"]
    agreement: int
    agreement_step: int
    steps: int
    reason: EndReason
    step: IntArray
    party: IntArray
    action: IntArray
    outcome: IntArray
    objection: IntArray | None = None
    mediator: str | None = None
    final_text: int = -1
    details: Mapping[str, object] = field(default_factory=dict)

    @property
    def agreed(self) -> bool:
        """True when the negotiation ended in an agreement."""
        return self.agreement >= 0


def columns(flat: Sequence[int], width: int) -> tuple[IntArray, ...]:
    """Split a flat list of ints (rows of ``width``) into read-only int64 columns."""
    arr = np.array(flat, dtype=np.int64).reshape(-1, width)
    out = []
    for j in range(width):
        c = np.ascontiguousarray(arr[:, j])
        c.flags.writeable = False
        out.append(c)
    return tuple(out)
