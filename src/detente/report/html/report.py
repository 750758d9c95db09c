"""``detente report``: one self-contained HTML file of a composite analysis.

The bottom line first, then the scenario with every item's basis, source, date and
quote, the proposals against red lines, the deal space (chart and tables), gaps and
bridges, amendments and near misses, the strategic table and graph, the timeline of
dated events, every assumption, and the sources. Analyses built on the composite
(robustness, timeline, simulation) add their own sections through ``extra``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from detente import __version__
from detente.analysis.composite import Analysis
from detente.report.html.analysis_sections import deal_section, gaps_section, strategy_section
from detente.report.html.scenario_sections import (
    assumptions_section,
    bottom_line_section,
    proposals_section,
    scenario_section,
    sources_section,
    timeline_section,
)
from detente.report.page import Section, esc, page

__all__ = ["render_report"]


def render_report(
    a: Analysis, *, extra: Sequence[Section] = (), plots: bool = True, bottom: Sequence[str] = ()
) -> str:
    """The HTML report of ``a`` (see the module docstring).

    ``extra`` sections follow the strategic picture; ``bottom`` lines (say, a robustness
    run's) are added to the bottom line.
    """
    s = a.source
    top = bottom_line_section(a)
    if bottom:
        more = "".join(f"<p>{esc(line)}</p>" for line in bottom)
        head, _, tail = top.body.rpartition("</div>")
        top = Section(top.id, top.title, head + more + "</div>" + tail, top.figures)
    sections = [
        top,
        scenario_section(a),
        proposals_section(a),
        deal_section(a, plots=plots),
        gaps_section(a),
        strategy_section(a, plots=plots),
        *extra,
        timeline_section(a),
        assumptions_section(a),
        sources_section(a),
    ]
    when = f"as of {s.as_of.isoformat()}" if s.as_of else "undated"
    # the file's name only: a report is mailed, and the reader's disk is not the analyst's
    where = f" from {PurePath(s.origin).name}" if s.origin else ""
    subtitle = f"{when}; scenario '{s.id}'{where}"
    footer = (
        f'Written by detente {esc(__version__)}. Items marked <span class="tag reported">'
        'reported</span> carry their source, date and quote; items marked <span class="tag '
        "assumed\">assumed</span> are the analyst's, with a rationale. Method: "
        + esc(", ".join(f"{k}={v}" for k, v in a.parameters.items() if v not in (None, [], ())))
        + (f". Notes: {esc(' '.join(a.notes))}" if a.notes else "")
    )
    return page(s.title, subtitle, [x for x in sections if x is not None], footer, plots=plots)
