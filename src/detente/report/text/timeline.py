"""Text of the scenario over time: the ``--as-of`` header, and ``detente timeline``.

:func:`as_of_text` says which day a command shows and what of the file it left out
(items dated later, items that had ended). Rendering only.
"""

from __future__ import annotations

import datetime as dt

from detente.scenario.checked import Scenario

__all__ = ["as_of_text", "day_text"]


def day_text(d: dt.date) -> str:
    """A day as a reader writes it: ``8 May 2024``."""
    return f"{d.day} {d.strftime('%B %Y')}"


def as_of_text(scenario: Scenario) -> str:
    """``As of 8 May 2024`` and the items left out that day, one a line."""
    day = scenario.history.day if scenario.history is not None else None
    day = day if day is not None else scenario.as_of
    head = f"As of {day_text(day)}" if day is not None else "As of the latest state"
    left = scenario.left_out()
    if not left:
        return f"{head}: every item of the file is in force.\n"
    lines = [f"{head}: {len(left)} item{'s' if len(left) != 1 else ''} of the file left out:"]
    lines += [f"  - {x.describe()}" for x in left]
    return "\n".join(lines) + "\n"
