"""The entry point: play one negotiation of a scenario out, :func:`simulate`.

Takes a checked scenario (or a document or data), the protocol (``sao`` or
``single-text``), a strategy per party (SAO: :mod:`detente.simulate.strategies`;
single text: voters, :mod:`detente.simulate.single_text`), the step limit, a seed, the
amendments adopted, the demands relaxed (``"cheapest"`` stands for the cheapest
bridge's demands, from the gap engine), and per-party deadlines and discount factors;
returns a frozen :class:`~detente.simulate.results.Simulation`. Every random draw comes
from generators seeded from ``seed`` (numpy ``SeedSequence``: one child per party), so
the same call gives the same result. Nothing here prints or writes files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

import numpy as np

from detente.errors import DetenteError, did_you_mean
from detente.scenario.checked import Scenario, ScenarioLike
from detente.simulate.arena import Arena, prepare, relaxed_once
from detente.simulate.metrics import Reference, reference
from detente.simulate.results import Simulation, build
from detente.simulate.sao import run_sao
from detente.simulate.strategies.registry import DEFAULT_STRATEGY, make, parse

if TYPE_CHECKING:
    from detente.gaps.result import GapAnalysis

__all__ = ["CHEAPEST", "PROTOCOLS", "generators", "resolve_relax", "simulate"]

ProtocolName = Literal["sao", "single-text"]
PROTOCOLS: tuple[ProtocolName, ...] = ("sao", "single-text")
CHEAPEST = "cheapest"


def generators(seed: int, key: Sequence[int], k: int) -> list[np.random.Generator]:
    """``k`` independent generators for negotiation ``key`` of a run seeded ``seed``."""
    ss = np.random.SeedSequence(int(seed), spawn_key=tuple(int(x) for x in key))
    return [np.random.Generator(np.random.PCG64(c)) for c in ss.spawn(k)]


# Scenarios are immutable, and a caller playing many seeds of one scenario (the docs'
# example, the web app) asks the same of the gap and deal engines every time: the last
# few answers are kept (each costs more than a short negotiation).


@lru_cache(maxsize=4)
def _gaps(s: Scenario, unlock: tuple[str, ...] | bool) -> GapAnalysis:
    from detente.gaps.analysis import analyze_gaps

    return analyze_gaps(s, unlock=unlock, amendments=False)


@lru_cache(maxsize=4)
def _reference(s: Scenario, unlock: tuple[str, ...]) -> Reference:
    return reference(s, unlock=unlock)


def resolve_relax(
    s: Scenario, relax: Iterable[str], unlock: Iterable[str] | bool = ()
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(demand keys, notes): ``"cheapest"`` replaced by the cheapest bridge's demands."""
    keys: list[str] = []
    notes: list[str] = []
    for k in relax:
        if k != CHEAPEST:
            keys.append(k)
            continue
        gaps = _gaps(s, unlock if isinstance(unlock, bool) else tuple(unlock))
        if not gaps.bridges:
            notes.append("no bridge to relax: every demand already holds together")
            continue
        b = gaps.bridges[0]
        keys.extend(b.keys)
        notes.append(f"relaxed the cheapest bridge (cost {b.cost}): " + ", ".join(b.keys))
    return tuple(dict.fromkeys(keys)), tuple(notes)


def _per_party(arena: Arena, values: Mapping[str, object] | None, what: str) -> None:
    for p in values or {}:
        if p not in arena.parties:
            hint = did_you_mean(p, arena.parties, what="party") or ""
            raise DetenteError(
                f"{what} for '{p}', which is not a negotiating party; {hint}".rstrip("; ")
            )


