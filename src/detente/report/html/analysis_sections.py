"""Report sections of the analyses: the deal space, gaps and bridges, the strategic picture.

Each section has its tables (what a reader needs on paper) and, where one helps, an
interactive Plotly chart built by :mod:`detente.report.plots`. The prose is the same as
the command line's (:mod:`detente.report.text`), so the report and ``detente analyze``
cannot disagree. Rendering only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from detente.analysis.composite import Analysis
from detente.report.html.scenario_sections import table
from detente.report.page import Section, esc, figure_block
from detente.report.text.deal import compact_terms, spread_rows
from detente.report.text.gaps import gaps_text
from detente.space.bargaining import Deal

__all__ = ["REPORT_POINTS", "deal_section", "gaps_section", "strategy_section"]

REPORT_POINTS = 3_000  # outcomes drawn in the report's deal chart (keeps the file small)
_LABELS = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai-Smorodinsky",
    "egalitarian": "egalitarian",
    "utilitarian": "utilitarian",
}


def _fig(fig: Any) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(fig.to_json())
    return out


def _terms(terms: dict[str, Any]) -> str:
    return esc(
        ", ".join(
            f"{k}={'true' if v is True else 'false' if v is False else v}" for k, v in terms.items()
        )
    )


def _utilities(deal: Deal | None, names: dict[str, str]) -> str:
    if deal is None:
        return "-"
    return esc(", ".join(f"{names[p]} {u:.3f}" for p, u in deal.utilities.items()))


def deal_section(a: Analysis, *, plots: bool = True) -> Section | None:
    """The deal space: acceptability per party, ZOPA, bargaining solutions, frontiers, proposals.

    None when ``a`` has no deal analysis; ``plots`` adds the interactive utility chart.
    """
    d = a.deal
    if d is None:
        return None
    s = a.source
    names = {p: s.party_name(p) for p in d.parties}
    z = d.zopa
    parts = [
        f"<p>{d.space.size:,} possible outcomes over {len(d.issues)} issues; "
        f"computed by {esc(d.method)}{'' if d.exact else ' (not exact: see notes)'}. "
        + (
            "<strong>No zone of possible agreement</strong>: no outcome is acceptable to every party."
            if z.empty
            else f"<strong>{z.size:,}</strong> outcomes are acceptable to every party."
            if z.size is not None
            else "The zone of possible agreement is not empty (its size is not counted on this path)."
        )
        + "</p>"
    ]
    rows: list[Sequence[str]] = []
    for pa in z.parties:
        fails = ", ".join(f"{k}: {v:,}" for k, v in pa.red_line_failures.items() if v) or "-"
        rows.append(
            (
                esc(names[pa.party]),
                f"{pa.reservation:.3f}",
                "-" if pa.acceptable is None else f"{pa.acceptable:,}",
                "-" if pa.below_reservation is None else f"{pa.below_reservation:,}",
                esc(fails),
            )
        )
    parts.append(
        "<h3>Acceptability per party</h3>"
        + table(
            (
                "party",
                "reservation",
                "acceptable",
                "below reservation",
                "outcomes failing each red line",
            ),
            rows,
            nums=(1, 2, 3),
        )
    )
    figures: dict[str, dict[str, Any]] = {}
    if plots and len(d.parties) >= 2:
        from detente.report.plots.deal import figure

        figures["fig-deal"] = _fig(figure(d, max_points=REPORT_POINTS))
        parts.append(
            figure_block(
                "fig-deal",
                f"The utility space: a deterministic sample of up to {REPORT_POINTS:,} outcomes, "
                "coloured by who accepts them, with the Pareto frontiers, reservations, "
                "proposals and bargaining solutions.",
            )
        )
    rows = []
    for name, sol in d.solutions.items():
        if sol is None:
            rows.append(
                (esc(_LABELS[name]), "-", "-", "none (empty ZOPA)" if z.empty else "not computed")
            )
            continue
        ties = f"{len(sol.points)} points / {sol.count:,} outcomes" if sol.tied else "none"
        rows.append(
            (esc(_LABELS[name]), _utilities(sol, names), esc(ties), _terms(dict(sol.terms)))
        )
    parts.append(
        "<h3>Bargaining solutions on the ZOPA</h3>"
        + table(("solution", "utilities", "ties", "terms"), rows)
    )
    for title, f in (
        ("Pareto frontier of the ZOPA", d.frontier),
        ("Pareto frontier of the whole space", d.frontier_all),
    ):
        if len(f) == 0:
            continue
        shown = spread_rows(len(f), 12)
        texts, common = compact_terms(
            [dict(s.display_terms(x)) for x in d.terms_of(f.codes[shown])]
        )
        rows = []
        for r, x in zip(shown, texts, strict=True):
            us = ", ".join(
                f"{names[p]} {u:.3f}" for p, u in zip(d.parties, f.utilities[r], strict=True)
            )
            rows.append((esc(us), f"{f.counts[r]:,}", esc(x) or "(the same)"))
        more = (
            f" ({len(shown)} of {len(f):,} points, evenly spread; the JSON lists all)"
            if len(shown) < len(f)
            else ""
        )
        same = f'<p class="muted">Same in every row: {esc(common)}</p>' if common else ""
        parts.append(
            f"<h3>{esc(title)}{esc(more)}</h3>"
            + table(("utilities", "outcomes", "terms that differ"), rows, nums=(1,))
            + same
        )
    if d.proposals:
        rows = []
        for p in d.proposals:
            if p.u_min is None or p.u_max is None:
                u = "not evaluated"
            else:
                u = ", ".join(
                    f"{names[q]} {lo:.3f}"
                    if abs(hi - lo) < 1e-12
                    else f"{names[q]} {lo:.3f}-{hi:.3f}"
                    for q, lo, hi in zip(d.parties, p.u_min, p.u_max, strict=True)
                )
            better = "-"
            if p.dominated_by is not None:
                better = "dominated; better for all: " + ", ".join(
                    f"{k}: {v[0]} -> {v[1]}" for k, v in p.dominated_by.changes.items()
                )
            rows.append(
                (
                    esc(p.id),
                    esc(u),
                    esc(", ".join(names[q] for q in p.acceptable_to) or "nobody"),
                    esc(better),
                )
            )
        parts.append(
            "<h3>Proposals scored</h3>"
            + table(("proposal", "utilities", "acceptable to", "Pareto"), rows)
        )
    if d.notes:
        parts.append('<p class="muted">' + esc(" ".join(d.notes)) + "</p>")
    return Section("deal", "The deal space", "".join(parts), figures)


def gaps_section(a: Analysis) -> Section | None:
    """Gaps and bridges: the gaps in prose, then bridges, amendments and near misses as tables.

    None when ``a`` has no gap analysis.
    """
    g = a.gaps
    if g is None:
        return None
    s = a.source
    names = {p: s.party_name(p) for p in s.bargainers}
    parts = [f'<div class="prose">{esc(gaps_text(g, s, width=110))}</div>']
    rows: list[Sequence[str]]
    if g.bridges:
        rows = [
            (
                esc(" + ".join(b.keys)),
                str(b.cost),
                "-" if b.zopa_size is None else f"{b.zopa_size:,}" + ("" if b.zopa_exact else "+"),
                _utilities(b.egalitarian, names),
                _terms(dict(b.egalitarian.terms)) if b.egalitarian else "-",
            )
            for b in g.bridges[:15]
        ]
        parts.append(
            "<h3>Bridges, cheapest first</h3>"
            + table(
                (
                    "relax",
                    "cost (firmness)",
                    "outcomes opened",
                    "fair (egalitarian) deal",
                    "its terms",
                ),
                rows,
                nums=(1, 2),
            )
        )
    if g.amendments:
        rows = [
            (
                esc(" + ".join(am.adopted)),
                "yes" if am.opens_zopa else "no",
                f"{am.zopa_size:,}",
                esc(", ".join(" + ".join(x.keys) for x in am.resolved) or "none"),
                esc("; ".join(" + ".join(x.keys) for x in am.remaining) or "none"),
            )
            for am in g.amendments
        ]
        parts.append(
            "<h3>Amendments floated</h3>"
            + table(
                ("adopted", "opens a deal", "outcomes", "gaps it resolves", "gaps that remain"),
                rows,
                nums=(2,),
            )
        )
    if g.near_misses:
        rows = [
            (
                esc(", ".join(nm.violated)),
                f"{nm.score:.3f}",
                esc(", ".join(f"{names.get(p, p)} {u:.3f}" for p, u in nm.utilities.items())),
                _terms(dict(nm.terms)),
            )
            for nm in g.near_misses
        ]
        parts.append(
            "<h3>Near misses</h3>"
            + table(("violates", "weighted violation", "utilities", "terms"), rows, nums=(1,))
        )
    return Section("gaps", "Gaps and bridges", "".join(parts))


def strategy_section(a: Analysis, *, plots: bool = True) -> Section | None:
    """The strategic picture: the GMCR stability tableau and preferences, with the state graph.

    None when ``a`` has no conflict analysis; ``plots`` adds the state-graph chart.
    """
    c = a.conflict
    if c is None:
        return None
    from detente.report.text.conflict import conflict_text, preferences_text

    s = a.source
    text = conflict_text(c.stability, s, c.status_quo, c.comparison, width=110)
    parts = [
        f'<pre class="tableau">{esc(text)}</pre>',
        f'<pre class="tableau">{esc(preferences_text(c, s))}</pre>',
    ]
    figures: dict[str, dict[str, Any]] = {}
    if plots:
        from detente.report.plots.conflict import conflict_figure

        figures["fig-conflict"] = _fig(conflict_figure(c.stability, s))
        parts.insert(
            1,
            figure_block(
                "fig-conflict", "The state graph: each decision maker's moves; equilibria shaded."
            ),
        )
    return Section(
        "strategy",
        "The strategic picture (Graph Model for Conflict Resolution)",
        "".join(parts),
        figures,
    )
