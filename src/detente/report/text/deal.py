"""Terminal rendering (rich) of a deal analysis: tables and plain-language sentences.

Rendering only: :func:`analysis_renderables` turns a
:class:`~detente.deal.analysis.DealAnalysis` into rich renderables; it computes nothing
the analysis did not already hold. Long frontiers are thinned to :data:`MAX_ROWS` evenly
spaced points; terms are shown compactly (:func:`compact_terms`: only the issues that
differ between the rows shown, the common values stated once); red lines get their own
table with their provenance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from detente.deal.analysis import DealAnalysis
from detente.deal.frontier import FrontierPoints
from detente.deal.scoring import ProposalScore

__all__ = ["analysis_renderables", "compact_terms", "spread_rows", "MAX_ROWS"]

MAX_ROWS = 10  # frontier rows shown in the terminal; JSON has them all


def compact_terms(rows: Sequence[dict[str, str | int | bool]]) -> tuple[list[str], str]:
    """Per row, the ``issue=value`` pairs that differ between rows; and the common ones.

    Returns the text of each row (issues whose value is not the same in every row, in
    issue order) and one text of the values shared by all rows ("" when none are).
    """
    if not rows:
        return [], ""
    issues = list(rows[0])
    same = [i for i in issues if all(r[i] == rows[0][i] for r in rows)] if len(rows) > 1 else []
    differ = [i for i in issues if i not in same]
    per_row = [", ".join(f"{i}={r[i]}" for i in differ) for r in rows]
    return per_row, ", ".join(f"{i}={rows[0][i]}" for i in same)


def spread_rows(n: int, most: int = MAX_ROWS) -> list[int]:
    """At most ``most`` row indices of ``0..n-1`` evenly spaced, first and last included."""
    if n <= most:
        return list(range(n))
    return sorted({round(float(x)) for x in np.linspace(0, n - 1, most)})


def _show(a: DealAnalysis, terms: dict[str, str | int | bool]) -> dict[str, str | int | bool]:
    """Terms as a reader sees them (short option labels, e.g. GENIUS's "$4.12")."""
    return dict(a.space.scenario.display_terms(terms))


def _common_caption(common: str) -> str:
    return f"same in every row: {common}" if common else ""


def _date(d: dt.date | None) -> str:
    return "" if d is None else f"{d.day} {d.strftime('%b %Y')}"


def _us(u: npt.NDArray[np.float64]) -> list[str]:
    return [f"{x:.3f}" for x in u]


def _name(a: DealAnalysis, p: str) -> str:
    return a.space.scenario.party_name(p)


def _acceptability(a: DealAnalysis) -> RenderableType:
    t = Table(title="Acceptability per party", title_justify="left")
    t.add_column("party")
    t.add_column("reservation", justify="right")
    t.add_column("acceptable", justify="right")
    t.add_column("below reservation", justify="right")
    t.add_column("red lines", justify="right")
    for pa in a.zopa.parties:
        t.add_row(
            _name(a, pa.party),
            f"{pa.reservation:.3f}",
            "?" if pa.acceptable is None else f"{pa.acceptable:,}",
            "?" if pa.below_reservation is None else f"{pa.below_reservation:,}",
            f"{len(pa.red_line_failures)}",
        )
    return t


def _source_name(a: DealAnalysis, sid: str | None) -> str:
    if not sid:
        return ""
    try:
        found = a.space.scenario.source(sid)
    except StopIteration:
        return sid
    return found.publisher or found.title


def _red_lines(a: DealAnalysis) -> list[RenderableType]:
    """One row per red line: party; id, label and provenance; firmness; outcomes breaking it."""
    scenario = a.space.scenario
    t = Table(title="Red lines", title_justify="left")
    t.add_column("party")
    t.add_column("red line: id, label; basis, source, date", overflow="fold")
    t.add_column("firmness", justify="right")
    t.add_column("outcomes breaking it", justify="right", max_width=12)
    for pa in a.zopa.parties:
        lines = {rl.id: rl for rl in scenario.positions[pa.party].red_lines}
        for rl_id, n in pa.red_line_failures.items():
            cell = Text(rl_id, style="bold")
            rl = lines.get(rl_id)
            firm = ""
            if rl is not None:
                if rl.label:
                    cell.append(f"\n{rl.label}", style="not bold")
                prov = (rl.basis, _source_name(a, rl.source), _date(rl.date))
                cell.append("\n" + ", ".join(x for x in prov if x), style="dim")
                firm = str(rl.firmness)
            t.add_row(_name(a, pa.party), cell, firm, "?" if n is None else f"{n:,}")
    return [t] if t.row_count else []


def _zopa_sentence(a: DealAnalysis) -> Text:
    z = a.zopa
    if z.empty:
        return Text(
            "There is no zone of possible agreement: no outcome meets every party's red "
            "lines and reservation value (see 'detente gaps' for why).",
            style="bold red",
        )
    size = "an unknown number of" if z.size is None else f"{z.size:,} of the {z.space_size:,}"
    return Text(
        f"A deal is possible: {size} outcomes are acceptable to every party.",
        style="bold green",
    )


def _frontier_table(a: DealAnalysis, f: FrontierPoints, title: str) -> Table:
    t = Table(title=title, title_justify="left")
    for p in a.parties:
        t.add_column(f"u {p}", justify="right")
    shown = spread_rows(len(f))
    counts = {int(f.counts[j]) for j in shown}
    if len(counts) > 1:  # equal counts are said once, in the caption
        t.add_column("outcomes", justify="right")
    t.add_column("terms that differ (one outcome per point)")
    texts, common = compact_terms([_show(a, a.terms(f.codes[j])) for j in shown])
    for j, text in zip(shown, texts, strict=True):
        cells = _us(f.utilities[j]) + ([f"{f.counts[j]:,}"] if len(counts) > 1 else [])
        t.add_row(*cells, text)
    notes = [_common_caption(common)]
    if len(counts) == 1 and shown:
        (c,) = counts
        notes.append(
            "each point is one outcome"
            if c == 1
            else f"each point shown is reached by {c:,} outcomes (one shown)"
        )
    if len(f) > len(shown):
        notes.append(
            f"{len(shown)} evenly spaced points shown; {len(f) - len(shown):,} more; "
            "--format json for all"
        )
    t.caption = "\n".join(n for n in notes if n) or None
    t.caption_justify = "left"
    return t


def _solutions(a: DealAnalysis) -> list[RenderableType]:
    if a.zopa.empty:
        return [Text("No bargaining solution: the ZOPA is empty.")]
    t = Table(title="Bargaining solutions (on the ZOPA)", title_justify="left")
    t.add_column("solution")
    for p in a.parties:
        t.add_column(f"u {p}", justify="right")
    t.add_column("ties", justify="right")
    t.add_column("terms that differ")
    labels = {
        "nash": "Nash",
        "kalai_smorodinsky": "Kalai-Smorodinsky",
        "egalitarian": "egalitarian",
        "utilitarian": "utilitarian",
    }
    solved = [(name, s) for name, s in a.solutions.items() if s is not None]
    texts, common = compact_terms([_show(a, s.terms) for _, s in solved])
    text_of = {name: x for (name, _), x in zip(solved, texts, strict=True)}
    for name, s in a.solutions.items():
        if s is None:
            t.add_row(labels[name], *["-"] * len(a.parties), "-", "not computed")
            continue
        ties = f"{len(s.points)} points / {s.count:,} outcomes" if s.tied else "none"
        t.add_row(labels[name], *_us(s.utility_vector), ties, text_of[name] or "(the same)")
    t.caption = _common_caption(common) or None
    t.caption_justify = "left"
    return [t]


def _proposal_sentences(a: DealAnalysis, p: ProposalScore) -> list[str]:
    names = [_name(a, q) for q in a.parties]
    out = []
    if not p.evaluated:
        return [f"{p.id}: {p.completions:,} completions of its open issues, too many to score."]
    if p.open_issues:
        out.append(
            f"{p.id} leaves {', '.join(p.open_issues)} open ({p.completions:,} completions)."
        )
    acc = [_name(a, q) for q in p.acceptable_to]
    some = [_name(a, q) for q in p.acceptable_to_some if q not in p.acceptable_to]
    if len(acc) == len(names):
        out.append(f"{p.id} is acceptable to every party.")
    else:
        out.append(f"{p.id} is acceptable to {', '.join(acc) if acc else 'no party'}.")
    if some:
        out.append(f"  Some of its completions are acceptable to {', '.join(some)}.")
    for q, rls in p.violations.items():
        if rls:
            out.append(f"  It breaks {_name(a, q)}'s red lines: {', '.join(rls)}.")
    for q in p.below_reservation:
        out.append(f"  It is below {_name(a, q)}'s reservation value.")
    imp = p.dominated_by
    if imp is not None:
        changes = "; ".join(f"{k} {v[0]} -> {v[1]}" for k, v in imp.changes.items())
        gains = ", ".join(
            f"{q} +{g:.3f}" for q, g in zip(a.parties, imp.gains, strict=True) if g > 0
        )
        out.append(f"  It is Pareto-dominated: changing {changes} helps {gains}, hurting no one.")
    elif p.completions == 1:
        out.append("  No outcome makes a party better off without making another worse off.")
    return out


def _proposals(a: DealAnalysis) -> list[RenderableType]:
    if not a.proposals:
        return []
    t = Table(title="Proposals", title_justify="left")
    t.add_column("proposal")
    for q in a.parties:
        t.add_column(f"u {q}", justify="right")
    t.add_column("acceptable to")
    t.add_column("dominated?")
    for p in a.proposals:
        if p.u_min is None or p.u_max is None:
            cells = ["?"] * len(a.parties)
        else:
            cells = [
                f"{lo:.3f}" if lo == hi else f"{lo:.3f}-{hi:.3f}"
                for lo, hi in zip(p.u_min, p.u_max, strict=True)
            ]
        dom = (
            "yes" if p.dominated_by is not None else ("no" if p.completions == 1 else "n/a (open)")
        )
        t.add_row(p.id, *cells, ", ".join(_name(a, q) for q in p.acceptable_to) or "none", dom)
    lines = [s for p in a.proposals for s in _proposal_sentences(a, p)]
    # indented sentences keep their indent when the terminal wraps them
    return [
        t,
        Group(
            *(
                Padding(Text(x.strip()), (0, 0, 0, len(x) - len(x.lstrip())), expand=False)
                for x in lines
            )
        ),
    ]


def analysis_renderables(a: DealAnalysis) -> list[RenderableType]:
    """Everything ``detente analyze`` prints, in order."""
    parties = ", ".join(_name(a, p) for p in a.parties)
    head = Text.assemble(
        (a.title, "bold"),
        f"\n{a.space.size:,} possible outcomes over {len(a.issues)} issues; "
        f"parties: {parties}; method: {a.method}.",
    )
    out: list[RenderableType] = [head, _acceptability(a), *_red_lines(a), _zopa_sentence(a)]
    if not a.zopa.empty and len(a.zopa.sample):
        t = Table(title="Sample of the ZOPA", title_justify="left")
        for p in a.parties:
            t.add_column(f"u {p}", justify="right")
        t.add_column("terms that differ")
        texts, common = compact_terms([_show(a, a.terms(c)) for c in a.zopa.sample])
        for u, text in zip(a.zopa.sample_utilities, texts, strict=True):
            t.add_row(*_us(u), text)
        t.caption = _common_caption(common) or None
        t.caption_justify = "left"
        out.append(t)
    if a.frontier_computed:
        if not a.zopa.empty:
            out.append(
                _frontier_table(
                    a, a.frontier, f"Pareto frontier of the ZOPA ({len(a.frontier):,} points)"
                )
            )
        out.append(
            _frontier_table(
                a,
                a.frontier_all,
                f"Pareto frontier of the whole space ({len(a.frontier_all):,} points)",
            )
        )
    out.extend(_solutions(a))
    out.extend(_proposals(a))
    out.extend(Text(n, style="dim") for n in a.notes)
    return out
