"""The talks over time: the analysis on every day the model changes, and what each move did.

:func:`timeline` takes a checked scenario with dated items (:mod:`detente.scenario.dates`)
and returns a :class:`Timeline`: the file as it stood at the start (before its first
dated change or event) and on every day on which an item of the model appears, changes
or ends, or a reported event happens; for each day, what changed (with its source and
quote), the events reported (context), the composite analysis of the file as it stood
that day (:func:`detente.analysis.composite.analyze` of
:meth:`~detente.scenario.checked.Scenario.on`), and its :class:`~detente.timeline.effects.Effect`
against the day before. :func:`diff` compares two days.

Sharing work between days: a day's deal model (issues, positions, proposals,
amendments) and its conflict section are compared with the previous day's; the deal,
gap and proposal analyses are reused when the deal model did not change, the GMCR
analysis when the conflict section did not, and only the bottom line is recomputed.
A day with only events reuses everything. Days whose red lines or reservations changed
are analysed again over their *frame* (:mod:`detente.timeline.frames`): the outcome
space, its utilities, each distinct red line's mask and the whole space's frontier are
computed once for every day with the same issues, amendments and priorities, and each
day combines the masks of its demands. Each day's analysis equals ``analyze`` of the
scenario as of that day (tests/timeline hold them to it, with and without frames).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

from detente.analysis.composite import Analysis, analyze
from detente.analysis.summary import summarize
from detente.errors import DetenteError, Problem, ScenarioError
from detente.results import frozen_mapping
from detente.scenario.checked import Scenario, ScenarioLike
from detente.timeline.changes import Change, changes_on, timeline_days
from detente.timeline.effects import Effect, compare
from detente.timeline.frames import Frames

__all__ = ["Day", "Timeline", "TimelineDiff", "diff", "timeline"]


@dataclass(frozen=True, eq=False)
class Day:
    """The scenario on one day: what happened, the analysis, and its effect.

    ``date`` None is the start (the file before its first dated change or event).
    ``changes`` are changes to the model, ``context`` the events reported that day;
    ``effect`` compares ``analysis`` with the previous day's; ``reused`` says which
    parts of the previous day's analysis were reused: ``deal`` (the deal and gap
    analyses and the proposal checks), ``gaps`` (the same but the proposals, checked
    and scored again), ``conflict`` (the GMCR analysis).
    """

    date: dt.date | None
    changes: tuple[Change, ...]
    context: tuple[Change, ...]
    scenario: Scenario
    analysis: Analysis
    effect: Effect
    reused: tuple[str, ...]

    @property
    def changed(self) -> bool:
        """Whether the day's moves changed any conclusion of the analysis."""
        return self.effect.changed


@dataclass(frozen=True, eq=False)
class Timeline:
    """Every day of a dated scenario, in date order (see the module docstring)."""

    scenario: str
    method: Literal["snapshots"]
    exact: bool
    parameters: Any
    notes: tuple[str, ...]
    title: str
    start: Day
    days: tuple[Day, ...]

    def on(self, day: dt.date) -> Day:
        """The day in force on ``day``: the last one on or before it (else the start)."""
        found = self.start
        for d in self.days:
            if d.date is not None and d.date <= day:
                found = d
        return found


@dataclass(frozen=True, eq=False)
class TimelineDiff:
    """What changed between two days and its effect on the analysis.

    ``changes`` lists every change and event after ``date_from`` up to ``date_to``.
    """

    scenario: str
    method: Literal["snapshots"]
    exact: bool
    parameters: Any
    notes: tuple[str, ...]
    date_from: dt.date
    date_to: dt.date
    changes: tuple[Change, ...]
    before: Analysis
    after: Analysis
    effect: Effect


def _key(s: Scenario, *without: str) -> str:
    return s.document.model_dump_json(exclude={"as_of", "events", *without})


class _Analyst:
    """Runs the composite analysis day after day, reusing what did not change.

    The deal model without its proposals (issues, positions, amendments) decides
    whether the deal and gap analyses are reused; when only proposals or responses
    changed, the proposals alone are scored and checked again over the same frontiers.
    The conflict section decides whether the GMCR analysis is reused.
    """

    def __init__(self, options: dict[str, Any], frames: Frames | None = None) -> None:
        self.options = options
        self.frames = frames
        self.prev: tuple[Scenario, Analysis] | None = None

    def _analyze(self, s: Scenario) -> Analysis:
        shared = None if self.frames is None else self.frames.day(s)
        return analyze(s, **self.options, shared=shared)

    def __call__(self, s: Scenario) -> tuple[Analysis, tuple[str, ...]]:
        prev = self.prev
        if prev is None:
            a = self._analyze(s)
            self.prev = (s, a)
            return a, ()
        ps, pa = prev
        same_core = _key(ps, "conflict", "proposals") == _key(s, "conflict", "proposals")
        same_proposals = ps.document.proposals == s.document.proposals
        same_conflict = ps.document.conflict == s.document.conflict
        reused: list[str] = []
        if same_core:
            deal_side = pa if same_proposals else self._proposals(s, pa)
            reused.append("deal" if same_proposals else "gaps")
        elif same_conflict and s.conflict is not None:
            deal_side = self._analyze(s.without_conflict())
        else:
            a = self._analyze(s)
            self.prev = (s, a)
            return a, ()
        if same_conflict:
            conflict = pa.conflict
            reused.append("conflict")
        elif s.conflict is not None:
            from detente.conflict.analysis import analyze_conflict

            conflict = analyze_conflict(s)
        else:
            conflict = None
        a = _assemble(s, deal_side, conflict)
        self.prev = (s, a)
        return a, tuple(reused)

    def _proposals(self, s: Scenario, pa: Analysis) -> Analysis:
        """``pa`` with the proposals of ``s`` checked and scored (nothing else changed)."""
        from detente.deal.analysis import DEFAULT_LIMIT
        from detente.deal.proposals import check_proposals
        from detente.deal.scoring import score_proposals
        from detente.space.outcomes import OutcomeSpace

        checks = check_proposals(s, unlock=())
        deal = pa.deal
        if deal is not None:
            space = OutcomeSpace(s, tuple(deal.parameters["unlock"]))
            limit = self.options.get("limit", DEFAULT_LIMIT)
            scores = score_proposals(space, [deal.frontier_all, deal.frontier], limit=limit)
            deal = replace(deal, space=space, proposals=scores)
        return replace(pa, checks=checks, deal=deal)


