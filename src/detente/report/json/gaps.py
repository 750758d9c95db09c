"""JSON form of a :class:`~detente.gaps.analysis.GapAnalysis` (plain dicts, stable keys).

Keys: ``gaps`` (list of {``red_lines``: ["party/id", ...], reservations as
"party/reservation"}), ``bridges`` (list of {``relax``, ``cost``, ``zopa_size``,
``nash``, ``egalitarian``}, cheapest first), ``near_misses`` and ``amendments``, plus the
demands with their provenance and the engine used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from detente.report.json.deal import deal_to_dict

if TYPE_CHECKING:  # annotations only: rendering loads no gap machinery of its own
    from detente.backends.base import NearMiss
    from detente.gaps.amendments import AmendmentResult
    from detente.gaps.bridges import Bridge
    from detente.gaps.result import GapAnalysis
    from detente.space.demands import Demand

__all__ = ["demand_to_dict", "gaps_to_dict"]


def demand_to_dict(d: Demand) -> dict[str, Any]:
    """A demand (red line or reservation) as JSON: its key, rule, firmness and provenance."""
    return {
        "key": d.key,
        "party": d.party,
        "kind": d.kind,
        "rule": d.rule,
        "label": d.label,
        "firmness": d.firmness,
        "basis": d.basis,
        "source": d.source,
        "date": d.date.isoformat() if d.date else None,
        "quote": d.quote,
    }


def _bridge(b: Bridge) -> dict[str, Any]:
    return {
        "relax": list(b.keys),
        "cost": b.cost,
        "zopa_size": b.zopa_size,
        "zopa_size_exact": b.zopa_exact,
        "nash": deal_to_dict(b.nash),
        "egalitarian": deal_to_dict(b.egalitarian),
    }


def _near_miss(nm: NearMiss) -> dict[str, Any]:
    return {
        "terms": dict(nm.terms),
        "utilities": {p: round(u, 12) for p, u in nm.utilities.items()},
        "violated": list(nm.violated),
        "shortfalls": {p: round(v, 12) for p, v in nm.shortfalls.items()},
        "score": round(nm.score, 12),
    }


def _amendment(a: AmendmentResult) -> dict[str, Any]:
    return {
        "adopted": list(a.adopted),
        "opens_zopa": a.opens_zopa,
        "zopa_size": a.zopa_size,
        "zopa_size_exact": a.zopa_exact,
        "nash": deal_to_dict(a.nash),
        "egalitarian": deal_to_dict(a.egalitarian),
        "resolves": [{"red_lines": list(g.keys)} for g in a.resolved],
        "remaining_gaps": [{"red_lines": list(g.keys)} for g in a.remaining],
        "remaining_complete": a.remaining_complete,
    }


def gaps_to_dict(a: GapAnalysis) -> dict[str, Any]:
    """The analysis as JSON-ready data (see module docstring for the keys)."""
    w = a.witness
    return {
        "method": a.method,
        "engine": a.engine,
        "red_lines_only": a.red_lines_only,
        "zopa_empty": a.zopa_empty,
        "witness": None
        if w is None
        else {
            "terms": dict(w.terms),
            "utilities": {p: round(u, 12) for p, u in w.utilities.items()},
        },
        "demands": [demand_to_dict(d) for d in a.demands],
        "gaps": [
            {
                "red_lines": list(g.keys),
                "parties": list(g.parties),
                # which of its demands are the analyst's assumptions rather than reported
                "assumed": [d.key for d in g.demands if d.basis != "reported"],
            }
            for g in a.gaps
        ],
        "gaps_complete": a.gaps_complete,
        "bridges": [_bridge(b) for b in a.bridges],
        "bridges_complete": a.bridges_complete,
        "near_misses": [_near_miss(nm) for nm in a.near_misses],
        "amendments": [_amendment(x) for x in a.amendments],
    }
