"""JSON rendering of ``detente show`` and ``detente check`` (documented in docs/cli-json.md).

Plain dicts of JSON types, keys in a fixed order that is part of the contract; every key
is always present (``null`` when empty) so consumers never test for missing keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from detente.deal.proposals import PartyCheck, ProposalCheck, ReportedResponse, response_consistency
from detente.report.json.envelope import envelope
from detente.report.text.scenario import party_sentence, response_sentence, sorted_events
from detente.scenario.checked import Scenario

__all__ = ["check_json", "show_json", "validate_json"]


def _round(u: float) -> float:
    # rescaled utilities carry float noise in the last digits; 12 are plenty and stable
    return round(u, 12)


def show_json(s: Scenario) -> dict[str, Any]:
    """The validated scenario (defaults filled in) plus its timeline sorted by date."""
    data = s.model_dump(mode="json")
    for d, out in zip(s.derived, data["derived"], strict=True):
        b = s.derived_bounds(d.id)
        out["bounds"] = list(b) if b else None
    timeline = []
    for i, ev in sorted_events(s):
        timeline.append(
            {
                "index": i,
                "date": ev.date.isoformat(),
                "kind": ev.kind,
                "actors": list(ev.actors),
                "text": ev.text,
                "basis": ev.basis,
                "source": ev.source,
            }
        )
    return envelope("show", s.id, {"file": s.origin, "document": data, "timeline": timeline})


def _response(s: Scenario, pc: PartyCheck, r: ReportedResponse) -> dict[str, Any]:
    return {
        "response": r.response,
        "date": r.date.isoformat() if r.date else None,
        "source": r.source,
        "basis": r.basis,
        "quote": r.quote,
        "conditions": r.conditions,
        "consistency": response_consistency(pc, r),
        "sentence": response_sentence(s, pc, r),
    }


def _party(s: Scenario, c: ProposalCheck, pc: PartyCheck) -> dict[str, Any]:
    return {
        "party": pc.party,
        "role": pc.role,
        "verdict": pc.verdict,
        "acceptable_in": pc.acceptable_in,
        "broken_always": list(pc.broken_always),
        "broken_sometimes": list(pc.broken_sometimes),
        "red_lines": [
            {
                "id": r.red_line,
                "rule": r.rule,
                "firmness": r.firmness,
                "basis": r.basis,
                "source": r.source,
                "broken": r.broken,
                "broken_in": r.broken_in,
            }
            for r in pc.red_lines
        ],
        "utility": (
            {"min": _round(pc.utility_min), "max": _round(pc.utility_max)}
            if pc.utility_min is not None and pc.utility_max is not None
            else None
        ),
        "reservation": pc.reservation,
        "below_reservation": pc.below_reservation if pc.has_utility else None,
        "below_reservation_in": pc.below_reservation_in if pc.has_utility else None,
        "sentence": party_sentence(s, c, pc),
        "responses": [_response(s, pc, r) for r in pc.responses],
    }


def check_json(s: Scenario, checks: Sequence[ProposalCheck]) -> dict[str, Any]:
    """Every proposal against every party with a position."""
    proposals = []
    for c in checks:
        proposals.append(
            {
                "id": c.proposal,
                "by": list(c.by),
                "date": c.date.isoformat() if c.date else None,
                "source": c.source,
                "terms": dict(c.terms),
                "open_issues": list(c.open_issues),
                "completions": c.completions,
                "acceptable_to_all": c.deal,
                "acceptable_to_all_in": c.acceptable_to_all_in,
                "parties": [_party(s, c, pc) for pc in c.parties],
                "unassessed_responses": [
                    {
                        "party": r.party,
                        "response": r.response,
                        "date": r.date.isoformat() if r.date else None,
                        "source": r.source,
                    }
                    for r in c.other_responses
                ],
            }
        )
    return envelope("check", s.id, {"file": s.origin, "proposals": proposals})


def validate_json(s: Scenario) -> dict[str, Any]:
    """``detente validate``: the file loaded and passed every check."""
    return envelope("validate", s.id, {"ok": True, "file": s.origin, "title": s.title})
