"""Report sections of the scenario over time: what ``--as-of`` left out, the timeline.

:func:`as_of_section` lists the items of the file not in force on the day the report
shows (dated later, or ended by then). Rendering only.
"""

from __future__ import annotations

from detente.report.html.scenario_sections import table
from detente.report.page import Section, esc
from detente.report.text.timeline import day_text
from detente.scenario.checked import Scenario

__all__ = ["as_of_section"]


def as_of_section(scenario: Scenario) -> Section:
    """The day shown and each item of the file left out that day, with why and its line."""
    day = scenario.history.day if scenario.history is not None else scenario.as_of
    when = day_text(day) if day is not None else "the latest state"
    left = scenario.left_out()
    if not left:
        body = f"<p>As of {esc(when)}: every item of the file is in force.</p>"
        return Section("as-of", f"As of {when}", body)
    locs = scenario.history.locations if scenario.history is not None else scenario.locations
    rows = []
    for x in left:
        line, _ = locs.at(x.path)
        why = "dated later" if x.why == "later" else "had ended"
        rows.append((esc(x.describe()), why, str(line) if line else ""))
    body = (
        f"<p>The analysis shows the file as it stood on {esc(when)}; "
        f"{len(left)} item{'s' if len(left) != 1 else ''} of the file are left out.</p>"
        + table(("item", "why", "line"), rows, nums=(2,))
    )
    return Section("as-of", f"As of {when}: left out", body)
