"""Which items of a file may come and go, and whether one is in force on a day.

The cheap half of :mod:`detente.scenario.dates`: every file's check asks whether it is
dated at all (:func:`is_dated`), and only a dated file needs the snapshots of
:mod:`~detente.scenario.dates.view`. On day D an item is *in force* when ``date <= D``
(or it has no date) and it has no ``until <= D``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from detente.scenario.locations import Path_
from detente.scenario.model import Priority, Reservation, ScenarioDocument

__all__ = ["DatedItem", "Kind", "change_days", "dated_items", "in_force", "is_dated"]

Kind = Literal[
    "red line", "reservation", "priority", "proposal", "response", "amendment", "conflict option"
]


def in_force(item: Any, day: dt.date | None) -> bool:
    """Whether ``item`` (anything with ``date`` and ``until``) holds on ``day``.

    ``day`` None is the latest state: every item that has not ended.
    """
    until = getattr(item, "until", None)
    if day is None:
        return until is None
    date = getattr(item, "date", None)
    return (date is None or date <= day) and (until is None or until > day)


@dataclass(frozen=True)
class DatedItem:
    """One item that may come and go: where it is in the file and what it is.

    ``key`` identifies the item across its versions (kind, party or proposal, id);
    ``version`` numbers the versions of one key in file order.
    """

    kind: Kind
    key: tuple[str, ...]
    path: Path_
    item: Any
    party: str | None
    version: int

    @property
    def id(self) -> str:
        """The item's id (a reservation's is ``reservation``, a priority's its issue)."""
        return self.key[-1]

    @property
    def date(self) -> dt.date | None:
        """The first day the item is in force (None: from the start)."""
        return getattr(self.item, "date", None)

    @property
    def until(self) -> dt.date | None:
        """The first day the item no longer holds (None: it has not ended)."""
        return getattr(self.item, "until", None)


def _versions_of(item: Reservation | Priority) -> tuple[Any, ...]:
    return item.versions if item.versions else (item,)


def dated_items(doc: ScenarioDocument) -> Iterator[DatedItem]:
    """Every item that may carry ``date``/``until``, versions one by one, in file order."""
    for pid, pos in doc.positions.items():
        base: Path_ = ("positions", pid)
        seen: dict[str, int] = {}
        for j, rl in enumerate(pos.red_lines):
            v = seen[rl.id] = seen.get(rl.id, -1) + 1
            yield DatedItem("red line", (pid, rl.id), (*base, "red_lines", j), rl, pid, v)
        r = pos.reservation
        for k, rv in enumerate(_versions_of(r)):
            path = (*base, "reservation", k) if r.versions else (*base, "reservation")
            yield DatedItem("reservation", (pid, "reservation"), path, rv, pid, k)
        for iid, prio in pos.priorities.items():
            for k, pv in enumerate(_versions_of(prio)):
                at = (*base, "priorities", iid)
                yield DatedItem(
                    "priority", (pid, iid), (*at, k) if prio.versions else at, pv, pid, k
                )
    seen = {}
    for i, pr in enumerate(doc.proposals):
        v = seen[pr.id] = seen.get(pr.id, -1) + 1
        yield DatedItem("proposal", (pr.id,), ("proposals", i), pr, None, v)
        for j, resp in enumerate(pr.responses):
            key = (pr.id, resp.party, str(j))
            yield DatedItem("response", key, ("proposals", i, "responses", j), resp, resp.party, v)
    seen = {}
    for i, am in enumerate(doc.amendments):
        v = seen[am.id] = seen.get(am.id, -1) + 1
        yield DatedItem("amendment", (am.id,), ("amendments", i), am, None, v)
    if doc.conflict is not None:
        for i, dm in enumerate(doc.conflict.decision_makers):
            for j, opt in enumerate(dm.options):
                path = ("conflict", "decision_makers", i, "options", j)
                yield DatedItem("conflict option", (dm.party, opt.id), path, opt, dm.party, 0)


def change_days(doc: ScenarioDocument) -> list[dt.date]:
    """Every day on which an item of the model comes into force or ends, ascending."""
    days: set[dt.date] = set()
    for it in dated_items(doc):
        days.update(d for d in (it.date, it.until) if d is not None)
    return sorted(days)


def is_dated(doc: ScenarioDocument) -> bool:
    """Whether the file has any item whose presence depends on the day."""
    return any(
        it.date is not None
        or it.until is not None
        or it.version > 0
        or (isinstance(it.item, (Reservation, Priority)) and it.path[-1] == 0)
        for it in dated_items(doc)
    )
