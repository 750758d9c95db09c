"""The scenario over time: which items are in force on a day, and the file as it stood then.

:mod:`~detente.scenario.dates.view` holds the definitions (an item is in force on day D
when its ``date`` is on or before D, or absent, and it has no ``until`` on or before D)
and :func:`~detente.scenario.dates.view.snapshot`, the file as it stood on a day;
:mod:`~detente.scenario.dates.rewrites` the rewrites behind a snapshot (rules without
options not yet on the table, conflict options held at N);
:mod:`~detente.scenario.dates.checks` the checks of a file over time (dates that cannot
hold, and every day's file checked).
"""

from detente.scenario.dates.view import (
    DatedItem,
    History,
    LeftOut,
    PathMap,
    Snapshot,
    change_days,
    dated_items,
    in_force,
    is_dated,
    snapshot,
)

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
