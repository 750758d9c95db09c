"""Plain-language text of a :class:`~detente.deal.gap_analysis.GapAnalysis`.

Says whether any outcome satisfies every demand; if not, which demands clash minimally
(each labelled with its party, basis, source and date), the cheapest bridges with the
outcomes they open and the deal that would follow, the near misses, and what each
amendment floated resolves and what still blocks a deal. Rendering only.
"""

from __future__ import annotations

import datetime as dt

from detente.deal.demands import RESERVATION, Demand
from detente.deal.engine import Deal
from detente.deal.gap_analysis import GapAnalysis
from detente.deal.gaps import Gap
from detente.scenario.model import Scenario

__all__ = ["gaps_text", "demand_phrase", "BRIDGES_SHOWN"]

BRIDGES_SHOWN = 5


def _date(d: dt.date) -> str:
    return f"{d.day} {d.strftime('%b %Y')}"


def _party(s: Scenario, pid: str) -> str:
    try:
        return s.party(pid).name
    except StopIteration:
        return pid


def _source(s: Scenario, sid: str) -> str:
    try:
        src = s.source(sid)
    except StopIteration:
        return sid
    return src.publisher or src.title


def demand_phrase(s: Scenario, d: Demand) -> str:
    """E.g. "Israel 'No permanent cease-fire clause' [reported, Kan, 9 May 2024]"."""
    if d.kind == RESERVATION:
        what = f"reservation (utility at least {d.value:g})"
    else:
        what = f"'{d.label or d.id}'"
    tags = [d.basis]
    if d.source:
        tags.append(_source(s, d.source))
    if d.date:
        tags.append(_date(d.date))
    firm = "absolute" if not d.relaxable else f"firmness {d.firmness}"
    return f"{_party(s, d.party)} {what} [{', '.join(tags)}; {firm}]"


def _gap_sentence(s: Scenario, g: Gap) -> str:
    parts = [demand_phrase(s, d) for d in g.demands]
    if len(parts) == 1:
        return parts[0] + " cannot hold on its own"
    return (
        " against ".join(parts) if len(parts) == 2 else "; ".join(parts[:-1]) + "; and " + parts[-1]
    )


def _terms(deal: Deal) -> str:
    return ", ".join(f"{k}={v}" for k, v in deal.terms.items())


def _utilities(s: Scenario, deal: Deal) -> str:
    return ", ".join(f"{_party(s, p)} {u:.3f}" for p, u in deal.utilities.items())


def gaps_text(a: GapAnalysis, s: Scenario, *, bridges_shown: int = BRIDGES_SHOWN) -> str:
    """The explanation, one paragraph per part (see module docstring)."""
    what = "red lines" if a.red_lines_only else "red lines and reservations"
    out: list[str] = []
    if not a.zopa_empty:
        assert a.witness is not None
        terms = ", ".join(f"{k}={v}" for k, v in a.witness.terms.items())
        out.append(f"Some outcome satisfies all {what}, for example: {terms}.")
    else:
        n = len(a.gaps)
        more = "" if a.gaps_complete else " (first found; there are more)"
        head = (
            f"No outcome satisfies all {what}. {n} minimal conflict{'s' if n != 1 else ''}{more}:"
        )
        lines = [head] + [f"  ({i}) {_gap_sentence(s, g)}." for i, g in enumerate(a.gaps, 1)]
        out.append("\n".join(lines))
        if a.bridges:
            lines = []
            for i, b in enumerate(a.bridges[:bridges_shown]):
                relax = " and ".join(demand_phrase(s, d) for d in b.relax)
                label = "Cheapest bridge" if i == 0 else f"Bridge {i + 1}"
                size = (
                    ""
                    if b.zopa_size is None
                    else (
                        f"; opens {b.zopa_size:,} outcome{'s' if b.zopa_size != 1 else ''}"
                        if b.zopa_exact
                        else f"; opens at least {b.zopa_size:,} outcomes"
                    )
                )
                text = f"{label} (cost {b.cost}): relax {relax}{size}"
                if b.egalitarian is not None:
                    text += (
                        f"; the egalitarian deal would then be {_terms(b.egalitarian)} "
                        f"(utilities {_utilities(s, b.egalitarian)})"
                    )
                lines.append(text + ".")
            total = len(a.bridges)
            tail = f"{total} bridge{'s' if total != 1 else ''} in all" + (
                "" if a.bridges_complete else " listed (more exist)"
            )
            out.append("\n".join(lines) + f"\n{tail}.")
        elif a.gaps:
            out.append("No bridge: the conflicts involve only absolute red lines.")
        if a.near_misses:
            lines = ["Near misses (least weighted violation first):"]
            for nm in a.near_misses:
                short = "".join(
                    f" ({_party(s, p)} short by {v:.3f})" for p, v in nm.shortfalls.items()
                )
                lines.append(f"  score {nm.score:.3f}: violates {', '.join(nm.violated)}{short}")
            out.append("\n".join(lines))
    for am in a.amendments:
        names = " + ".join(f"'{x}'" for x in am.adopted)
        verb = "opens a deal" if am.opens_zopa else "does not open a deal"
        text = f"Amendment {names} {verb}"
        if am.resolved:
            idx = [str(a.gaps.index(g) + 1) for g in am.resolved if g in a.gaps]
            text += f"; it resolves conflict{'s' if len(idx) != 1 else ''} ({', '.join(idx)})"
        if am.opens_zopa and am.egalitarian is not None:
            size = f"{am.zopa_size:,}" if am.zopa_exact else f"at least {am.zopa_size:,}"
            text += (
                f"; {size} outcomes become acceptable; egalitarian deal: {_terms(am.egalitarian)}"
            )
        if am.remaining:
            still = "; ".join(_gap_sentence(s, g) for g in am.remaining)
            text += f". Still blocking: {still}"
        out.append(text + ".")
    return "\n\n".join(out)