def _assemble(s: Scenario, deal_side: Analysis, conflict: Any) -> Analysis:
    """A composite analysis from its parts, as :func:`analyze` builds it."""
    parts = [x for x in (deal_side.deal, deal_side.gaps, conflict) if x is not None]
    notes: list[str] = []
    for x in parts:
        notes.extend(x.notes)
    return replace(
        deal_side,
        source=s,
        conflict=conflict,
        exact=all(x.exact for x in parts),
        notes=tuple(dict.fromkeys(notes)),
        summary=summarize(s, deal_side.checks, deal_side.deal, deal_side.gaps, conflict),
    )


def timeline(
    scenario: ScenarioLike,
    *,
    engine: str = "auto",
    limit: int | None = None,
    gap_limit: int = 50,
    time_limit: float = 60.0,
    days: Iterable[dt.date] = (),
    share: bool = True,
) -> Timeline:
    """The scenario on every day its model changes or an event is reported.

    ``days`` adds days to analyse (e.g. the ends of a ``diff``). ``share``: days with
    one outcome space share it (:mod:`detente.timeline.frames`; False analyses each
    day on its own, with the same results). Raises
    :class:`~detente.errors.ScenarioError` when the scenario has nothing dated.
    """
    s = Scenario.of(scenario)
    whole = s.history.document if s.history is not None else s.document
    locs = s.history.locations if s.history is not None else s.locations
    when = timeline_days(whole, days)
    if not when:
        msg = "the scenario has nothing dated: no item has 'date' or 'until', and no events"
        hint = "give red lines, proposals, amendments or events a 'date' (YYYY-MM-DD)"
        raise ScenarioError([Problem(msg, (), s.origin, hint=hint)])
    options: dict[str, Any] = {"engine": engine, "gap_limit": gap_limit, "time_limit": time_limit}
    if limit is not None:
        options["limit"] = limit
    first = when[0] - dt.timedelta(days=1)
    s0 = s.on(first)
    states = [s.on(d) for d in when]
    run = _Analyst(options, Frames([s0, *states], options) if share else None)
    a0, _ = run(s0)
    start = Day(None, (), (), s0, a0, compare(None, a0), ())
    out: list[Day] = []
    prev = a0
    for d, sd in zip(when, states, strict=True):
        everything = changes_on(whole, d, locs)
        a, reused = run(sd)
        out.append(
            Day(
                d,
                tuple(c for c in everything if c.action != "context"),
                tuple(c for c in everything if c.action == "context"),
                sd,
                a,
                compare(prev, a),
                reused,
            )
        )
        prev = a
    return Timeline(
        scenario=s.id,
        method="snapshots",
        exact=all(x.analysis.exact for x in (start, *out)),
        parameters=frozen_mapping(options),
        notes=tuple(dict.fromkeys(n for x in (start, *out) for n in x.analysis.notes)),
        title=s.title,
        start=start,
        days=tuple(out),
    )


def diff(
    scenario: ScenarioLike,
    date_from: dt.date,
    date_to: dt.date,
    **options: Any,
) -> TimelineDiff:
    """What changed after ``date_from`` up to ``date_to``, and its effect on the analysis."""
    s = Scenario.of(scenario)
    if date_to < date_from:
        raise DetenteError(
            f"--to {date_to.isoformat()} is before --from {date_from.isoformat()}; "
            "--from is the earlier day"
        )
    whole = s.history.document if s.history is not None else s.document
    locs = s.history.locations if s.history is not None else s.locations
    given = {k: v for k, v in options.items() if v is not None}
    s_from, s_to = s.on(date_from), s.on(date_to)
    run = _Analyst(given, Frames([s_from, s_to], given))
    before, _ = run(s_from)
    after, _ = run(s_to)
    changes = tuple(
        c
        for d in timeline_days(whole)
        if date_from < d <= date_to
        for c in changes_on(whole, d, locs)
    )
    return TimelineDiff(
        scenario=s.id,
        method="snapshots",
        exact=before.exact and after.exact,
        parameters=frozen_mapping({k: v for k, v in options.items()}),
        notes=tuple(dict.fromkeys((*before.notes, *after.notes))),
        date_from=date_from,
        date_to=date_to,
        changes=changes,
        before=before,
        after=after,
        effect=compare(before, after),
    )