def simulate(
    scenario: ScenarioLike,
    *,
    protocol: ProtocolName = "sao",
    strategies: Mapping[str, str] | None = None,
    steps: int = 100,
    seed: int = 0,
    unlock: Iterable[str] | bool = (),
    relax: Iterable[str] = (),
    deadlines: Mapping[str, int] | None = None,
    discounts: Mapping[str, float] | None = None,
    mediator: str | None = None,
    start: str | None = None,
    with_metrics: bool = True,
    arena: Arena | None = None,
) -> Simulation:
    """Play one negotiation of ``scenario`` out.

    Parameters
    ----------
    protocol:
        ``sao`` (stacked alternating offers, NegMAS 0.16's semantics) or ``single-text``
        (a mediator's single negotiating text).
    strategies:
        Party id -> strategy spec (SAO; default :data:`DEFAULT_STRATEGY`) or voter
        (single text; default ``hill``).
    steps:
        The step limit N (single text: rounds).
    seed:
        Seeds every random draw.
    unlock:
        Amendments adopted (their options on the table): ids, or True for all.
    relax:
        Demand keys (``party/red-line-id``, ``party/reservation``) to relax, or
        ``"cheapest"`` for the cheapest bridge's.
    deadlines, discounts:
        Per party: its own step limit, and its discount factor in (0, 1].
    mediator:
        Single text: ``KIND`` or ``ID=KIND`` (ID a party with role ``mediator``; KIND
        ``flip``, ``scan``, ``anneal`` or ``bridge``; default ``scan``).
    start:
        Single text: the opening text, a proposal id of the scenario (open terms take
        their first value) or ``random`` (default).
    with_metrics:
        Measure the outcome against the deal engine's frontier, Nash and
        Kalai-Smorodinsky points (:mod:`detente.simulate.metrics`).
    arena:
        An arena already prepared for this scenario, amendments and relaxation.
    """
    if protocol not in PROTOCOLS:
        raise DetenteError(f"unknown protocol '{protocol}'; known: " + ", ".join(PROTOCOLS))
    if steps < 1:
        raise DetenteError("--steps must be at least 1")
    s = Scenario.of(scenario)
    keys, notes = resolve_relax(s, relax, unlock)
    a = arena if arena is not None else prepare(s, unlock=unlock, relax=keys)
    for what, values in (("a strategy", strategies), ("a deadline", deadlines)):
        _per_party(a, values, what)
    _per_party(a, discounts, "a discount factor")
    for p, d in (discounts or {}).items():
        if not 0.0 < float(d) <= 1.0:
            raise DetenteError(f"the discount factor of '{p}' must be in (0, 1], not {d}")
    for p, n in (deadlines or {}).items():
        if int(n) < 1:
            raise DetenteError(f"the deadline of '{p}' must be at least 1 step, not {n}")
    k = len(a.parties)
    rngs = generators(seed, (), k + 1)
    dl = [None if deadlines is None else deadlines.get(p) for p in a.parties]
    params: dict[str, object] = {
        "protocol": protocol,
        "steps": steps,
        "seed": seed,
        "unlock": list(a.unlocked),
        "relax": list(keys),
        "deadlines": dict(deadlines or {}),
        "discounts": {p: float(v) for p, v in (discounts or {}).items()},
    }
    if protocol == "sao":
        specs = {p: parse((strategies or {}).get(p, DEFAULT_STRATEGY)) for p in a.parties}
        negs = [make(specs[p]) for p in a.parties]
        raw = run_sao(a, negs, steps=steps, rngs=rngs[:k], deadlines=dl)
        names = {p: specs[p].text for p in a.parties}
        if strategies is None or len(strategies) < k:
            notes += (f"parties without a strategy play the default, '{DEFAULT_STRATEGY}'",)
    else:
        from detente.simulate.single_text import DEFAULT_MEDIATOR, DEFAULT_VOTER, run_single_text

        voters = {p: (strategies or {}).get(p, DEFAULT_VOTER) for p in a.parties}
        raw = run_single_text(
            a,
            voters,
            mediator=mediator or DEFAULT_MEDIATOR,
            steps=steps,
            rngs=rngs,
            deadlines=dl,
            start=start,
            scenario=relaxed_once(s, keys),
            discounts=[float((discounts or {}).get(p, 1.0)) for p in a.parties],
        )
        names = dict(voters)
        params["mediator"] = raw.details.get("mediator_kind")
        params["start"] = start or "random"
        extra = raw.details.get("notes", ())
        notes += tuple(str(x) for x in extra) if isinstance(extra, tuple) else ()
    ref: Reference | None = None
    if with_metrics:  # after the run: the deal engine's frontier is not needed to play
        ref = _reference(relaxed_once(s, keys), tuple(a.unlocked))
    return build(
        a,
        raw,
        strategies=names,
        limit=steps,
        parameters=params,
        notes=notes,
        ref=ref,
        discounts=discounts,
    )
