"""The scenario over time: which items are in force on a day, and the file as it stood then.

:mod:`~detente.scenario.dates.items` holds the definitions (an item is in force on day D
when its ``date`` is on or before D, or absent, and it has no ``until`` on or before D);
:mod:`~detente.scenario.dates.view` :func:`~detente.scenario.dates.view.snapshot`, the
file as it stood on a day; :mod:`~detente.scenario.dates.rewrites` the rewrites behind a
snapshot (rules without options not yet on the table, conflict options held at N);
:mod:`~detente.scenario.dates.checks` the checks of a file over time (dates that cannot
hold, and every day's file checked).

The snapshot half loads on first use: a file without dated items never needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from detente.scenario.dates.items import DatedItem, change_days, dated_items, in_force, is_dated

if TYPE_CHECKING:
    from detente.scenario.dates.view import History, LeftOut, PathMap, Snapshot, snapshot

__all__ = [
    "DatedItem",
    "History",
    "LeftOut",
    "PathMap",
    "Snapshot",
    "change_days",
    "dated_items",
    "in_force",
    "is_dated",
    "snapshot",
]

_VIEW = frozenset({"History", "LeftOut", "PathMap", "Snapshot", "snapshot"})


def __getattr__(name: str) -> Any:
    if name in _VIEW:
        from detente.scenario.dates import view

        return getattr(view, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
