"""Terminal rendering (rich) of a scenario summary and of proposal checks.

Functions here turn a loaded :class:`~detente.scenario.model.Scenario` and the
results of :mod:`detente.deal.proposals` into rich renderables and plain sentences;
they compute nothing and print nothing (the CLI prints). The sentences are shared with
the JSON rendering so both say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from detente.deal.proposals import (
    PartyCheck,
    ProposalCheck,
    RedLineCheck,
    ReportedResponse,
    response_consistency,
)
from detente.scenario.checked import Scenario
from detente.scenario.model import BooleanIssue, ChoiceIssue, Event, Priority, Provenance

__all__ = [
    "check_renderables",
    "party_sentence",
    "value_text",
    "provenance_text",
    "response_sentence",
    "show_renderables",
    "sorted_events",
]

ROLES = ("party", "mediator", "observer")


def _name(s: Scenario, party_id: str) -> str:
    return s.party_name(party_id)


def _by(s: Scenario, by: Sequence[str]) -> str:
    return ", ".join(_name(s, b) for b in by) if by else "(not stated)"


def _and(items: Sequence[str], conj: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def provenance_text(p: Provenance) -> str:
    """'reported: kan, 2024-05-09' or 'assumed' (the rationale is shown separately)."""
    bits = [x for x in (p.source, p.date.isoformat() if p.date else None) if x]
    if p.basis == "reported":
        return "reported: " + ", ".join(bits)
    return "assumed" + (f" (cites {p.source})" if p.source else "")


def value_text(v: object) -> str:
    """A term's value as the scenario file spells it (true, not True)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _note(p: Provenance) -> Text:
    """The quote of a reported claim, or the analyst's rationale for an assumed one."""
    if p.quote:
        return Text(f"\u201c{p.quote}\u201d")
    return Text(p.rationale or "", style="dim italic")


def _basis_cell(p: Provenance) -> Text:
    # reported claims in plain green, assumptions in yellow italics: visibly distinct
    style = "green" if p.basis == "reported" else "yellow italic"
    return Text(provenance_text(p), style=style)


def sorted_events(s: Scenario) -> list[tuple[int, Event]]:
    """Events with their file index, by date (file order among equal dates)."""
    return sorted(enumerate(s.events), key=lambda ie: (ie[1].date, ie[0]))


def _domain(s: Scenario, issue_id: str) -> str:
    issue = s.issue(issue_id)
    if isinstance(issue, ChoiceIssue):
        later = s.amendment_options.get(issue.id, set())
        parts = []
        for o in issue.options:
            text = o.id + (f" ({o.label})" if o.label else "")
            parts.append(text + (" [amendment]" if o.id in later else ""))
        return " < ".join(parts)
    if isinstance(issue, BooleanIssue):
        return "true / false"
    lo, hi = issue.range
    return f"{lo}..{hi}" + (f" {issue.unit}" if issue.unit else "")


def _values_text(pr: Priority) -> str:
    v = pr.values
    if isinstance(v, str):
        return v
    if isinstance(v, dict):
        return ", ".join(f"{k}: {x:g}" for k, x in v.items())
    return "curve " + ", ".join(f"({x}, {y:g})" for x, y in v)


def _row(table: Table, *cells: str | Text) -> None:
    # plain str cells would be parsed as rich markup: user text such as "[1, 2]" or
    # "[amendment]" must be shown literally
    table.add_row(*(Text(c) if isinstance(c, str) else c for c in cells))


def _table(title: str, *columns: str) -> Table:
    t = Table(title=title, title_justify="left", title_style="bold", expand=False)
    for c in columns:
        t.add_column(c, overflow="fold")
    return t


