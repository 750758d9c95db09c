"""JSON of the scenario over time: what ``--as-of`` left out, and ``detente timeline``.

:func:`as_of_document` is the ``as_of`` key every command adds under ``--as-of DATE``:
the day and the items of the file left out that day (each with its kind, id, party, why
(``later`` or ``ended``), its dates and its line in the file). :func:`timeline_document`
renders a :class:`~detente.timeline.analysis.Timeline` (``snapshots``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from detente.report.json.envelope import envelope
from detente.scenario.checked import Scenario

if TYPE_CHECKING:
    from detente.analysis.composite import Analysis
    from detente.scenario.dates import LeftOut
    from detente.timeline.analysis import Day, Timeline, TimelineDiff
    from detente.timeline.changes import Change
    from detente.timeline.effects import Effect

__all__ = [
    "as_of_document",
    "change_to_dict",
    "day_to_dict",
    "diff_document",
    "effect_to_dict",
    "left_out_to_dict",
    "state_to_dict",
    "timeline_document",
    "with_as_of",
]


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def left_out_to_dict(item: LeftOut, scenario: Scenario) -> dict[str, Any]:
    """One item not in force that day, with why and where it is in the file."""
    locs = scenario.history.locations if scenario.history is not None else scenario.locations
    line, _ = locs.at(item.path)
    return {
        "kind": item.kind,
        "id": item.id,
        "party": item.party,
        "issue": item.issue,
        "why": item.why,
        "date": _iso(item.date),
        "until": _iso(item.until),
        "line": line,
        "text": item.describe({p.id: p.name for p in scenario.parties}),
    }


def as_of_document(scenario: Scenario) -> dict[str, Any]:
    """``{"date": ISO, "left_out": [...]}`` for a scenario taken as of a day."""
    day = scenario.history.day if scenario.history is not None else scenario.as_of
    return {
        "date": _iso(day if day is not None else scenario.as_of),
        "left_out": [left_out_to_dict(x, scenario) for x in scenario.left_out()],
    }


def with_as_of(doc: dict[str, Any], scenario: Scenario, as_of: object | None) -> dict[str, Any]:
    """``doc`` with the ``as_of`` key after the envelope when ``--as-of`` was given.

    Every other key is kept as it is, in its place.
    """
    if as_of is None:
        return doc
    out: dict[str, Any] = {}
    for k, v in doc.items():
        out[k] = v
        if k == "scenario":
            out["as_of"] = as_of_document(scenario)
    if "as_of" not in out:
        out["as_of"] = as_of_document(scenario)
    return out


def change_to_dict(c: Change) -> dict[str, Any]:
    """A change to the model, or an event (``action: context``), with its provenance."""
    return {
        "date": c.date.isoformat(),
        "action": c.action,
        "kind": c.kind,
        "id": c.id,
        "party": c.party,
        "text": c.text,
        "basis": c.basis,
        "source": c.source,
        "quote": c.quote,
        "line": c.line,
    }


def state_to_dict(a: Analysis) -> dict[str, Any]:
    """The conclusions of one day: ZOPA, gaps (as ``analyze``), bridge, proposals, equilibria."""
    from detente.report.json.analysis import summary_to_dict
    from detente.report.json.gaps import gaps_to_dict

    s = a.summary
    gaps = gaps_to_dict(a.gaps)["gaps"] if a.gaps is not None else []
    return {
        "zopa": {"empty": s.zopa_empty, "size": s.zopa_size},
        "gaps": gaps,
        "cheapest_bridge": summary_to_dict(s)["cheapest_bridge"],
        "proposals": [
            {
                "id": c.proposal,
                "acceptable": {
                    p.party: "never"
                    if p.acceptable_in == 0
                    else ("always" if p.acceptable_in == p.completions else "sometimes")
                    for p in c.parties
                },
                "acceptable_to_all": c.deal,
            }
            for c in a.checks
        ],
        "equilibria": {c: list(v) for c, v in s.equilibria.items()} if s.has_conflict else None,
    }


def effect_to_dict(e: Effect) -> dict[str, Any]:
    """How a day's conclusions differ from the day before's."""
    return {
        "changed": e.changed,
        "zopa_changed": e.zopa_changed,
        "gaps": {
            "new": [list(g) for g in e.gaps_new],
            "resolved": [list(g) for g in e.gaps_resolved],
            "unchanged": [list(g) for g in e.gaps_unchanged],
        },
        "cheapest_bridge": {
            "before": None if e.bridge_before is None else list(e.bridge_before),
            "after": None if e.bridge_after is None else list(e.bridge_after),
        },
        "proposals": {
            pid: {
                "rejected_by_before": None if b is None else list(b),
                "rejected_by_after": None if x is None else list(x),
            }
            for pid, (b, x) in e.proposals.items()
        },
        "equilibria": {
            c: {"gained": list(e.equilibria_gained[c]), "lost": list(e.equilibria_lost.get(c, ()))}
            for c in e.equilibria_gained
        },
        "sanctions": {
            state: [
                {
                    "concept": r.concept,
                    "dm": r.dm,
                    "move": list(r.move),
                    "by": [{"dm": m, "options": list(o)} for m, o in r.by],
                }
                for r in rs
            ]
            for state, rs in e.reasons.items()
        },
    }


def day_to_dict(d: Day) -> dict[str, Any]:
    """One snapshot: ``date``, ``changes``, ``context``, the day's conclusions, ``effect``."""
    return {
        "date": _iso(d.date),
        "changes": [change_to_dict(c) for c in d.changes],
        "context": [change_to_dict(c) for c in d.context],
        "changed": d.changed,
        **state_to_dict(d.analysis),
        "effect": effect_to_dict(d.effect),
        "reused": list(d.reused),
    }


def timeline_document(t: Timeline) -> dict[str, Any]:
    """The JSON document of ``detente timeline``: ``start``, then ``snapshots`` in date order."""
    start = {"date": None, **state_to_dict(t.start.analysis)}
    return envelope(
        "timeline",
        t.scenario,
        {
            "title": t.title,
            "method": t.method,
            "exact": t.exact,
            "start": start,
            "snapshots": [day_to_dict(d) for d in t.days],
            "notes": list(t.notes),
        },
    )


def diff_document(d: TimelineDiff) -> dict[str, Any]:
    """The JSON document of ``detente diff``: both days' conclusions, the changes between."""
    return envelope(
        "diff",
        d.scenario,
        {
            "from": d.date_from.isoformat(),
            "to": d.date_to.isoformat(),
            "changes": [change_to_dict(c) for c in d.changes if c.action != "context"],
            "context": [change_to_dict(c) for c in d.changes if c.action == "context"],
            "before": state_to_dict(d.before),
            "after": state_to_dict(d.after),
            "effect": effect_to_dict(d.effect),
            "notes": list(d.notes),
        },
    )
