"""Report sections about the scenario itself: what was reported, what was assumed.

The bottom line, the parties and issues, every position item with its basis, source,
date and quote (or the analyst's rationale), each proposal against each party's red
lines, the dated timeline, every assumption in one list, and the sources. Rendering
only, from a composite :class:`~detente.analysis.composite.Analysis`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from detente.analysis.composite import Analysis
from detente.report.page import Section, esc
from detente.report.text.scenario import (
    party_sentence,
    response_sentence,
    sorted_events,
    value_text,
)
from detente.report.text.summary import summary_lines
from detente.scenario.checked import Scenario
from detente.scenario.model import BooleanIssue, ChoiceIssue, Priority, Provenance

__all__ = [
    "assumptions_section",
    "bottom_line_section",
    "proposals_section",
    "provenance_cell",
    "scenario_section",
    "sources_section",
    "table",
    "timeline_section",
]


def table(head: Sequence[str], rows: Iterable[Sequence[str]], *, nums: Sequence[int] = ()) -> str:
    """An HTML table; cells are HTML already (escape user text before); ``nums`` right-aligned."""
    th = "".join(
        f'<th class="num">{h}</th>' if i in nums else f"<th>{h}</th>" for i, h in enumerate(head)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{c}</td>' if i in nums else f"<td>{c}</td>" for i, c in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _source(s: Scenario, sid: str | None) -> str:
    if sid is None:
        return ""
    src = next((x for x in s.sources if x.id == sid), None)
    return esc(src.publisher or src.title) if src is not None else esc(sid)


def provenance_cell(s: Scenario, p: Provenance) -> str:
    """Basis tag, source, date, and the quote (reported) or rationale (assumed)."""
    tag = f'<span class="tag {esc(p.basis)}">{esc(p.basis)}</span>'
    bits = [x for x in (_source(s, p.source), p.date.isoformat() if p.date else "") if x]
    note = ""
    if p.quote:
        note = f'<div class="quote">\u201c{esc(p.quote)}\u201d</div>'
    elif p.rationale:
        note = f'<div class="muted">{esc(p.rationale)}</div>'
    return tag + esc(", ".join(bits)) + note


def bottom_line_section(a: Analysis) -> Section:
    """The bottom line: the summary of ``detente analyze`` (:func:`summary_lines`) as HTML."""
    lines = summary_lines(a)
    parts = []
    in_list = False
    for line in lines[1:]:
        if line.startswith("  ") and line.strip()[:1].isdigit():
            if not in_list:
                parts.append("<ol>")
                in_list = True
            text = line.strip()
            text = text.split(". ", 1)[1] if text[:1].isdigit() else text
            parts.append(f"<li>{esc(text)}</li>")
            continue
        if in_list:
            parts.append("</ol>")
            in_list = False
        parts.append(f"<p>{esc(line)}</p>")
    if in_list:
        parts.append("</ol>")
    return Section("bottom-line", "Bottom line", f'<div class="bottom-line">{"".join(parts)}</div>')


def _domain(s: Scenario, issue_id: str) -> str:
    issue = s.issue(issue_id)
    if isinstance(issue, ChoiceIssue):
        later = s.amendment_options.get(issue.id, set())
        return " &lt; ".join(
            esc(o.id)
            + (f' <span class="muted">({esc(o.label)})</span>' if o.label else "")
            + (' <span class="tag assumed">amendment</span>' if o.id in later else "")
            for o in issue.options
        )
    if isinstance(issue, BooleanIssue):
        return "true / false"
    lo, hi = issue.range
    return f"{lo}..{hi}" + (f" {esc(issue.unit)}" if issue.unit else "")


def _values(pr: Priority) -> str:
    v = pr.values
    if isinstance(v, str):
        return esc(v)
    if isinstance(v, dict):
        return esc(", ".join(f"{k}: {x:g}" for k, x in v.items()))
    return esc("curve " + ", ".join(f"({x}, {y:g})" for x, y in v))


def scenario_section(a: Analysis) -> Section:
    """The scenario: parties, issues, derived quantities and each party's position items."""
    s = a.source
    parts = []
    rows: list[Sequence[str]] = [
        (esc(p.name), esc(p.role), esc(p.description or "")) for p in s.parties
    ]
    parts.append("<h3>Parties</h3>" + table(("party", "role", "description"), rows))
    rows = [
        (esc(i.id), esc(i.kind), _domain(s, i.id), esc(i.label or i.description or ""))
        for i in s.issues
    ]
    if rows:
        parts.append(
            "<h3>Issues</h3>" + table(("issue", "kind", "values (ordered)", "label"), rows)
        )
    if s.derived:
        rows = []
        for d in s.derived:
            b = s.derived_bounds(d.id)
            rows.append(
                (
                    esc(d.id),
                    f"<code>{esc(d.expr)}</code>",
                    f"{b[0]}..{b[1]}" if b else "true / false",
                    esc(d.label or ""),
                )
            )
        parts.append(
            "<h3>Derived quantities</h3>" + table(("id", "definition", "range", "label"), rows)
        )
    for p in s.parties:
        pos = s.positions.get(p.id)
        if pos is None:
            continue
        parts.append(f"<h3>Position of {esc(p.name)}</h3>")
        if pos.red_lines:
            rows = [
                (
                    esc(rl.label or rl.id)
                    + f'<div class="muted"><code>{esc(rl.rule)}</code></div>',
                    esc(rl.firmness),
                    provenance_cell(s, rl),
                )
                for rl in pos.red_lines
            ]
            parts.append(
                table(("red line", "firmness", "basis, source, date, quote or rationale"), rows)
            )
        if pos.priorities:
            rows = [
                (esc(iid), f"{pr.weight:g}", _values(pr), provenance_cell(s, pr))
                for iid, pr in pos.priorities.items()
            ]
            parts.append(table(("priority (issue)", "weight", "values", "basis"), rows, nums=(1,)))
        r = pos.reservation
        parts.append(
            table(
                ("reservation (utility)", "firmness", "basis"),
                [(f"{r.value:g}", esc(r.firmness), provenance_cell(s, r))],
            )
        )
        if pos.batna:
            parts.append(f'<p class="muted">BATNA: {esc(pos.batna)}</p>')
    return Section("scenario", "The scenario", "".join(parts))


