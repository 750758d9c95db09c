"""The bottom line in plain text: at most about fifteen lines that fit one screen.

Renders a composite analysis' :class:`~detente.analysis.summary.Summary`: deal or no
deal; each minimal conflict in one line, those resting on reported demands only first
and marked so; whether a floated amendment bridges; the cheapest bridge and the fair
deal it opens; the stable states and whether outside pressure changes them; how many
numbers are assumptions. Rendering only: every fact comes from the summary.
"""

from __future__ import annotations

import textwrap

from detente.analysis.composite import Analysis
from detente.analysis.summary import GapLine, Summary
from detente.report.text.gaps import text_width
from detente.scenario.checked import Scenario
from detente.space.bargaining import Deal

__all__ = ["GAPS_SHOWN", "summary_lines", "summary_text"]

GAPS_SHOWN = 3
_CONCEPTS = (("nash", "Nash"), ("gmr", "GMR"), ("smr", "SMR"), ("seq", "SEQ"))


_SHORT = 40  # longer red line labels are replaced by their id in the bottom line


def _demand(s: Scenario, key: str) -> str:
    """E.g. "Israel: no permanent ceasefire" (short label, or the id, without the party)."""
    party, _, rid = key.partition("/")
    name = s.party_name(party)
    if rid == "reservation":
        return f"{name}'s reservation"
    rl = next((r for r in s.red_lines_of(party) if r.id == rid), None)
    label = rl.label if rl is not None and rl.label else ""
    if label.lower().startswith(name.lower() + " "):
        label = label[len(name) + 1 :]
    if not label or len(label) > _SHORT:
        label = rid.replace("-", " ").replace("_", " ")
    return f"{name}: {label}"


def _gap(s: Scenario, g: GapLine) -> str:
    text = "  vs  ".join(_demand(s, k) for k in g.demands)
    if g.reported_only:
        return f"[reported] {text}"
    n = len(g.assumed)
    return f"{text}  [{n} assumed demand{'s' if n != 1 else ''}]"


def _deal(deal: Deal | None, s: Scenario) -> str:
    """Utilities of a deal (its terms are in the details below the bottom line)."""
    if deal is None:
        return "none"
    return ", ".join(f"{s.party_name(p)} {u:.2f}" for p, u in deal.utilities.items())


def _states(eq: tuple[str, ...]) -> str:
    if not eq:
        return "none"
    if len(eq) <= 3:
        return ", ".join(eq)
    return f"{len(eq)} states"


def _strategy(s: Scenario, sm: Summary) -> list[str]:
    if not sm.has_conflict:
        return []
    parts = [f"{label} {_states(sm.equilibria.get(c, ()))}" for c, label in _CONCEPTS]  # type: ignore[call-overload]
    line = "Strategy (GMCR equilibria): " + "; ".join(parts) + "."
    if sm.status_quo is not None:
        stable = [label for c, label in _CONCEPTS if sm.status_quo_stable.get(c)]  # type: ignore[call-overload]
        line += f" The status quo {sm.status_quo} is " + (
            f"stable under {', '.join(stable)}." if stable else "not an equilibrium."
        )
    out = [line]
    p = sm.pressure
    if p is not None:
        who = ", ".join(s.party_name(d) for d in p.without)
        changed = [label for c, label in _CONCEPTS if p.changed.get(c)]  # type: ignore[call-overload]
        if changed:
            out.append(
                f"Outside pressure matters: without {who}'s options the equilibria change "
                f"({', '.join(changed)})."
            )
        else:
            out.append(f"Without {who}'s options the equilibria are the same.")
    return out


def summary_lines(a: Analysis) -> list[str]:
    """The bottom line as sentences, one per line (before wrapping)."""
    s, sm = a.source, a.summary
    when = f", as of {s.as_of.isoformat()}" if s.as_of else ""
    lines = [f"Bottom line: {s.title}{when}"]
    if sm.has_deal_model:
        if sm.zopa_empty:
            lines.append("No deal: no outcome meets every party's red lines and reservation.")
        else:
            size = f"{sm.zopa_size:,} outcomes" if sm.zopa_size is not None else "outcomes"
            lines.append(
                f"A deal exists: {size} meet every party's demands; the fair (egalitarian) "
                f"deal gives {_deal(sm.fair_deal, s)}."
            )
        if sm.gaps:
            reported = sum(g.reported_only for g in sm.gaps)
            more = "" if sm.gaps_complete else " or more"
            lines.append(
                f"Minimal conflicts: {len(sm.gaps)}{more}, {reported} resting on reported "
                "demands only:"
            )
            for i, g in enumerate(sm.gaps[:GAPS_SHOWN], 1):
                lines.append(f"  {i}. {_gap(s, g)}")
            if len(sm.gaps) > GAPS_SHOWN:
                lines.append(f"  (and {len(sm.gaps) - GAPS_SHOWN} more below)")
        if sm.amendments_examined:
            if sm.bridging_amendments:
                sets = "; ".join(" + ".join(x) for x in sm.bridging_amendments)
                lines.append(f"Floated amendments that open a deal: {sets}.")
            else:
                n = sm.amendments_examined
                lines.append(
                    "The floated amendment does not open a deal."
                    if n == 1
                    else f"No floated amendment, alone or combined, opens a deal ({n} sets examined)."
                )
        b = sm.cheapest_bridge
        if b is not None:
            relax = " and ".join(_demand(s, k) for k in b.relax)
            size = f"{b.zopa_size:,}" if b.zopa_size is not None else "some"
            lines.append(
                f"Cheapest bridge (cost {b.cost}, from assumed firmness): relax {relax}; "
                f"it opens {size} outcomes; the fair deal then gives {_deal(b.egalitarian, s)}."
            )
    lines += _strategy(s, sm)
    lines.append(
        f"Assumptions: {sm.assumed_numbers} of the {sm.numbers} numbers behind the positions "
        "(weights, values, reservations, firmness) are the analyst's; conclusions resting on "
        "them move with them."
    )
    return lines


def summary_text(a: Analysis, *, width: int | None = None) -> str:
    """The bottom line wrapped to ``width`` (default: the terminal's)."""
    w = text_width(width)
    out: list[str] = []
    for line in summary_lines(a):
        indent = len(line) - len(line.lstrip())
        out += textwrap.wrap(
            line, w, subsequent_indent=" " * (indent + 4), break_on_hyphens=False
        ) or [""]
    return "\n".join(out)