def _positions(s: Scenario) -> list[RenderableType]:
    out: list[RenderableType] = []
    for party in s.parties:
        pos = s.positions.get(party.id)
        if pos is None:
            continue
        out.append(Rule(f"Position of {escape(party.name)} ({party.role})", align="left"))
        if pos.red_lines:
            t = _table("Red lines", "id", "rule", "firmness", "basis", "quote or rationale")
            for rl in pos.red_lines:
                _row(t, rl.id, rl.rule, str(rl.firmness), _basis_cell(rl), _note(rl))
            out.append(t)
        if pos.priorities:
            total = sum(p.weight for p in pos.priorities.values()) or 1.0
            t = _table("Priorities", "issue", "weight", "share", "values", "basis")
            for iid, pr in pos.priorities.items():
                _row(
                    t,
                    iid,
                    f"{pr.weight:g}",
                    f"{pr.weight / total:.0%}",
                    _values_text(pr),
                    _basis_cell(pr),
                )
            out.append(t)
        r = pos.reservation
        line = Text.assemble(
            ("Reservation: ", "bold"), f"{r.value:g} (firmness {r.firmness}) ", _basis_cell(r)
        )
        out.append(line)
        if pos.batna:
            out.append(Text.assemble(("BATNA: ", "bold"), pos.batna))
    return out


def _proposals(s: Scenario) -> list[RenderableType]:
    out: list[RenderableType] = []
    issue_ids = [i.id for i in s.issues]
    for pr in s.proposals:
        head = f"Proposal {pr.id}" + (f": {pr.title}" if pr.title else "")
        meta = f"by {_by(s, pr.by)}" + (f", {pr.date.isoformat()}" if pr.date else "")
        meta += f", source {pr.source}" if pr.source else ""
        out.append(Text(f"{head} ({meta})", style="bold"))
        t = _table("", "issue", "term")
        for iid in issue_ids:
            _row(
                t, iid, value_text(pr.terms[iid]) if iid in pr.terms else Text("open", style="dim")
            )
        out.append(t)
        if pr.responses:
            rt = _table("Responses", "party", "response", "basis", "quote / conditions")
            for r in pr.responses:
                _row(
                    rt, _name(s, r.party), r.response, _basis_cell(r), r.quote or r.conditions or ""
                )
            out.append(rt)
    if s.amendments:
        t = _table("Amendments (bridging terms)", "id", "by", "adds", "basis", "description")
        for a in s.amendments:
            adds = "; ".join(f"{k}: {', '.join(v)}" for k, v in a.adds.items())
            _row(
                t,
                a.id,
                ", ".join(_name(s, b) for b in a.by),
                adds,
                _basis_cell(a),
                a.description or "",
            )
        out.append(t)
    return out


def show_renderables(s: Scenario) -> list[RenderableType]:
    """Everything in ``s``, readable: parties, issues, positions, proposals, timeline."""
    out: list[RenderableType] = []
    head = Text(s.title, style="bold")
    head.append(f"  [{s.id}]", style="dim")
    if s.as_of:
        head.append(f"  as of {s.as_of.isoformat()}")
    out.append(head)
    if s.description:
        out.append(Text(s.description))
    t = _table("Parties", "role", "id", "name", "description")
    for role in ROLES:
        for p in (p for p in s.parties if p.role == role):
            _row(t, role, p.id, p.name, p.description or "")
    out.append(t)
    if s.sources:
        t = _table("Sources", "id", "title", "publisher", "date", "url")
        for src in s.sources:
            _row(
                t,
                src.id,
                src.title,
                src.publisher or "",
                src.date.isoformat() if src.date else "",
                src.url or "",
            )
        out.append(t)
    if s.issues:
        t = _table("Issues", "id", "kind", "values (ordered)", "label")
        for issue in s.issues:
            _row(t, issue.id, issue.kind, _domain(s, issue.id), issue.label or "")
        out.append(t)
    if s.derived:
        t = _table("Derived quantities", "id", "definition", "range", "unit")
        for d in s.derived:
            b = s.derived_bounds(d.id)
            _row(t, d.id, d.expr, f"{b[0]}..{b[1]}" if b else "true / false", d.unit or "")
        out.append(t)
    out.extend(_positions(s))
    out.extend(_proposals(s))
    if s.events:
        t = _table("Timeline", "date", "kind", "actors", "what", "basis")
        for _, ev in sorted_events(s):
            text = ev.text + (f" ({ev.speaker})" if ev.speaker else "")
            if ev.figures:
                text += "; " + "; ".join(
                    f"{f.label}: {f.value:g}{' ' + f.unit if f.unit else ''}" for f in ev.figures
                )
            _row(
                t,
                ev.date.isoformat(),
                ev.kind,
                ", ".join(_name(s, a) for a in ev.actors),
                text,
                _basis_cell(ev),
            )
        out.append(t)
    if s.conflict is not None:
        t = _table("Conflict model (GMCR)", "decision maker", "options")
        for dm in s.conflict.decision_makers:
            _row(t, _name(s, dm.party), ", ".join(o.id for o in dm.options))
        out.append(t)
    return out