def proposals_section(a: Analysis) -> Section:
    """Each proposal against each party's red lines and reservation, with reported responses."""
    s = a.source
    if not a.checks:
        return Section("proposals", "Proposals against red lines", "<p>No proposals.</p>")
    parts = []
    for c in a.checks:
        terms = ", ".join(f"{k}={value_text(v)}" for k, v in c.terms)
        opened = f"; open: {', '.join(c.open_issues)}" if c.open_issues else ""
        parts.append(
            f'<h3>{esc(c.proposal)}</h3><p class="muted">by {esc(", ".join(s.party_name(b) for b in c.by) or "(not stated)")}'
            f"{esc(' on ' + c.date.isoformat()) if c.date else ''}: {esc(terms)}{esc(opened)}</p>"
        )
        rows = []
        for pc in c.parties:
            broken = ", ".join(pc.broken_always) or "none"
            responses = "".join(
                f"<div>{esc(response_sentence(s, pc, r))}</div>" for r in pc.responses
            )
            rows.append(
                (
                    esc(s.party_name(pc.party)),
                    esc(pc.verdict.replace("_", " ")),
                    esc(broken),
                    esc(party_sentence(s, c, pc)) + responses,
                )
            )
        parts.append(
            table(("party", "verdict", "red lines broken", "why; reported responses"), rows)
        )
    return Section("proposals", "Proposals against red lines", "".join(parts))


def timeline_section(a: Analysis) -> Section:
    """The dated events of the scenario in date order, with actors, figures and basis."""
    s = a.source
    if not s.events:
        return Section("timeline", "Timeline", "<p>No dated events.</p>")
    rows: list[Sequence[str]] = []
    for _, ev in sorted_events(s):
        figs = "; ".join(
            f"{f.label}: {f.value:g}{' ' + f.unit if f.unit else ''}" for f in ev.figures
        )
        who = ", ".join(s.party_name(x) for x in ev.actors)
        text = esc(ev.text) + (f'<div class="muted">{esc(figs)}</div>' if figs else "")
        if ev.speaker:
            text = f"<strong>{esc(ev.speaker)}</strong>: " + text
        rows.append((ev.date.isoformat(), esc(ev.kind), esc(who), text, provenance_cell(s, ev)))
    return Section(
        "timeline",
        "Timeline of dated events",
        table(("date", "kind", "actors", "what", "basis"), rows),
    )


def assumptions_section(a: Analysis) -> Section:
    """Every item marked assumed (and every firmness number), with its rationale."""
    s = a.source
    rows: list[tuple[str, str, str]] = []
    for pid, pos in s.positions.items():
        name = esc(s.party_name(pid))
        for rl in pos.red_lines:
            if rl.basis != "reported":
                rows.append((name, f"red line {esc(rl.label or rl.id)}", esc(rl.rationale or "")))
            if rl.firmness != "absolute":
                rows.append(
                    (
                        name,
                        f"firmness {rl.firmness} of red line {esc(rl.id)}",
                        esc(rl.rationale or "no rationale given"),
                    )
                )
        for iid, pr in pos.priorities.items():
            if pr.basis != "reported":
                rows.append(
                    (
                        name,
                        f"priority on {esc(iid)} (weight {pr.weight:g}; values {_values(pr)})",
                        esc(pr.rationale or ""),
                    )
                )
        r = pos.reservation
        if r.basis != "reported":
            rows.append(
                (
                    name,
                    f"reservation {r.value:g} (firmness {esc(r.firmness)})",
                    esc(r.rationale or ""),
                )
            )
    cf = s.conflict
    if cf is not None:
        for dm, pref in cf.preferences.items():
            if pref.basis != "reported":
                rows.append(
                    (
                        esc(s.party_name(dm)),
                        "preferences over the conflict's states",
                        esc(pref.rationale or ""),
                    )
                )
        for rule in cf.infeasible:
            if rule.basis != "reported":
                rows.append(
                    (
                        "conflict",
                        f"infeasible: {esc(rule.rule or rule.pattern)}",
                        esc(rule.rationale or ""),
                    )
                )
    sm = a.summary
    intro = (
        f"<p>{sm.assumed_numbers} of the {sm.numbers} numbers behind the positions are the "
        "analyst's assumptions; conclusions that rest on them move when they do.</p>"
    )
    return Section(
        "assumptions", "Every assumption", intro + table(("whose", "assumption", "rationale"), rows)
    )


def sources_section(a: Analysis) -> Section:
    """The scenario's sources: id, title, publisher, date and note."""
    s = a.source
    rows: list[Sequence[str]] = [
        (
            esc(x.id),
            esc(x.title),
            esc(x.publisher or ""),
            x.date.isoformat() if x.date else "",
            esc(x.note or ""),
        )
        for x in s.sources
    ]
    return Section(
        "sources",
        "Sources",
        table(("id", "title", "publisher", "date", "note"), rows)
        if rows
        else "<p>No sources listed.</p>",
    )
