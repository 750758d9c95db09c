"""JSON of the composite analysis (``detente analyze``) and of its bottom line.

The document is the envelope, then ``summary`` (the bottom line, first as in the text),
then the deal analysis' keys (:mod:`detente.report.json.deal`), the gap analysis' keys
(``gaps``, ``gaps_complete``, ``bridges``, ``bridges_complete``, ``near_misses``,
``amendments``; :mod:`detente.report.json.gaps`) and ``stability`` (the strategic
analysis, or null without a conflict section).
"""

from __future__ import annotations

from typing import Any

from detente.analysis.composite import Analysis
from detente.analysis.summary import Summary
from detente.report.json.deal import analysis_to_dict, deal_to_dict
from detente.report.json.envelope import envelope
from detente.report.json.gaps import gaps_to_dict

__all__ = ["GAP_KEYS", "analysis_document", "summary_to_dict"]

GAP_KEYS = ("gaps", "gaps_complete", "bridges", "bridges_complete", "near_misses", "amendments")


def summary_to_dict(s: Summary) -> dict[str, Any]:
    """The bottom line as JSON (see :class:`detente.analysis.summary.Summary`)."""
    b = s.cheapest_bridge
    p = s.pressure
    return {
        "deal": None if s.zopa_empty is None else not s.zopa_empty,
        "zopa_size": s.zopa_size,
        "fair_deal": deal_to_dict(s.fair_deal),
        "nash_deal": deal_to_dict(s.nash_deal),
        "gaps": [
            {
                # the same key as the top-level gaps: demand keys, reservations included
                "red_lines": list(g.demands),
                "parties": list(g.parties),
                "reported_only": g.reported_only,
                "assumed": list(g.assumed),
            }
            for g in s.gaps
        ],
        "gaps_complete": s.gaps_complete,
        "amendments_examined": s.amendments_examined,
        "bridging_amendments": [list(a) for a in s.bridging_amendments],
        "cheapest_bridge": None
        if b is None
        else {
            "relax": list(b.relax),
            "cost": b.cost,
            "zopa_size": b.zopa_size,
            "zopa_size_exact": b.zopa_exact,
            "nash": deal_to_dict(b.nash),
            "egalitarian": deal_to_dict(b.egalitarian),
        },
        "proposals": [
            {
                "id": x.id,
                "acceptable_to_all": x.acceptable_to_all,
                "rejected_by": list(x.rejected_by),
            }
            for x in s.proposals
        ],
        "equilibria": {c: list(v) for c, v in s.equilibria.items()},
        "status_quo": s.status_quo,
        "status_quo_stable": dict(s.status_quo_stable),
        "pressure": None
        if p is None
        else {
            "without": list(p.without),
            "changed": dict(p.changed),
            "only_with": {c: list(v) for c, v in p.only_with.items()},
            "only_without": {c: list(v) for c, v in p.only_without.items()},
        },
        "numbers": s.numbers,
        "assumed_numbers": s.assumed_numbers,
        "reported_items": s.reported_items,
        "assumed_items": s.assumed_items,
    }


def analysis_document(a: Analysis, command: str = "analyze") -> dict[str, Any]:
    """The JSON document of ``detente analyze`` (docs/cli-json.md)."""
    body: dict[str, Any] = {"summary": summary_to_dict(a.summary)}
    if a.deal is not None:
        body.update(analysis_to_dict(a.deal))
    if a.gaps is not None:
        gap = gaps_to_dict(a.gaps)
        body.update({k: gap[k] for k in GAP_KEYS})
    body["stability"] = None
    if a.conflict is not None:
        from detente.report.json.conflict import conflict_analysis_json

        body["stability"] = conflict_analysis_json(a.conflict)
    return envelope(command, a.scenario, body)
