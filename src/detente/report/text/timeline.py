"""Text of the scenario over time: the ``--as-of`` header, ``detente timeline`` and ``diff``.

:func:`as_of_text` says which day a command shows and what of the file it left out
(items dated later, items that had ended); :func:`timeline_text` is the dated
narrative (each day's moves with their sources, and what they did to the analysis, or
that they changed nothing); :func:`diff_text` compares two days. Rendering only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from detente.scenario.checked import Scenario

if TYPE_CHECKING:
    from detente.analysis.composite import Analysis
    from detente.timeline.analysis import Day, Timeline, TimelineDiff
    from detente.timeline.effects import Effect, Sanction

__all__ = ["as_of_text", "day_text", "diff_text", "effect_lines", "state_line", "timeline_text"]


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
    names = {p.id: p.name for p in scenario.parties}
    lines += [f"  - {x.describe(names)}" for x in left]
    return "\n".join(lines) + "\n"


# -- detente timeline and detente diff --------------------------------------------------


def _demand(s: Scenario, key: str) -> str:
    party, _, rid = key.partition("/")
    who = s.party_name(party)
    if rid == "reservation":
        return f"{who}'s reservation"
    pos = s.document.positions.get(party)
    rl = next((r for r in pos.red_lines if r.id == rid), None) if pos is not None else None
    return f"{who}: {rl.label or rl.id}" if rl is not None else f"{who}: {rid}"


def _gap(s: Scenario, g: Sequence[str]) -> str:
    return "  vs  ".join(_demand(s, k) for k in g)


def _source(s: Scenario, sid: str | None) -> str | None:
    if sid is None:
        return None
    try:
        src = s.source(sid)
    except StopIteration:
        return sid
    return src.publisher or src.title


def _listing(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _by_state(states: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for concept, xs in states.items():
        for x in xs:
            out.setdefault(x, []).append(_CONCEPT.get(concept, concept))
    return out


_CONCEPT = {"nash": "Nash", "gmr": "GMR", "smr": "SMR", "seq": "SEQ"}


def _moves(s: Scenario, dm: str, toggled: Sequence[str]) -> str:
    acts = [("taking " if t[0] == "+" else "dropping ") + t[1:] for t in toggled]
    return f"{s.party_name(dm)} {_listing(acts)}"


def _why(s: Scenario, reasons: Sequence[Sanction]) -> str:
    """`` because ...``: the first sanction that makes a state stable (and how many more)."""
    if not reasons:
        return ""
    r = reasons[0]
    by = ", then ".join(_moves(s, mover, opts) for mover, opts in r.by)
    more = f" (and {len(reasons) - 1} more sanctioned move{'s' if len(reasons) > 2 else ''})"
    return (
        f" ({r.concept.upper()}: {_moves(s, r.dm, r.move)} is sanctioned by {by}"
        + (more if len(reasons) > 1 else "")
        + ")"
    )


def effect_lines(e: Effect, before: Analysis | None, after: Analysis) -> list[str]:
    """The effect of a day's moves, one sentence a line (empty: nothing changed)."""
    s = after.source
    out: list[str] = []
    (eb, nb), (ea, na) = e.zopa_before, e.zopa_after
    if e.zopa_changed and ea is not None:
        if ea and not eb:
            out.append("the ZOPA closes: no outcome meets every party's red lines and reservation")
        elif not ea and eb:
            out.append(f"the ZOPA opens: {na:,} outcomes acceptable to every party")
        elif not ea:
            out.append(f"the ZOPA changes from {nb:,} to {na:,} outcomes")
    for g in e.gaps_new:
        out.append(f"new minimal conflict: {_gap(s, g)}")
    for g in e.gaps_resolved:
        out.append(f"resolved minimal conflict: {_gap(before.source if before else s, g)}")
    if e.bridge_before != e.bridge_after and e.bridge_after is not None:
        out.append("cheapest bridge: relax " + _listing([_demand(s, k) for k in e.bridge_after]))
    for pid, (rb, ra) in e.proposals.items():
        if ra:
            who = _listing([s.party_name(p) for p in ra])
            out.append(f"proposal '{pid}' cannot be accepted by {who}")
        elif rb:
            out.append(f"proposal '{pid}' is no longer ruled out by any party")
    sq = after.summary.status_quo
    for state, concepts in _by_state(e.equilibria_gained).items():
        name = f"the status quo {state}" if state == sq else f"state {state}"
        why = _why(s, e.reasons.get(state, ()))
        out.append(f"{name} becomes stable under {_listing(concepts)}{why}")
    old_sq = before.summary.status_quo if before is not None else None
    for state, concepts in _by_state(e.equilibria_lost).items():
        name = f"the status quo {state}" if state == old_sq else f"state {state}"
        out.append(f"{name} is no longer an equilibrium under {_listing(concepts)}")
    return out


