"""Checks of a file over time: dates that cannot hold, and every day's file checked.

A file with dated items (:mod:`detente.scenario.dates`) is checked as the files it
stands for: its dates (an ``until`` not after its ``date``, two versions of one item in
force on the same day), then the snapshot of the start and of every day on which an
item comes or goes, each with the whole-file checks, every problem reported once at its
place in the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from detente.errors import Problem
from detente.scenario.checking import Collector, provenance
from detente.scenario.dates.items import DatedItem, change_days, dated_items, is_dated
from detente.scenario.dates.view import snapshot
from detente.scenario.locations import Locations, Path_
from detente.scenario.model import (
    ChoiceIssue,
    ConflictOption,
    Priority,
    Reservation,
    ScenarioDocument,
)
from detente.scenario.semantics import check_scenario

__all__ = ["check_dates", "check_file", "check_history"]


def _problem(name: str, locs: Locations, path: Path_, message: str, hint: str) -> Problem:
    line, col = locs.at(path)
    return Problem(message, path, name, line, col, None, hint)


def _overlap(a: DatedItem, b: DatedItem) -> dt.date | None:
    """The first day two versions are both in force, or None."""
    lo = max((d for d in (a.date, b.date) if d is not None), default=None)
    ends = [d for d in (a.until, b.until) if d is not None]
    hi = min(ends) if ends else None
    if lo is not None and hi is not None and lo >= hi:
        return None
    return lo if lo is not None else dt.date.min


def check_dates(doc: ScenarioDocument, name: str, locs: Locations) -> list[Problem]:
    """Dates that cannot hold: ``until`` not after ``date``, overlapping versions."""
    problems: list[Problem] = []
    items = list(dated_items(doc))
    for it in items:
        if it.date is not None and it.until is not None and it.until <= it.date:
            problems.append(
                _problem(
                    name,
                    locs,
                    (*it.path, "until"),
                    f"'until' {it.until.isoformat()} is not after 'date' "
                    f"{it.date.isoformat()}: this {it.kind} would never be in force",
                    "'until' is the first day it no longer holds; make it later than 'date' "
                    "(or swap them)",
                )
            )
        if isinstance(it.item, (Reservation, Priority)) and it.item.versions:
            problems.append(
                _problem(name, locs, it.path, "a version cannot hold versions itself", "")
            )
    c = Collector(name, locs)
    sources = [s.id for s in doc.sources]
    for it in items:
        if isinstance(it.item, ConflictOption):  # the other items' provenance is checked
            provenance(c, it.path, it.item.basis, it.item.source, sources)
    problems += c.problems
    by_key: dict[tuple[str, tuple[str, ...]], list[DatedItem]] = {}
    for it in items:
        if it.kind not in ("response", "conflict option"):
            by_key.setdefault((it.kind, it.key), []).append(it)
    for (kind, key), versions in by_key.items():
        for j, b in enumerate(versions):
            for a in versions[:j]:
                undated = all(x.date is None and x.until is None for x in (a, b))
                if undated and kind in ("red line", "proposal", "amendment"):
                    continue  # a plain duplicate id: the usual check reports it
                day = _overlap(a, b)
                if day is None:
                    continue
                when = "from the start" if day == dt.date.min else f"on {day.isoformat()}"
                hint = (
                    f"end the earlier version with 'until: {b.date.isoformat()}'"
                    if b.date is not None and (a.date is None or a.date < b.date)
                    else "give each version its own period with 'date' and 'until', "
                    "or a different id"
                )
                problems.append(
                    _problem(
                        name,
                        locs,
                        b.path,
                        f"two versions of {_named(kind, key)} are in force {when} "
                        f"(this one and the one at {_dotted(a.path)})",
                        hint,
                    )
                )
    return problems


def _named(kind: str, key: tuple[str, ...]) -> str:
    if kind == "reservation":
        return f"{key[0]}'s reservation"
    if kind == "priority":
        return f"{key[0]}'s priority on '{key[-1]}'"
    return f"{kind} '{key[-1]}'"


def _dotted(path: Path_) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


Check = Callable[[ScenarioDocument, str, Locations], list[Problem]]


def check_file(doc: ScenarioDocument, name: str, locs: Locations) -> list[Problem]:
    """Every whole-file problem of ``doc``: over time when it has dated items."""
    if is_dated(doc):
        return check_history(doc, name, locs, _one_day)
    return _one_day(doc, name, locs)


def _one_day(doc: ScenarioDocument, name: str, locs: Locations) -> list[Problem]:
    return check_scenario(doc, name, locs)[0]


def check_history(doc: ScenarioDocument, name: str, locs: Locations, check: Check) -> list[Problem]:
    """Every problem of the file over time: its dates, and each day's snapshot checked.

    ``check`` is the whole-file check of one document. The snapshots checked are the
    start (before the first dated change) and every change day, which covers every
    item; problems are reported at the file's paths, each once.
    """
    problems = check_dates(doc, name, locs)
    days = change_days(doc)
    checked: list[dt.date | None] = [days[0] - dt.timedelta(days=1)] if days else []
    checked += days
    seen = {(p.path, p.message) for p in problems}
    overlapping = [p.path for p in problems if p.message.startswith("two versions of ")]
    for day in checked or [None]:
        snap = snapshot(doc, day)
        for p in check(snap.document, name, snap.locations(locs)):
            path = snap.paths.back(p.path)
            hint = p.hint
            for iid, gone in snap.removed_options.items():
                for o in gone:
                    if f"'{o}'" in p.message:
                        hint = (
                            f"on {day.isoformat() if day else 'that day'} no amendment in "
                            f"force adds option '{o}' of '{iid}'; date this item on or after "
                            "the day an amendment adding it comes into force"
                        )
            if p.message.startswith("duplicate ") and any(path[: len(q)] == q for q in overlapping):
                continue  # two versions in force at once: reported above, with dates
            if (path, p.message) not in seen:
                seen.add((path, p.message))
                problems.append(replace(p, path=path, hint=hint))
        for i, issue in enumerate(snap.document.issues):
            if isinstance(issue, ChoiceIssue) and not issue.options:
                problems.append(
                    _problem(
                        name,
                        locs,
                        ("issues", i, "options"),
                        f"on {day} no option of '{issue.id}' is on the table (every one "
                        "needs an amendment in force)",
                        "keep at least one option that no amendment adds",
                    )
                )
    return problems
