"""The scenario over time: which items are in force on a day, and the file as it stood then.

Every red line, reservation, priority, proposal, response, amendment and conflict option
may carry ``date`` (known or in force from that day) and ``until`` (withdrawn,
superseded or no longer in force from that day). On day D an item is *in force* when
``date <= D`` (or it has no date: it holds from the start) and it has no ``until <= D``.
A reservation or a priority may be written as a list of such dated versions; red lines,
proposals and amendments have versions when several share an id. Two versions of one
item may not be in force on the same day.

:func:`snapshot` is the file as it stood on a day: the document with only the items in
force, a reservation or priority reduced to its version in force, and the options that
only amendments not yet floated (or withdrawn) add taken out of their issues (with the
priority values that name them). In the conflict section an option that does not exist
that day is held at N: it leaves its decision maker (a decision maker with no option
left leaves the model), its character leaves state strings, and it reads as ``false``
in rules and preference statements. The snapshot is an ordinary document: analysing it
is analysing a file written with only the items in force that day.

Without a day (``None``) the snapshot is the latest state: every dated item, none that
has ended. :class:`~detente.scenario.checked.Scenario` holds the default snapshot (the
file's ``as_of``, else the latest) and keeps the whole file as its :class:`History`;
:meth:`~detente.scenario.checked.Scenario.on` gives any other day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from detente.scenario.dates.items import DatedItem, dated_items, in_force
from detente.scenario.dates.rewrites import conflict_on, without_options
from detente.scenario.locations import Locations, Path_
from detente.scenario.model import (
    ChoiceIssue,
    Position,
    Priority,
    Reservation,
    ScenarioDocument,
)

__all__ = ["History", "LeftOut", "PathMap", "Snapshot", "snapshot"]

# -- paths between the file and a snapshot ----------------------------------------------


@dataclass(frozen=True)
class PathMap:
    """How the paths of a snapshot relate to those of the whole file.

    ``lists`` maps a list's path in the snapshot to the file indices it kept, in order;
    ``collapsed`` maps the path of a reservation or priority written as versions to the
    index of the version in force (the snapshot holds that version in its place).
    """

    lists: Mapping[Path_, tuple[int, ...]]
    collapsed: Mapping[Path_, int]

    def forward(self, path: Path_) -> Path_ | None:
        """The snapshot path of a file path (None: the item is not in the snapshot)."""
        out: list[str | int] = []
        parts = list(path)
        i = 0
        while i < len(parts):
            here = tuple(out)
            if here in self.collapsed:
                if parts[i] != self.collapsed[here]:
                    return None
                i += 1
                continue
            part = parts[i]
            if here in self.lists and isinstance(part, int):
                kept = self.lists[here]
                if part not in kept:
                    return None
                part = kept.index(part)
            out.append(part)
            i += 1
        return tuple(out)

    def back(self, path: Path_) -> Path_:
        """The file path of a snapshot path."""
        out: list[str | int] = []
        here: list[str | int] = []
        for part in path:
            key = tuple(here)
            if key in self.collapsed:
                out.append(self.collapsed[key])
            if key in self.lists and isinstance(part, int) and part < len(self.lists[key]):
                out.append(self.lists[key][part])
            else:
                out.append(part)
            here.append(part)
        if tuple(here) in self.collapsed:
            out.append(self.collapsed[tuple(here)])
        return tuple(out)


@dataclass(frozen=True)
class LeftOut:
    """An item of the file that is not in force on the snapshot's day, and why."""

    kind: str
    id: str
    party: str | None
    path: Path_
    why: Literal["later", "ended"]
    date: dt.date | None
    until: dt.date | None
    issue: str | None = None

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """One line for a reader: what is left out and why (from when, or ended when).

        ``names`` maps party ids to the names to show (ids when absent).
        """
        name = (names or {}).get(self.party or "", self.party)
        who = f"{name}'s " if self.party and self.kind != "response" else ""
        if self.kind == "option":
            return (
                f"option '{self.id}' of '{self.issue}' (no amendment in force adds it: "
                f"{'it comes later' if self.why == 'later' else 'it was withdrawn'})"
            )
        if self.kind == "response":
            what = f"the response of {name} to '{self.id}'"
        elif self.kind in ("reservation",):
            what = f"{who}reservation"
        else:
            what = f"{who}{self.kind} '{self.id}'"
        if self.why == "later":
            when = f"from {self.date.isoformat()}" if self.date else "later"
        else:
            when = f"ended {self.until.isoformat()}" if self.until else "ended"
        return f"{what} ({when})"


