"""Terminal rendering (rich) of a deal analysis: tables and plain-language sentences.

Rendering only: :func:`analysis_renderables` turns a
:class:`~detente.deal.analysis.DealAnalysis` into rich renderables; it computes nothing
the analysis did not already hold.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from detente.deal.analysis import DealAnalysis
from detente.deal.frontier import FrontierPoints
from detente.deal.scoring import ProposalScore

__all__ = ["analysis_renderables", "MAX_ROWS"]

MAX_ROWS = 15  # frontier rows shown in the terminal; JSON has them all


def _terms(a: DealAnalysis, codes: npt.NDArray[np.int64]) -> str:
    return ", ".join(f"{k}={v}" for k, v in a.terms(codes).items())


def _us(u: npt.NDArray[np.float64]) -> list[str]:
    return [f"{x:.3f}" for x in u]


def _name(a: DealAnalysis, p: str) -> str:
    return a.space.scenario.party(p).name


def _acceptability(a: DealAnalysis) -> RenderableType:
    t = Table(title="Acceptability per party", title_justify="left")
    t.add_column("party")
    t.add_column("reservation", justify="right")
    t.add_column("acceptable", justify="right")
    t.add_column("below reservation", justify="right")
    t.add_column("red lines broken (outcomes)")
    for pa in a.zopa.parties:
        fails = ", ".join(
            f"{rl}: {'?' if n is None else f'{n:,}'}" for rl, n in pa.red_line_failures.items()
        )
        t.add_row(
            _name(a, pa.party),
            f"{pa.reservation:.3f}",
            "?" if pa.acceptable is None else f"{pa.acceptable:,}",
            "?" if pa.below_reservation is None else f"{pa.below_reservation:,}",
            fails or "(no red lines)",
        )
    return t


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
    t.add_column("outcomes", justify="right")
    t.add_column("terms (one of them)")
    for j in range(min(len(f), MAX_ROWS)):
        t.add_row(*_us(f.utilities[j]), f"{f.counts[j]:,}", _terms(a, f.codes[j]))
    if len(f) > MAX_ROWS:
        t.caption = f"{len(f) - MAX_ROWS:,} more points; use --format json for all"
    return t


def _solutions(a: DealAnalysis) -> list[RenderableType]:
    if a.zopa.empty:
        return [Text("No bargaining solution: the ZOPA is empty.")]
    t = Table(title="Bargaining solutions (on the ZOPA)", title_justify="left")
    t.add_column("solution")
    for p in a.parties:
        t.add_column(f"u {p}", justify="right")
    t.add_column("ties", justify="right")
    t.add_column("terms")
    labels = {
        "nash": "Nash",
        "kalai_smorodinsky": "Kalai-Smorodinsky",
        "egalitarian": "egalitarian",
        "utilitarian": "utilitarian",
    }
    for name, s in a.solutions.items():
        if s is None:
            t.add_row(labels[name], *["-"] * len(a.parties), "-", "not computed")
            continue
        ties = f"{len(s.rows)} points / {s.n_outcomes:,} outcomes" if s.tied else "none"
        t.add_row(labels[name], *_us(s.utilities), ties, _terms(a, s.codes))
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
        t.add_row(p.id, *cells, ", ".join(p.acceptable_to) or "none", dom)
    lines = [s for p in a.proposals for s in _proposal_sentences(a, p)]
    return [t, Text("\n".join(lines))]


def analysis_renderables(a: DealAnalysis) -> list[RenderableType]:
    """Everything ``detente analyze`` prints, in order."""
    parties = ", ".join(_name(a, p) for p in a.parties)
    head = Text.assemble(
        (a.title, "bold"),
        f"\n{a.space.size:,} possible outcomes over {len(a.issues)} issues; "
        f"parties: {parties}; method: {a.method}.",
    )
    out: list[RenderableType] = [head, _acceptability(a), _zopa_sentence(a)]
    if not a.zopa.empty and len(a.zopa.sample):
        t = Table(title="Sample of the ZOPA", title_justify="left")
        for p in a.parties:
            t.add_column(f"u {p}", justify="right")
        t.add_column("terms")
        for c, u in zip(a.zopa.sample, a.zopa.sample_utilities, strict=True):
            t.add_row(*_us(u), _terms(a, c))
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
