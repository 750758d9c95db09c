"""The talks over time: the scenario on every dated day, what each move changed.

:func:`~detente.timeline.analysis.timeline` analyses a dated scenario on every day its
model changes (:class:`~detente.timeline.analysis.Timeline`), and
:func:`~detente.timeline.analysis.diff` compares two days. The scenario as of one day is
:meth:`detente.scenario.checked.Scenario.on`.
"""

from detente.timeline.analysis import Day, Timeline, TimelineDiff, diff, timeline
from detente.timeline.changes import Change
from detente.timeline.effects import Effect

__all__ = ["Change", "Day", "Effect", "Timeline", "TimelineDiff", "diff", "timeline"]