@dataclass(frozen=True)
class Snapshot:
    """The file as it stood on ``day`` (see the module docstring)."""

    document: ScenarioDocument
    day: dt.date | None
    paths: PathMap
    removed_options: Mapping[str, frozenset[str]]
    left_out: tuple[LeftOut, ...]

    def locations(self, history: Locations) -> Locations:
        """The file's locations read through snapshot paths (lines stay the file's)."""
        if not self.paths.lists and not self.paths.collapsed:
            return history
        return _Mapped(history, self.paths)


class _Mapped(Locations):
    """Locations of a snapshot: each snapshot path is looked up as its file path."""

    def __init__(self, history: Locations, paths: PathMap) -> None:
        # no tables until one is asked for (a message, the editor): checking a file
        # builds a snapshot for each day, and most days have nothing to report
        self.history = history
        self.paths = paths

    def __getattr__(self, attr: str) -> Any:
        if attr not in ("value", "key", "quoted") or "paths" not in self.__dict__:
            raise AttributeError(attr)
        history, paths = self.history, self.paths
        Locations.__init__(self)
        for table, into in ((history.value, self.value), (history.key, self.key)):
            for path, at in table.items():
                p = paths.forward(path)
                if p is not None and p not in into:
                    into[p] = at
        self.quoted = {p for q in history.quoted if (p := paths.forward(q)) is not None}
        return getattr(self, attr)

    def at(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        return self.history.at(self.paths.back(path), key=key)


@dataclass(frozen=True)
class History:
    """The whole file behind a scenario, and the day the scenario shows (None: latest)."""

    document: ScenarioDocument
    locations: Locations
    day: dt.date | None


# -- the snapshot ---------------------------------------------------------------------


def _left(it: DatedItem, day: dt.date | None) -> LeftOut:
    ended = it.until is not None and (day is None or it.until <= day)
    ident = it.key[0] if it.kind == "response" else it.id
    return LeftOut(
        it.kind, ident, it.party, it.path, "ended" if ended else "later", it.date, it.until
    )


def _removed_options(doc: ScenarioDocument, day: dt.date | None) -> dict[str, set[str]]:
    """Per choice issue, its own options that no amendment in force that day adds.

    Only options the issue declares count: an amendment naming an unknown issue or
    option is left for the whole-file check to refuse (with its place and a hint).
    """
    declared = {i.id: set(i.option_ids) for i in doc.issues if isinstance(i, ChoiceIssue)}
    every: dict[str, set[str]] = {}
    kept: dict[str, set[str]] = {}
    for a in doc.amendments:
        for iid, opts in a.adds.items():
            every.setdefault(iid, set()).update(o for o in opts if o in declared.get(iid, ()))
            if in_force(a, day):
                kept.setdefault(iid, set()).update(opts)
    return {iid: o - kept.get(iid, set()) for iid, o in every.items() if o - kept.get(iid, set())}


def _one(item: Any, day: dt.date | None, path: Path_, collapsed: dict[Path_, int]) -> Any:
    """The version of a reservation or priority in force (None: none is)."""
    if not item.versions:
        return item if in_force(item, day) else None
    chosen = [k for k, v in enumerate(item.versions) if in_force(v, day)]
    if not chosen:
        return None
    collapsed[path] = chosen[-1]
    return item.versions[chosen[-1]]


def _position(
    doc: ScenarioDocument,
    pid: str,
    pos: Position,
    day: dt.date | None,
    removed: Mapping[str, set[str]],
    lists: dict[Path_, tuple[int, ...]],
    collapsed: dict[Path_, int],
) -> Position:
    base: Path_ = ("positions", pid)
    keep = tuple(j for j, rl in enumerate(pos.red_lines) if in_force(rl, day))
    if len(keep) < len(pos.red_lines):
        lists[(*base, "red_lines")] = keep
    red_lines = []
    for j in keep:
        rl = pos.red_lines[j]
        rule = without_options(rl.rule, removed, doc)
        red_lines.append(rl if rule == rl.rule else rl.model_copy(update={"rule": rule}))
    res = _one(pos.reservation, day, (*base, "reservation"), collapsed)
    priorities: dict[str, Priority] = {}
    for iid, pr in pos.priorities.items():
        one = _one(pr, day, (*base, "priorities", iid), collapsed)
        if one is None:
            continue
        gone = removed.get(iid)
        if gone and isinstance(one.values, dict) and gone & one.values.keys():
            one = one.model_copy(
                update={"values": {k: v for k, v in one.values.items() if k not in gone}}
            )
        priorities[iid] = one
    return pos.model_copy(
        update={
            "red_lines": tuple(red_lines),
            "reservation": res if res is not None else Reservation(),
            "priorities": priorities,
        }
    )


def snapshot(doc: ScenarioDocument, day: dt.date | None) -> Snapshot:
    """The file ``doc`` as it stood on ``day`` (None: the latest state).

    The snapshot's ``as_of`` is ``day`` (the file's own when ``day`` is None); a file
    whose every item is in force that day is returned as it is.
    """
    lists: dict[Path_, tuple[int, ...]] = {}
    collapsed: dict[Path_, int] = {}
    removed = _removed_options(doc, day)
    left = tuple(_left(it, day) for it in dated_items(doc) if not in_force(it.item, day))
    update: dict[str, Any] = {}
    if day is not None and day != doc.as_of:
        update["as_of"] = day
    issues = []
    for i, issue in enumerate(doc.issues):
        gone = removed.get(issue.id)
        if isinstance(issue, ChoiceIssue) and gone:
            keep = tuple(j for j, o in enumerate(issue.options) if o.id not in gone)
            lists[("issues", i, "options")] = keep
            issue = issue.model_copy(update={"options": tuple(issue.options[j] for j in keep)})
        issues.append(issue)
    versioned = any(
        p.reservation.versions or any(pr.versions for pr in p.priorities.values())
        for p in doc.positions.values()
    )
    if not left and not removed and not versioned:
        doc2 = doc.model_copy(update=update) if update else doc
        return Snapshot(doc2, day, PathMap({}, {}), {}, ())
    positions = {
        pid: _position(doc, pid, pos, day, removed, lists, collapsed)
        for pid, pos in doc.positions.items()
    }
    keep_p = tuple(i for i, p in enumerate(doc.proposals) if in_force(p, day))
    proposals = []
    for n, i in enumerate(keep_p):
        p = doc.proposals[i]
        keep_r = tuple(j for j, r in enumerate(p.responses) if in_force(r, day))
        if len(keep_r) < len(p.responses):
            lists[("proposals", n, "responses")] = keep_r
            p = p.model_copy(update={"responses": tuple(p.responses[j] for j in keep_r)})
        proposals.append(p)
    if len(keep_p) < len(doc.proposals):
        lists[("proposals",)] = keep_p
    keep_a = tuple(i for i, a in enumerate(doc.amendments) if in_force(a, day))
    if len(keep_a) < len(doc.amendments):
        lists[("amendments",)] = keep_a
    derived = tuple(
        d
        if (e := without_options(d.expr, removed, doc)) == d.expr
        else d.model_copy(update={"expr": e})
        for d in doc.derived
    )
    update.update(
        issues=tuple(issues),
        derived=derived,
        positions=positions,
        proposals=tuple(proposals),
        amendments=tuple(doc.amendments[i] for i in keep_a),
        conflict=None if doc.conflict is None else conflict_on(doc.conflict, day, lists, in_force),
    )
    later = {
        o
        for a in doc.amendments
        if a.date is not None and day is not None and a.date > day
        for opts in a.adds.values()
        for o in opts
    }
    options = tuple(
        LeftOut(
            "option",
            o,
            None,
            ("issues", i, "options", issue.option_ids.index(o)),  # type: ignore[union-attr]
            "later" if o in later else "ended",
            None,
            None,
            issue.id,
        )
        for i, issue in enumerate(doc.issues)
        for o in sorted(removed.get(issue.id, ()))
    )
    frozen = {k: frozenset(v) for k, v in removed.items()}
    return Snapshot(
        doc.model_copy(update=update), day, PathMap(lists, collapsed), frozen, left + options
    )
