"""What happens on each day of a dated scenario: the model's changes and the context.

A *change* is an item of the file (:mod:`detente.scenario.dates`) coming into force
(``appears``), being replaced by another version of itself (``changes``: a reservation
or priority version, a red line, proposal or amendment re-issued under its id), or
ending (``ends``) on that day. The file's dated events are *context*: reported moves
that the model does not encode (a delegation leaving, a figure reported). Each change
carries its provenance (basis, source, quote) and its line in the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from detente.scenario.dates import DatedItem, dated_items
from detente.scenario.locations import Locations
from detente.scenario.model import ScenarioDocument

__all__ = ["Action", "Change", "changes_on", "event_days", "timeline_days"]

Action = Literal["appears", "changes", "ends", "context"]


@dataclass(frozen=True)
class Change:
    """One thing that happens on ``date``: an item of the model, or a reported event.

    ``kind`` is the item's kind (``red line``, ``reservation``, ``priority``,
    ``proposal``, ``response``, ``amendment``, ``conflict option``) or ``event``;
    ``key`` identifies the item across versions; ``text`` says it in a sentence.
    """

    date: dt.date
    action: Action
    kind: str
    key: tuple[str, ...]
    party: str | None
    text: str
    basis: str
    source: str | None
    quote: str | None
    line: int | None

    @property
    def id(self) -> str:
        """The item's id (for a response: the proposal's id; for an event: its kind)."""
        return self.key[0] if self.kind == "response" else self.key[-1]

    @property
    def reported(self) -> bool:
        """Whether a source reports it (else the analyst assumed it)."""
        return self.basis == "reported"


def _names(doc: ScenarioDocument) -> dict[str, str]:
    return {p.id: p.name for p in doc.parties}


def _what(it: DatedItem, doc: ScenarioDocument) -> str:
    names = _names(doc)
    who = names.get(it.party or "", it.party or "")
    item = it.item
    label = getattr(item, "label", None) or getattr(item, "title", None)
    if it.kind == "red line":
        return f"{who}'s red line '{label or it.id}'"
    if it.kind == "reservation":
        return f"{who}'s reservation ({item.value:g})"
    if it.kind == "priority":
        return f"{who}'s priority on '{it.id}' (weight {item.weight:g})"
    if it.kind == "proposal":
        by = ", ".join(names.get(b, b) for b in item.by)
        return f"proposal '{label or it.id}'" + (f" by {by}" if by else "")
    if it.kind == "response":
        return f"{who}'s response to '{it.key[0]}' ({item.response})"
    if it.kind == "amendment":
        return f"amendment '{label or it.id}'"
    return f"{who}'s option '{label or it.id}'"


_VERB = {
    ("appears", "proposal"): "is made",
    ("appears", "response"): "is given",
    ("appears", "amendment"): "is floated",
    ("appears", "conflict option"): "appears",
    ("ends", "proposal"): "is withdrawn",
    ("ends", "amendment"): "is withdrawn",
    ("ends", "response"): "is withdrawn",
}


def _text(action: Action, it: DatedItem, doc: ScenarioDocument) -> str:
    what = _what(it, doc)
    if action == "changes":
        return f"{what[0].upper()}{what[1:]} replaces the earlier version"
    verb = _VERB.get((action, it.kind), "comes into force" if action == "appears" else "ends")
    return f"{what[0].upper()}{what[1:]} {verb}"


def changes_on(
    doc: ScenarioDocument, day: dt.date, locations: Locations | None = None
) -> tuple[Change, ...]:
    """Every change to the model of ``doc`` on ``day``, then its events, in file order.

    A version that starts on the day another version of the same item ends is one
    ``changes`` entry (the ending of the old one is not listed apart).
    """
    items = list(dated_items(doc))
    starting = {(it.kind, it.key) for it in items if it.date == day}
    out: list[Change] = []
    for it in items:
        if it.date == day:
            ending = any(
                o.until == day and (o.kind, o.key) == (it.kind, it.key) and o is not it
                for o in items
            )
            action: Action = "changes" if ending else "appears"
        elif it.until == day:
            if (it.kind, it.key) in starting:
                continue  # listed as the new version's "changes"
            action = "ends"
        else:
            continue
        line = locations.at(it.path)[0] if locations is not None else None
        p = it.item
        out.append(
            Change(
                day,
                action,
                it.kind,
                it.key,
                it.party,
                _text(action, it, doc),
                getattr(p, "basis", "reported" if getattr(p, "source", None) else "assumed"),
                getattr(p, "source", None),
                getattr(p, "quote", None),
                line,
            )
        )
    for i, ev in enumerate(doc.events):
        if ev.date != day:
            continue
        line = locations.at(("events", i))[0] if locations is not None else None
        out.append(
            Change(
                day,
                "context",
                "event",
                (ev.kind,),
                ev.actors[0] if ev.actors else None,
                ev.text,
                ev.basis,
                ev.source,
                ev.quote,
                line,
            )
        )
    return tuple(out)


def event_days(doc: ScenarioDocument) -> list[dt.date]:
    """The days of the file's dated events, ascending."""
    return sorted({ev.date for ev in doc.events})


def timeline_days(doc: ScenarioDocument, extra: Iterable[dt.date] = ()) -> list[dt.date]:
    """Every day on which the model changes or an event is reported, ascending."""
    from detente.scenario.dates import change_days

    return sorted({*change_days(doc), *event_days(doc), *extra})


def model_changes(changes: Sequence[Change]) -> tuple[Change, ...]:
    """The changes to the model (the events left out)."""
    return tuple(c for c in changes if c.action != "context")
