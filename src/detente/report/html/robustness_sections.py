"""The robustness section of ``detente report --robustness``.

The bottom line of the run (assumption-free, robust, fragile), a table of every
conclusion (holds at the estimates, support with its 95 % interval, verdict, the
smallest change found to reverse it, the most critical number), the tornado and the
acceptability chart, with the text report below them (every figure has its text
equivalent). Rendering only.
"""

from __future__ import annotations

from collections.abc import Mapping

from detente.report.page import Section, esc, figure_block
from detente.report.plots.robustness import acceptability_figure, tornado_figure
from detente.report.text.robustness import bottom_line, robustness_text
from detente.robustness.results import Flip, RobustnessResult

__all__ = ["robustness_section"]


def _flip(f: Flip | None) -> str:
    if f is None:
        return '<span class="muted">none within the ranges</span>'
    moves = ", ".join(f"{esc(a)} &rarr; {v:.4g}" for a, v in f.changes.items())
    how = "exact" if f.exact else "upper bound"
    return f'{moves} <span class="muted">({f.distance:.3g} {esc(f.norm)}, {how})</span>'


def robustness_section(
    r: RobustnessResult, names: Mapping[str, str] | None = None, *, plots: bool = True
) -> Section:
    """The report section of a robustness run."""
    rows = []
    for c in r.conclusions:
        if c.kind == "equilibrium":
            continue
        crit = c.critical
        flip = c.flip if c.flip is not None else c.nearest_draw
        rows.append(
            "<tr>"
            f"<td>{esc(c.id)}{'<br><span class=muted>' + esc(c.value) + '</span>' if c.value else ''}</td>"
            f"<td>{'yes' if c.holds else 'no'}</td>"
            f'<td class="num">{100 * c.support:.1f} %<br><span class="muted">'
            f"{100 * c.ci[0]:.1f}-{100 * c.ci[1]:.1f}</span></td>"
            f"<td>{'assumption-free' if c.assumption_free else esc(c.verdict or 'undecided')}</td>"
            f"<td style=\"overflow-wrap:anywhere\">{'' if c.assumption_free else _flip(flip)}</td>"
            f"<td style=\"overflow-wrap:anywhere\">{esc(crit.address) if crit else ''}</td>"
            "</tr>"
        )  # fmt: skip
    eq = [c.id.split(":", 1)[1] for c in r.conclusions if c.kind == "equilibrium"]
    figures = {}
    blocks = []
    if plots:
        t = tornado_figure(r)
        if t is not None:
            figures["robustness-tornado"] = t
            blocks.append(figure_block("robustness-tornado", "One number at a time: the "
                                       "interval over which each conclusion holds."))  # fmt: skip
        a = acceptability_figure(r)
        if a is not None:
            figures["robustness-acceptability"] = a
            blocks.append(figure_block("robustness-acceptability", "Share of draws giving each "
                                       "cheapest bridge and deal (SMAA-2 acceptability)."))  # fmt: skip
    body = (
        f'<div class="bottom-line"><p>{esc(bottom_line(r, names))}</p>'
        f'<p class="muted">{r.completed:,} draws, seed {r.seed}; {len(r.varied)} assumed '
        f"numbers vary{'; ' + esc(' '.join(r.notes)) if r.notes else ''}.</p></div>"
        "<table><tr><th>conclusion</th><th>at the estimates</th><th class=num>support (95 % CI)"
        "</th><th>verdict</th><th>smallest change found to reverse it</th><th>most critical"
        "</th></tr>" + "".join(rows) + "</table>"
        + (f"<p>GMCR equilibria ({esc(', '.join(eq))}) rest on the preference orderings, "
           "which no varied number moves.</p>" if eq else "")
        + "".join(blocks)
        + f'<h3>In words</h3><pre class="prose">{esc(robustness_text(r, names))}</pre>'
    )  # fmt: skip
    return Section("robustness", "Robustness of the conclusions", body, figures)
