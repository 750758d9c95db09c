"""A mediator's single negotiating text (Raiffa 1982; Fisher; Klein et al. 2003).

The procedure (Raiffa, *The Art and Science of Negotiation*, 1982, ch. 14 on Camp David;
the mediated protocols of Klein, Faratin, Sayama & Bar-Yam 2003, "Negotiating complex
contracts", Group Decision and Negotiation 12): the mediator holds a text, the *base*;
each round r = 0 .. N-1 it proposes a text, every party (in turn order) votes accept or
reject (a reject names the issue it objects to: the changed issue whose reversal would
raise its utility most), and a text every party accepts becomes the new base. At the
end, the base is the **agreement** iff it keeps every party's red lines and reservation
(a final ratification; otherwise there is no agreement and the base is reported as the
last accepted text). A party with its own deadline D < N leaves at round D, which ends
the procedure.

Mediators (``--mediator KIND`` or ``ID=KIND``, ID a party with role ``mediator``):

- ``flip``: the base with one random issue set to a random other value (GENIUS's
  random-flipping mediator);
- ``scan``: the one-issue changes of the base in a fixed order (issues in file order,
  values in domain order, each issue starting after its current value); after an
  accepted text the scan continues from the next change; a full pass with no accepted
  change ends the procedure (``converged``);
- ``anneal``: proposes flips of its *exploration text* z (initially the base); a text
  every party accepts becomes the base and z; otherwise the mediator still moves z to
  the rejected text with probability exp(-R / T(r)), R the number of rejecting parties
  and T(r) = T0 (1 - r / N), T0 = 1 (simulated annealing, Klein et al. 2003, sec. 3);
  the base only ever changes by unanimous acceptance;
- ``bridge``: first the deals the gap engine finds for the cheapest bridge (its Nash and
  egalitarian deals; when the ZOPA is already open, the ZOPA's own Nash and egalitarian
  deals) and for each amendment adopted (the deals it opens), then scans.

Voters (``--strategy PARTY=KIND``):

- ``hill``: accept iff u(text) >= u(base) (Klein et al.'s hill climber);
- ``anneal``: as hill, and a worse text with probability exp(-(u(base) - u(text)) / T(r)),
  T(r) = T0 (1 - r / N), T0 = 0.1;
- ``rational``: reject a text below its reservation or breaking one of its red lines;
  otherwise as hill (any acceptable text is accepted while the base is unacceptable).

Discounting (``discounts``: party i's factor delta_i in (0, 1]). Round r happens at the
negotiation's relative time t_r = (r+1)/(N+1) (as under SAO), and party i values
agreeing on x at t at delta_i**t u_i(x) (Rubinstein 1982, "Perfect equilibrium in a
bargaining model", Econometrica 50; GENIUS's discounted domains, U(x) d**t over
normalised time: Lin, Kraus, Baarslag et al. 2014, Computational Intelligence 30).
Walking away is worth its reservation r_i *undiscounted*: the reservation is the value
of leaving now, an outside option (Binmore, Shaked & Sutton 1989, "An outside option
experiment", QJE 104), which delay does not erode. GENIUS discounts the reservation
value as well, which would leave every comparison below unchanged. So:

- ``rational`` rejects a text x when delta_i**t_r u_i(x) < r_i (agreeing now is worse than
  walking away), and counts the base as unacceptable on the same test;
- ``anneal`` measures the worsening on discounted utilities: it accepts a worse text
  with probability exp(-delta_i**t_r (u(base) - u(text)) / T(r)), so a late loss weighs
  less, as every late utility does;
- ``hill`` compares the text and the base at the same t_r, where delta_i**t_r cancels:
  unchanged;
- the ratification: the base is the agreement iff it also keeps delta_i**t_a u_i(base)
  >= r_i for every party, t_a the relative time of the round it was accepted in (the
  agreement's time, as the ``discounted`` metric reads it);
- the mediators' choices do not read utilities (``anneal``'s reads the number of
  rejections): unchanged.

With every delta_i = 1 the run is exactly the undiscounted one (the tests check it).

The opening text is a proposal of the scenario (``start``; open issues take their first
value) or a random outcome (the mediator's generator).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from detente.errors import DetenteError, did_you_mean
from detente.scenario.checked import Scenario
from detente.simulate.arena import Arena
from detente.simulate.protocol import (
    ACCEPTED,
    ENDED,
    PROPOSE,
    REJECT,
    EndReason,
    RawRun,
    columns,
    relative_time,
)

__all__ = [
    "DEFAULT_MEDIATOR",
    "DEFAULT_VOTER",
    "MEDIATORS",
    "VOTERS",
    "parse_mediator",
    "run_single_text",
]

MEDIATORS = ("flip", "scan", "anneal", "bridge")
VOTERS = ("hill", "anneal", "rational")
DEFAULT_MEDIATOR = "scan"
DEFAULT_VOTER = "hill"
MEDIATOR_T0 = 1.0
VOTER_T0 = 0.1


def parse_mediator(arena: Arena, spec: str) -> tuple[str | None, str]:
    """``KIND`` or ``ID=KIND`` as (mediator id or None, kind); clear errors otherwise."""
    who, eq, kind = spec.partition("=")
    if not eq:
        who, kind = "", spec
    who, kind = who.strip(), kind.strip()
    if kind not in MEDIATORS:
        hint = did_you_mean(kind, MEDIATORS, what="mediator") or ""
        raise DetenteError(
            f"unknown mediator '{kind}' (known: {', '.join(MEDIATORS)}); {hint}".rstrip("; ")
        )
    if who and who not in arena.mediators:
        known = ", ".join(arena.mediators) or "none"
        raise DetenteError(
            f"'{who}' is not a party with role mediator in this scenario (mediators: {known})"
        )
    return (who or (arena.mediators[0] if arena.mediators else None)), kind


def _start(arena: Arena, s: Scenario, start: str | None, rng: np.random.Generator) -> int:
    if start is None or start == "random":
        return int(rng.integers(arena.size))
    ids = [p.id for p in s.document.proposals]
    if start not in ids:
        hint = did_you_mean(start, ids, what="proposal") or ""
        raise DetenteError(
            f"--start '{start}' is neither 'random' nor a proposal id; {hint}".rstrip("; ")
        )
    terms = dict(next(p for p in s.document.proposals if p.id == start).terms)
    pos = []
    for iid, labels in zip(arena.issues, arena.labels, strict=True):
        v = terms.get(iid, labels[0])
        hit = [j for j, x in enumerate(labels) if x == v and type(x) is type(v)]
        pos.append(hit[0] if hit else 0)
    return arena.outcome_of(pos)


@lru_cache(maxsize=4)
def _bridge_deals(
    s: Scenario, unlocked: tuple[str, ...]
) -> tuple[tuple[Any, ...], tuple[str, ...]]:
    """The cheapest bridge's deals and the adopted amendments' deals (None left in).

    Remembered for the last few scenarios: the same for every seed of one scenario.
    """
    from detente.gaps.analysis import analyze_gaps

    notes: list[str] = []
    gaps = analyze_gaps(s, unlock=unlocked, bridge_limit=1)
    deals = []
    if gaps.bridges:
        b = gaps.bridges[0]
        deals += [b.nash, b.egalitarian]
        notes.append(
            "the mediator proposes the cheapest bridge's deals first: " + ", ".join(b.keys)
        )
    elif not gaps.zopa_empty:  # nothing to bridge: the ZOPA's own fair deals
        from detente.deal.analysis import analyze_deal

        sol = analyze_deal(s, unlock=unlocked, engine="enum").solutions
        deals += [sol.nash, sol.egalitarian]
        notes.append("the ZOPA is open: the mediator proposes its Nash and egalitarian deals first")
    for am in gaps.amendments:
        if set(am.adopted) <= set(unlocked):
            deals += [am.nash, am.egalitarian]
    return tuple(deals), tuple(notes)


def _bridge_texts(arena: Arena, s: Scenario) -> tuple[list[int], list[str]]:
    """The cheapest bridge's deals and the adopted amendments' deals, as outcomes."""
    deals, notes = _bridge_deals(s, tuple(arena.unlocked))
    texts: list[int] = []
    for d in deals:
        if d is None:
            continue
        try:
            x = arena.encode(dict(d.terms))
        except ValueError:
            continue
        if x not in texts:
            texts.append(x)
    return texts, list(notes)


def _keeps(ok: object, factor: float, utility: float, reservation: float, delta: float) -> bool:
    """The outcome keeps the party's demands, its discounted utility its reservation."""
    return bool(ok) and (delta == 1.0 or factor * float(utility) >= float(reservation))