def _rl_ref(rl: RedLineCheck) -> str:
    firm = "absolute" if rl.firmness == "absolute" else f"firmness {rl.firmness}"
    return f"'{rl.red_line}' ({firm})"


def _utility_text(pc: PartyCheck) -> str:
    if pc.utility_min is None or pc.utility_max is None:
        return ""
    if abs(pc.utility_max - pc.utility_min) < 1e-12:
        return f"{pc.utility_min:.2f}"
    return f"{pc.utility_min:.2f}-{pc.utility_max:.2f}"


def party_sentence(s: Scenario, check: ProposalCheck, pc: PartyCheck) -> str:
    """One plain sentence: is the proposal acceptable to this party, and why (not)."""
    name = _name(s, pc.party)
    always = [r for r in pc.red_lines if r.broken == "always"]
    some = [r for r in pc.red_lines if r.broken == "sometimes"]
    util = _utility_text(pc)
    res = f"{pc.reservation:.2f}" if pc.reservation is not None else ""
    open_note = f" of the open terms ({', '.join(check.open_issues)})" if check.open_issues else ""
    if pc.verdict == "acceptable":
        n_rl = len(pc.red_lines)
        kept = (
            "keeps its red line"
            if n_rl == 1
            else f"keeps all {n_rl} of its red lines"
            if n_rl
            else "breaks no red line (it states none)"
        )
        tail = f" and gives utility {util} against a reservation of {res}" if pc.has_utility else ""
        every = " in every completion" + open_note if check.open_issues else ""
        return f"Acceptable to {name}: it {kept}{tail}{every}."
    reasons = []
    if always:
        reasons.append(
            f"breaks red line{'s' if len(always) > 1 else ''} {_and([_rl_ref(r) for r in always])}"
        )
    if some:
        reasons.append(
            f"possibly breaks {_and([_rl_ref(r) for r in some], 'and')} (depending on the open terms)"
        )
    if pc.has_utility and pc.below_reservation != "never":
        how = "" if pc.below_reservation == "always" else " in some completions"
        reasons.append(f"gives utility {util}, below its reservation of {res}{how}")
    why = _and(reasons) if reasons else "no single reason"
    if pc.verdict == "unacceptable":
        return f"Unacceptable to {name}: it {why}."
    return (
        f"Acceptable to {name} in {pc.acceptable_in:,} of {pc.completions:,} completions"
        f"{open_note}: otherwise it {why}."
    )