def state_line(a: Analysis) -> str:
    """One day's conclusions in a sentence: ZOPA, gaps, equilibria."""
    s = a.summary
    parts = []
    if s.zopa_empty is not None:
        if s.zopa_empty:
            n = len(s.gaps)
            parts.append(f"no deal ({n} minimal conflict{'s' if n != 1 else ''})")
        else:
            parts.append(f"a deal is possible ({s.zopa_size:,} outcomes in the ZOPA)")
    if s.has_conflict:
        eq = "; ".join(
            f"{_CONCEPT.get(c, c)} {', '.join(v) if v else 'none'}" for c, v in s.equilibria.items()
        )
        parts.append(f"equilibria: {eq}")
    return "; ".join(parts) if parts else "nothing to analyse"


def _day_head(d: Day) -> str:
    assert d.date is not None
    s = d.scenario
    sources = list(dict.fromkeys(x for c in d.changes if (x := _source(s, c.source))))
    basis = "reported" if d.changes and all(c.reported for c in d.changes) else None
    if d.changes and not basis:
        basis = "partly assumed" if any(c.reported for c in d.changes) else "assumed"
    who = f", {_listing(sources)}" if sources else ""
    return f"{day_text(d.date)}{who}" + (f" ({basis})" if basis else "")


def timeline_text(t: Timeline, *, context: bool = True) -> str:
    """The dated narrative: for each day, what changed and what it did."""
    first = t.days[0].date if t.days else None
    moved = [d for d in t.days if d.changes]
    lines = [
        f"Timeline: {t.title}",
        f"{len(t.days)} days with dated moves or events; {len(moved)} change the model, "
        f"{sum(d.changed for d in t.days)} change the analysis.",
        "",
        f"At the start{f' (before {day_text(first)})' if first else ''}: "
        f"{state_line(t.start.analysis)}.",
    ]
    prev = t.start.analysis
    for d in t.days:
        if not d.changes and not context:
            prev = d.analysis
            continue
        lines.append("")
        if d.changes:
            what = "; ".join(c.text for c in d.changes)
            lines.append(f"{_day_head(d)}: {what}.")
            effects = effect_lines(d.effect, prev, d.analysis)
            if effects:
                lines.append("  It changes the analysis: " + "; ".join(effects) + ".")
                lines.append(f"  Now: {state_line(d.analysis)}.")
            else:
                lines.append("  It changes nothing in the analysis.")
        else:
            lines.append(f"{day_text(d.date or dt.date.min)}: reported, not in the model:")
        if context:
            for c in d.context:
                src = _source(d.scenario, c.source)
                lines.append(f"  - {c.text}" + (f" ({c.basis}, {src})" if src else f" ({c.basis})"))
        prev = d.analysis
    return "\n".join(lines) + "\n"


def diff_text(d: TimelineDiff) -> str:
    """What changed between two days, and what it did."""
    a, b = day_text(d.date_from), day_text(d.date_to)
    moves = [c for c in d.changes if c.action != "context"]
    events = [c for c in d.changes if c.action == "context"]
    lines = [f"From {a} to {b}:", f"  before: {state_line(d.before)}.", ""]
    if moves:
        lines.append(f"{len(moves)} change{'s' if len(moves) != 1 else ''} to the model:")
        lines += [f"  - {day_text(c.date)}: {c.text} ({c.basis})" for c in moves]
    else:
        lines.append("Nothing in the model changes.")
    if events:
        lines.append(f"{len(events)} reported event{'s' if len(events) != 1 else ''} (context):")
        lines += [f"  - {day_text(c.date)}: {c.text}" for c in events]
    lines.append("")
    effects = effect_lines(d.effect, d.before, d.after)
    if effects:
        lines.append("Effect: " + "; ".join(effects) + ".")
    else:
        lines.append("Effect: none on the analysis.")
    lines.append(f"  after: {state_line(d.after)}.")
    return "\n".join(lines) + "\n"
