"""Stacked alternating offers (SAO) for n parties, with NegMAS 0.16's semantics.

The rules (NegMAS 0.16 ``SAOMechanism`` with default arguments, as confirmed in the
research notes, rules S1-S9):

- one *step* is one round in which every party acts once, in turn order (the order the
  scenario lists them, or a rotation of it); relative time is t = (s+1)/(N+1) for every
  action of step s (:func:`~detente.simulate.protocol.relative_time`);
- an action accepts the standing offer, rejects it by making a new offer (a party's own
  offer counts as its acceptance), or ends the negotiation; the first action is an
  offer (there is nothing to accept);
- an offer becomes the agreement when the n-1 parties after its proposer, in turn
  order and wrapping into the next step, all accept it in a row; the agreement step is
  the step of the last acceptance;
- exactly the steps 0 .. N-1 run; no agreement by then is a time-out. A party with its
  own deadline D < N leaves at step D, which ends the negotiation.

The protocol enforces what every strategy promises: an offer is an outcome of the space
keeping the offering party's red lines and reservation, and an accepted offer keeps the
accepting party's; anything else raises :class:`~detente.simulate.protocol.StrategyError`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from detente.simulate.arena import Arena
from detente.simulate.protocol import (
    ACCEPT,
    ACCEPTED,
    END,
    ENDED,
    NO_OFFER,
    OFFER,
    EndReason,
    PartyView,
    RawRun,
    StrategyError,
    columns,
)
from detente.simulate.strategies.base import Negotiator

__all__ = ["run_sao"]


def run_sao(
    arena: Arena,
    negotiators: Sequence[Negotiator],
    *,
    steps: int,
    rngs: Sequence[np.random.Generator],
    deadlines: Sequence[int | None] | None = None,
    order: Sequence[int] | None = None,
    keep_trace: bool = True,
) -> RawRun:
    """Play one SAO negotiation; ``negotiators[i]`` acts for ``arena.parties[i]``.

    Parameters
    ----------
    steps:
        The limit N (steps 0 .. N-1 run).
    rngs:
        One seeded generator per party (its strategy's only source of randomness).
    deadlines:
        Per party, its own deadline (None: N).
    order:
        The turn order as party indices (default: the scenario's).
    keep_trace:
        False: the run's columns are left empty (a tournament keeps only the outcome).
    """
    k = len(arena.parties)
    if len(negotiators) != k:
        raise ValueError(f"{len(negotiators)} negotiators for {k} parties")
    if steps < 1:
        raise ValueError("a negotiation needs at least one step")
    turn = list(range(k)) if order is None else list(order)
    own = [steps if d is None else min(int(d), steps) for d in (deadlines or [None] * k)]
    for i in turn:
        negotiators[i].start(PartyView(arena, i, own[i]), rngs[i])
    acts = [negotiators[i].act for i in range(k)]
    ok = [arena.feasible[i] for i in range(k)]
    size = arena.size
    trace: list[int] = []
    record = trace.extend if keep_trace else _drop
    standing, count = NO_OFFER, 0
    agreement, agreed_at = -1, -1
    reason: EndReason = "deadline"
    ran = steps
    done = False
    for s in range(steps):
        for i in turn:
            if s >= own[i]:
                record((s, i, ENDED, -1))
                reason, ran, done = "ended", s + 1, True
                break
            n_i = own[i]
            a = acts[i](s, (s + 1) / (n_i + 1), standing)
            if a == ACCEPT:
                if standing == NO_OFFER or not ok[i][standing]:
                    _refuse(arena, negotiators[i], i, "accepted", standing)
                record((s, i, ACCEPTED, standing))
                count += 1
            elif a == END:
                record((s, i, ENDED, -1))
                reason, ran, done = "ended", s + 1, True
                break
            else:
                if not (0 <= a < size) or not ok[i][a]:
                    _refuse(arena, negotiators[i], i, "offered", a)
                record((s, i, OFFER, a))
                standing, count = a, 1
            if count == k:
                agreement, agreed_at = standing, s
                reason, ran, done = "agreement", s + 1, True
                break
        if done:
            break
    st, pa, ac, out = columns(trace, 4) if keep_trace else (_EMPTY,) * 4
    return RawRun("sao", agreement, agreed_at, ran, reason, st, pa, ac, out)


_EMPTY = columns((), 1)[0]


def _drop(_: tuple[int, int, int, int]) -> None:
    pass


def _refuse(arena: Arena, neg: Negotiator, i: int, what: str, outcome: int) -> None:
    name = getattr(neg, "name", None) or neg.info.name
    if outcome == NO_OFFER and what == "accepted":
        detail = "accepted when there was no offer"
    elif not 0 <= outcome < arena.size:
        detail = f"{what} {outcome}, which is not an outcome of the space"
    else:
        detail = f"{what} an outcome that breaks its own red lines or reservation"
    raise StrategyError(f"strategy '{name}' for {arena.parties[i]} {detail}")