def response_sentence(s: Scenario, pc: PartyCheck, r: ReportedResponse) -> str:
    """The reported response and whether the encoding explains it."""
    name = _name(s, pc.party)
    where = ", ".join(x for x in (r.date.isoformat() if r.date else None, r.source) if x)
    said = f"{name} {r.response if r.response != 'conditional' else 'answered conditionally'}"
    said += f" ({where})" if where else ""
    verdict = response_consistency(pc, r)
    always = [f"'{x}'" for x in pc.broken_always]
    some = [f"'{x}'" for x in pc.broken_sometimes]
    below = pc.has_utility and pc.below_reservation != "never"
    if verdict == "undetermined":
        return (
            f"{said}: a conditional answer; as encoded, the proposal is acceptable to it in "
            f"{pc.acceptable_in:,} of {pc.completions:,} completions."
        )
    if r.response == "accepted":
        if verdict == "inconsistent":
            why = (
                _and(
                    ([f"red lines {_and(always)} broken"] if always else [])
                    + (["utility below its reservation"] if below else [])
                )
                or "no completion acceptable"
            )
            return (
                f"{said}: inconsistent with the encoding ({why}); a red line may be stated too "
                "strictly or the reservation set too high."
            )
        if pc.verdict == "acceptable":
            return (
                f"{said}: consistent; the proposal keeps its red lines and reservation as encoded."
            )
        return (
            f"{said}: consistent; {pc.acceptable_in:,} of {pc.completions:,} completions of the "
            "open terms are acceptable to it."
        )
    if verdict == "inconsistent":
        return (
            f"{said}: inconsistent with the encoding; the proposal keeps every red line and the "
            "reservation as encoded, so a red line or priority may be missing."
        )
    parts = []
    if always:
        parts.append(f"red line{'s' if len(always) > 1 else ''} {_and(always)} broken")
    if some:
        parts.append(f"{_and(some, 'or')} possibly broken")
    if below:
        parts.append("utility below its reservation")
    return f"{said}: consistent with {_and(parts) or 'the encoding'}."


_VERDICT_STYLE = {
    "acceptable": ("acceptable", "green"),
    "possibly_acceptable": ("possibly", "yellow"),
    "unacceptable": ("unacceptable", "red"),
}


def check_renderables(s: Scenario, checks: Sequence[ProposalCheck]) -> list[RenderableType]:
    """A table per proposal (party verdicts, broken red lines, utility, response) + sentences."""
    out: list[RenderableType] = []
    if not checks:
        out.append(Text("The scenario has no proposals to check."))
    for c in checks:
        head = f"Proposal {c.proposal}" + (f" by {_by(s, c.by)}" if c.by else "")
        head += f", {c.date.isoformat()}" if c.date else ""
        head += f", source {c.source}" if c.source else ""
        terms = ", ".join(f"{k}={value_text(v)}" for k, v in c.terms) or "(no terms)"
        sub = f"terms: {terms}"
        if c.open_issues:
            sub += f"; open: {', '.join(c.open_issues)} ({c.completions:,} completions)"
        t = _table(
            "",
            "party",
            "verdict",
            "utility (res.)",
            "red lines broken",
            "reported",
        )
        t.columns[2].max_width = 11  # "0.20 (0.50)": leave the width to the red lines
        t.columns[4].max_width = 12  # "(consistent)"
        for pc in c.parties:
            label, style = _VERDICT_STYLE[pc.verdict]
            broken = Text()
            if pc.broken_always:
                broken.append("\n".join(pc.broken_always), style="red")
            if pc.broken_sometimes:
                lines_some = "\n".join(f"{x} (possibly)" for x in pc.broken_sometimes)
                broken.append(("\n" if pc.broken_always else "") + lines_some, style="yellow")
            reported = "; ".join(
                f"{r.response} ({response_consistency(pc, r)})" for r in pc.responses
            )
            _row(
                t,
                _name(s, pc.party),
                Text(label, style=style),
                (_utility_text(pc) or "-")
                + (f" ({pc.reservation:.2f})" if pc.reservation is not None else ""),
                broken if broken.plain else Text("none", style="dim"),
                reported or "-",
            )
        lines: list[RenderableType] = [Text(head, style="bold"), Text(sub), t]
        for pc in c.parties:
            lines.append(Text("  " + party_sentence(s, c, pc)))
            for r in pc.responses:
                lines.append(Text("  " + response_sentence(s, pc, r), style="italic"))
        for r in c.other_responses:
            lines.append(
                Text(
                    f"  {_name(s, r.party)} {r.response} (no position encoded, so not assessed).",
                    style="dim",
                )
            )
        deal = {
            "always": "acceptable to every assessed party.",
            "sometimes": f"acceptable to every assessed party in {c.acceptable_to_all_in:,} of {c.completions:,} completions.",
            "never": "not acceptable to every assessed party at once.",
        }[c.deal]
        lines.append(Text(f"  Overall: {deal}", style="bold"))
        out.append(Group(*lines))
    return out
