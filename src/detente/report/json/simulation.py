"""JSON rendering of a simulated negotiation (``detente simulate --format json``).

:func:`simulation_document` maps a :class:`~detente.simulate.results.Simulation` to
plain JSON data (the command adds the envelope: ``command``, ``format_version``,
``scenario``). Key order is part of the contract: ``protocol``, ``parties``,
``strategies``, ``mediator``, ``agreement`` (``{terms, step, utilities}`` or null),
``steps`` (steps run), ``limit``, ``reason``, ``final_text`` (single text), ``metrics``,
``reference`` (the deal engine's Nash, Kalai-Smorodinsky and egalitarian points),
``parameters``, ``notes``, then ``trace``: every action in order, each ``{step, party,
action, terms}`` (``terms`` on offers and proposed texts, ``objection`` on a single
text's reject naming an issue).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from detente.simulate.metrics import Metrics, Reference
from detente.simulate.results import Action, Simulation
from detente.simulate.tournament import RankRow, Tournament

if TYPE_CHECKING:
    from detente.space.bargaining import Deal

__all__ = [
    "action_to_dict",
    "metrics_to_dict",
    "simulation_document",
    "strategies_document",
    "tournament_document",
]


def _r(x: float) -> float:
    return round(float(x), 12)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def action_to_dict(a: Action) -> dict[str, Any]:
    """One action: ``{step, party, action}``, plus ``terms`` and ``objection`` when set."""
    out: dict[str, Any] = {"step": a.step, "party": a.party, "action": a.action}
    if a.terms is not None:
        out["terms"] = dict(a.terms)
    if a.objection is not None:
        out["objection"] = a.objection
    return out


def metrics_to_dict(m: Metrics | None) -> dict[str, Any] | None:
    """The outcome metrics (conventions in :mod:`detente.simulate.metrics`)."""
    if m is None:
        return None
    return {
        "agreement": m.agreement,
        "steps": m.steps,
        "utilities": dict(m.utilities),
        "gains": dict(m.gains),
        "welfare": m.welfare,
        "distance_frontier": m.distance_frontier,
        "distance_nash": m.distance_nash,
        "distance_kalai_smorodinsky": m.distance_kalai_smorodinsky,
        "on_frontier": m.on_frontier,
        "discounted": None if m.discounted is None else dict(m.discounted),
    }


def _point(d: Deal | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {"terms": dict(d.terms), "utilities": {p: _r(u) for p, u in d.utilities.items()}}


def _reference(r: Reference | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "zopa_size": r.zopa_size,
        "zopa_empty": r.zopa_empty,
        "reservations": {p: _r(v) for p, v in zip(r.parties, r.reservations, strict=True)},
        "nash": _point(r.nash),
        "kalai_smorodinsky": _point(r.kalai_smorodinsky),
        "egalitarian": _point(r.egalitarian),
    }


def simulation_document(result: Simulation) -> dict[str, Any]:
    """The JSON body of one simulated negotiation (module docstring for the keys)."""
    ag = result.agreement
    return {
        "protocol": result.method,
        "parties": list(result.parties),
        "strategies": dict(result.strategies),
        "mediator": result.mediator,
        "agreement": None
        if ag is None
        else {
            "terms": dict(ag.terms),
            "step": ag.step,
            "utilities": {p: _r(u) for p, u in ag.utilities.items()},
        },
        "steps": result.steps,
        "limit": result.limit,
        "reason": result.reason,
        "final_text": None if result.final_text is None else dict(result.final_text),
        "metrics": metrics_to_dict(result.metrics),
        "reference": _reference(result.reference),
        "parameters": _plain(dict(result.parameters)),
        "notes": list(result.notes),
        "trace": [action_to_dict(a) for a in result.trace],
    }


def tournament_document(
    result: Tournament, ranked: Sequence[RankRow], *, total: int, out: str | None
) -> dict[str, Any]:
    """The JSON body of a tournament: settings, counts, the ranking (with 95% CIs).

    ``negotiations`` counts every row stored (a resumed run's earlier rows included),
    ``played`` the negotiations this run played, ``resumed`` those it found done.
    """
    return {
        "protocol": result.method,
        "scenarios": list(result.scenarios),
        "strategies": list(result.strategies),
        "parameters": _plain(dict(result.parameters)),
        "negotiations": total,
        "played": len(result.rows),
        "resumed": result.skipped,
        "out": out,
        "ranking": [
            {
                "rank": j + 1,
                "strategy": r.strategy,
                "seats": r.seats,
                "mean_utility": r.mean_utility,
                "ci95": [r.ci_low, r.ci_high],
                "mean_gain": r.mean_gain,
                "agreement_rate": r.agreement_rate,
            }
            for j, r in enumerate(ranked)
        ],
    }


def strategies_document() -> dict[str, Any]:
    """The JSON body of ``detente strategies``: every registered strategy and condition.

    Each row: ``name``, ``kind`` (``strategy`` or ``acceptance``), ``family``,
    ``deterministic``, ``parameters`` (name -> default), ``summary``, ``source``.
    """
    from detente.simulate.strategies.registry import conditions, strategies

    rows = []
    for kind, table in (("strategy", strategies()), ("acceptance", conditions())):
        for name, info in table.items():
            rows.append(
                {
                    "name": name,
                    "kind": kind,
                    "family": info.family,
                    "deterministic": info.deterministic,
                    "parameters": {p.name: p.default for p in info.parameters},
                    "summary": info.summary,
                    "source": info.source,
                }
            )
    return {"strategies": rows}