def run_single_text(
    arena: Arena,
    voters: Mapping[str, str],
    *,
    mediator: str = DEFAULT_MEDIATOR,
    steps: int,
    rngs: Sequence[np.random.Generator],
    deadlines: Sequence[int | None] | None = None,
    start: str | None = None,
    scenario: Scenario,
    discounts: Sequence[float] | None = None,
) -> RawRun:
    """Run the single-text procedure (module docstring) over ``arena``.

    ``rngs`` holds one generator per party and one more (the last) for the mediator;
    ``discounts`` one factor in (0, 1] per party (module docstring: what it changes).
    """
    k = len(arena.parties)
    kinds = []
    for p in arena.parties:
        v = voters.get(p, DEFAULT_VOTER)
        if v not in VOTERS:
            hint = did_you_mean(v, VOTERS, what="voter") or ""
            raise DetenteError(
                f"unknown voter '{v}' for {p} (single-text voters: {', '.join(VOTERS)})"
                + (f"; {hint}" if hint else "")
            )
        kinds.append(v)
    who, kind = parse_mediator(arena, mediator)
    m_rng = rngs[k]
    own = [steps if d is None else min(int(d), steps) for d in (deadlines or [None] * k)]
    u = arena.utilities
    ok = arena.feasible
    delta = [1.0] * k if discounts is None else [float(d) for d in discounts]
    res = arena.reservations
    radices = arena.radices
    n_issues = len(radices)
    notes: list[str] = []
    base = _start(arena, scenario, start, m_rng)
    explore = base
    queue: list[int] = []
    if kind == "bridge":
        queue, notes = _bridge_texts(arena, scenario)
    # the scan's position: (issue, offset) over one-issue changes of the base
    scan_pos = 0
    n_changes = sum(r - 1 for r in radices)
    since_accept = 0
    trace: list[int] = []
    base_at = -1
    reason: EndReason = "deadline"
    ran = steps

    def change(x: int, issue: int, value: int) -> int:
        pos = arena.positions_of([x])[0].tolist()
        pos[issue] = value
        return arena.outcome_of(pos)

    def scan_text(x: int, j: int) -> int:
        # the j-th one-issue change of x (issues in order; values after the current one)
        pos = arena.positions_of([x])[0]
        for i in range(n_issues):
            c = radices[i] - 1
            if j < c:
                return change(x, i, (int(pos[i]) + 1 + j) % radices[i])
            j -= c
        raise AssertionError("scan index out of range")

    def flip(x: int) -> int:
        movable = [i for i in range(n_issues) if radices[i] > 1]
        i = movable[int(m_rng.integers(len(movable)))]
        cur = int(arena.positions_of([x])[0][i])
        v = int(m_rng.integers(radices[i] - 1))
        return change(x, i, v + (v >= cur))

    def objection(i: int, text: int, old: int) -> int:
        a, b = arena.positions_of([text, old])
        best, gain = -1, -math.inf
        for j in np.flatnonzero(a != b).tolist():
            back = change(text, j, int(b[j]))
            g = float(u[i, back] - u[i, text]) + (1.0 if ok[i, back] and not ok[i, text] else 0.0)
            if g > gain:
                best, gain = j, g
        return best

    for r in range(steps):
        if any(r >= own[i] for i in range(k)):
            i = next(i for i in range(k) if r >= own[i])
            trace.extend((r, i, ENDED, -1, -1))
            reason, ran = "ended", r + 1
            break
        if kind != "bridge" and n_changes == 0:
            reason, ran = "converged", r
            break
        while queue and queue[0] == base:
            queue.pop(0)
        if queue:
            text = queue.pop(0)
        elif kind in ("flip", "anneal"):
            text = flip(explore if kind == "anneal" else base)
        else:
            if n_changes == 0 or since_accept >= n_changes:
                reason, ran = "converged", r
                break
            text = scan_text(base, scan_pos % n_changes)
            scan_pos += 1
            since_accept += 1
        trace.extend((r, -1, PROPOSE, text, -1))
        temp = 1.0 - r / steps
        now = relative_time(r, steps)
        rejections = 0
        for i in range(k):
            ui, ub = float(u[i, text]), float(u[i, base])
            v = kinds[i]
            f = delta[i] ** now  # 1.0 exactly when undiscounted
            if v == "rational" and not _keeps(ok[i, text], f, ui, res[i], delta[i]):
                yes = False
            elif v == "rational" and not _keeps(ok[i, base], f, ub, res[i], delta[i]):
                yes = True
            elif ui >= ub:
                yes = True
            elif v == "anneal":
                t = VOTER_T0 * temp
                yes = t > 0 and bool(m_rng.random() < math.exp(-f * (ub - ui) / t))
            else:
                yes = False
            if yes:
                trace.extend((r, i, ACCEPTED, text, -1))
            else:
                rejections += 1
                trace.extend((r, i, REJECT, text, objection(i, text, base)))
        if rejections == 0:
            base = explore = text
            base_at = r
            since_accept = 0
        elif kind == "anneal":
            t = MEDIATOR_T0 * temp
            if t > 0 and m_rng.random() < math.exp(-rejections / t):
                explore = text
    at = relative_time(max(base_at, 0), steps)
    agreed = all(
        _keeps(ok[i, base], delta[i] ** at, u[i, base], res[i], delta[i]) for i in range(k)
    )
    step_c, party_c, action_c, outcome_c, obj_c = columns(trace, 5)
    if not agreed:
        notes.append("the last accepted text breaks a red line or a reservation: no agreement")
    return RawRun(
        "single-text",
        base if agreed else -1,
        max(base_at, 0) if agreed else -1,
        ran,
        reason,
        step_c,
        party_c,
        action_c,
        outcome_c,
        objection=obj_c,
        mediator=who,
        final_text=base,
        details={"mediator_kind": kind, "notes": tuple(notes)},
    )
