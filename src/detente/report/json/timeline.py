"""JSON of the scenario over time: what ``--as-of`` left out, and ``detente timeline``.

:func:`as_of_document` is the ``as_of`` key every command adds under ``--as-of DATE``:
the day and the items of the file left out that day (each with its kind, id, party, why
(``later`` or ``ended``), its dates and its line in the file). :func:`timeline_document`
renders a :class:`~detente.timeline.analysis.Timeline` (``snapshots``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from detente.scenario.checked import Scenario
from detente.scenario.dates import LeftOut

__all__ = ["as_of_document", "left_out_to_dict", "with_as_of"]


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
        "text": item.describe(),
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
