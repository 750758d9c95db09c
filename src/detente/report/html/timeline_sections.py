"""Report sections of the scenario over time: what ``--as-of`` left out, the timeline.

:func:`as_of_section` lists the items of the file not in force on the day the report
shows (dated later, or ended by then); :func:`timeline_analysis_section` is the talks
over time: the concession curves and dated moves as a chart, and for every day what
changed (with basis and source) and what it did to the analysis. Rendering only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.report.html.scenario_sections import table
from detente.report.page import Section, esc, figure_block
from detente.report.text.timeline import day_text, effect_lines, state_line
from detente.scenario.checked import Scenario

if TYPE_CHECKING:
    from detente.timeline.analysis import Timeline
    from detente.timeline.curves import ConcessionCurves

__all__ = ["as_of_section", "timeline_analysis_section"]


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
    names = {p.id: p.name for p in scenario.parties}
    for x in left:
        line, _ = locs.at(x.path)
        why = "dated later" if x.why == "later" else "had ended"
        rows.append((esc(x.describe(names)), why, str(line) if line else ""))
    body = (
        f"<p>The analysis shows the file as it stood on {esc(when)}; "
        f"{len(left)} item{'s' if len(left) != 1 else ''} of the file are left out.</p>"
        + table(("item", "why", "line"), rows, nums=(2,))
    )
    return Section("as-of", f"As of {when}: left out", body)


def timeline_analysis_section(t: Timeline, curves: ConcessionCurves) -> Section:
    """The talks over time: chart, then each day's moves and their effect (a table)."""
    from detente.report.plots.timeline import timeline_figure

    rows = []
    prev = t.start.analysis
    for d in t.days:
        if not d.changes:
            prev = d.analysis
            continue
        moves = "<br>".join(
            esc(c.text) + f' <span class="tag {"reported" if c.reported else "assumed"}">'
            f"{esc(c.basis)}</span>"
            + (f' <span class="muted">{esc(c.source)}</span>' if c.source else "")
            for c in d.changes
        )
        effects = effect_lines(d.effect, prev, d.analysis)
        effect = (
            "<br>".join(esc(x) for x in effects) + f'<div class="muted">now: '
            f"{esc(state_line(d.analysis))}</div>"
            if effects
            else '<span class="muted">changes nothing in the analysis</span>'
        )
        rows.append((esc(day_text(d.date)) if d.date else "", moves, effect))
        prev = d.analysis
    moved = sum(1 for d in t.days if d.changes)
    intro = (
        f"<p>At the start: {esc(state_line(t.start.analysis))}. {moved} days change the "
        f"model; {sum(d.changed for d in t.days)} of them change the analysis. Each day is "
        "analysed as the file stood on it (<code>detente timeline</code>).</p>"
    )
    body = (
        intro
        + figure_block(
            "timeline-figure",
            "Concession curves (utility of each proposal made or accepted, per party), the "
            "dated moves and events; red bands: no ZOPA, green: a ZOPA.",
        )
        + table(("day", "what changed", "what it did"), rows)
    )
    return Section(
        "talks-over-time",
        "The talks over time",
        body,
        {"timeline-figure": timeline_figure(t, curves)},
    )
