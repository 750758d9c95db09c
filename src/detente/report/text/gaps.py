"""Plain-language text of a :class:`~detente.gaps.analysis.GapAnalysis`.

Says whether any outcome satisfies every demand; if not, which demands clash minimally,
the cheapest bridges with the outcomes they open and the deal that would follow, the
near misses, and what each amendment floated resolves and what still blocks a deal.
Each demand involved is introduced once, keyed ``[D1]``, ``[D2]``, ... with its label,
basis, source, date and firmness; afterwards it is named briefly (party, label, key).
Lines are wrapped to the terminal width with hanging indents. Rendering only.
"""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from collections.abc import Iterable, Mapping, Sequence

from detente.gaps.analysis import GapAnalysis
from detente.gaps.mus import Gap
from detente.scenario.checked import Scenario
from detente.space.bargaining import Deal
from detente.space.demands import RESERVATION, Demand

__all__ = [
    "gaps_text",
    "demand_phrase",
    "demand_keys",
    "text_width",
    "BRIDGES_SHOWN",
    "MIN_WIDTH",
    "MAX_WIDTH",
]

BRIDGES_SHOWN = 5
MIN_WIDTH = 60
MAX_WIDTH = 140  # longer lines are hard to read even on wide terminals


def text_width(width: int | None = None) -> int:
    """``width``, or the terminal's (``COLUMNS`` first, 80 when unknown), within bounds."""
    if width is None:
        width = shutil.get_terminal_size((80, 24)).columns
    return max(MIN_WIDTH, min(MAX_WIDTH, width))


def _date(d: dt.date) -> str:
    return f"{d.day} {d.strftime('%b %Y')}"


def _party(s: Scenario, pid: str) -> str:
    return s.party_name(pid)


def _source(s: Scenario, sid: str) -> str:
    try:
        src = s.source(sid)
    except StopIteration:
        return sid
    return src.publisher or src.title


def _provenance(s: Scenario, d: Demand) -> str:
    tags = [d.basis]
    if d.source:
        tags.append(_source(s, d.source))
    if d.date:
        tags.append(_date(d.date))
    firm = "absolute" if not d.relaxable else f"firmness {d.firmness}"
    return f"{', '.join(tags)}; {firm}"


def _what(d: Demand) -> str:
    if d.kind == RESERVATION:
        return f"reservation (utility at least {d.value:g})"
    return f"'{d.label or d.id}'"


def demand_phrase(s: Scenario, d: Demand) -> str:
    """E.g. "Israel 'No permanent cease-fire clause' [reported, Kan, 9 May 2024; firmness 9]"."""
    return f"{_party(s, d.party)} {_what(d)} [{_provenance(s, d)}]"


def demand_keys(a: GapAnalysis) -> dict[str, str]:
    """``D1``, ``D2``, ... for every demand the text mentions, in the order of ``a.demands``."""
    used: set[str] = set()
    for g in a.gaps:
        used.update(d.key for d in g.demands)
    for b in a.bridges:
        used.update(d.key for d in b.relax)
    for nm in a.near_misses:
        used.update(nm.violated)
    for am in a.amendments:
        for g in am.remaining:
            used.update(d.key for d in g.demands)
    ordered = [d.key for d in a.demands if d.key in used]
    return {k: f"D{i}" for i, k in enumerate(ordered, 1)}


class _Writer:
    """Paragraphs of wrapped lines; an indented line's continuation is indented further."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.paragraphs: list[list[str]] = []

    def paragraph(self) -> None:
        self.paragraphs.append([])

    def line(self, text: str, *, indent: int = 0, hang: int = 4) -> None:
        if not self.paragraphs:
            self.paragraph()
        self.paragraphs[-1].extend(
            textwrap.wrap(
                text,
                self.width,
                initial_indent=" " * indent,
                subsequent_indent=" " * (indent + hang),
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [""]
        )

    def text(self) -> str:
        return "\n\n".join("\n".join(p) for p in self.paragraphs if p)


def _and(parts: list[str], sep: str = ";") -> str:
    """Join phrases: "a and b"; "a; b; and c" (commas inside) or "a, b and c" (``sep=","``)."""
    if len(parts) <= 2:
        return " and ".join(parts)
    if sep == ",":
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return "; ".join(parts[:-1]) + "; and " + parts[-1]


def _terms(terms: Iterable[tuple[str, object]]) -> str:
    return ", ".join(f"{k}={v}" for k, v in terms)


def _utilities(s: Scenario, deal: Deal) -> str:
    return ", ".join(f"{_party(s, p)} {u:.3f}" for p, u in deal.utilities.items())


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _basis_note(demands: Sequence[Demand], keys: Mapping[str, str]) -> str:
    """Whether a conflict rests on reported demands only, or on which assumptions."""
    assumed = [keys.get(d.key, d.key) for d in demands if d.basis != "reported"]
    if not assumed:
        return "[Rests on reported demands only.]"
    return f"[Rests on assumptions: {', '.join(assumed)}.]"


def gaps_text(
    a: GapAnalysis,
    s: Scenario,
    *,
    bridges_shown: int = BRIDGES_SHOWN,
    width: int | None = None,
) -> str:
    """The explanation, one paragraph per part (see module docstring).

    ``width``: wrap lines to this many columns (default: the terminal's, see
    :func:`text_width`).
    """
    w = _Writer(text_width(width))
    keys = demand_keys(a)
    by_key = {d.key: d for d in a.demands}

    def ref(d: Demand) -> str:
        key = f" [{keys[d.key]}]" if d.key in keys else ""
        return f"{_party(s, d.party)} {_what(d)}{key}"

    def gap_sentence(g: Gap) -> str:
        parts = [ref(d) for d in g.demands]
        if len(parts) == 1:
            return parts[0] + " cannot hold on its own"
        return " against ".join(parts) if len(parts) == 2 else _and(parts)

    what = "red lines" if a.red_lines_only else "red lines and reservations"
    if not a.zopa_empty:
        assert a.witness is not None
        w.line(
            f"Some outcome satisfies all {what}, for example: {_terms(a.witness.terms.items())}."
        )
    else:
        n = len(a.gaps)
        more = "" if a.gaps_complete else " (the first found; there are more)"
        w.line(f"No outcome satisfies all {what}.")
    if keys:
        w.paragraph()
        w.line(
            "The demands involved (firmness: the cost of relaxing one, 1-10; "
            "absolute: never relaxed):",
            hang=2,
        )
        for key, label in keys.items():
            d = by_key[key]
            head = f"[{label}]"
            w.line(f"{head} {_party(s, d.party)}: {_what(d)}", indent=2, hang=len(head) + 1)
            w.line(_provenance(s, d), indent=3 + len(head), hang=0)
    if a.zopa_empty:
        w.paragraph()
        w.line(
            f"{_plural(n, 'minimal conflict')}{more} (sets of demands that cannot all hold "
            "together, though any smaller part can):",
            hang=2,
        )
        for i, g in enumerate(a.gaps, 1):
            w.line(f"({i}) {gap_sentence(g)}. {_basis_note(g.demands, keys)}", indent=2)
        if a.bridges:
            w.paragraph()
            w.line(
                "Bridges (demands whose relaxation opens a deal; cost = sum of firmness; "
                "firmness values are the analyst's estimates unless a source reports them, "
                "so the ranking rests on them):",
                hang=2,
            )
            for i, b in enumerate(a.bridges[:bridges_shown]):
                label = "Cheapest bridge" if i == 0 else f"Bridge {i + 1}"
                text = f"{label} (cost {b.cost}): relax {_and([ref(d) for d in b.relax])}"
                if b.zopa_size is not None:
                    size = _plural(b.zopa_size, "outcome")
                    text += f"; opens {size}" if b.zopa_exact else f"; opens at least {size}"
                if b.egalitarian is not None:
                    text += (
                        f"; the egalitarian deal would then be "
                        f"{_terms(b.egalitarian.terms.items())} "
                        f"(utilities {_utilities(s, b.egalitarian)})"
                    )
                w.line(text + ".", indent=2)
            total = len(a.bridges)
            tail = (
                _plural(total, "bridge")
                + " in all"
                + ("" if a.bridges_complete else " listed (more exist)")
            )
            if total > bridges_shown:
                tail += f"; {bridges_shown} shown, --format json for all"
            w.line(tail + ".", indent=2)
        elif a.gaps:
            w.paragraph()
            w.line("No bridge: the conflicts involve only absolute red lines.")
        if a.near_misses:
            w.paragraph()
            w.line("Near misses (outcomes closest to a deal, least weighted violation first):")
            for nm in a.near_misses:
                broken = ", ".join(keys.get(k, k) for k in nm.violated)
                short = "; ".join(
                    f"{_party(s, p)} short by {v:.3f}" for p, v in nm.shortfalls.items()
                )
                w.line(
                    f"score {nm.score:.3f}: breaks {broken}" + (f" ({short})" if short else ""),
                    indent=2,
                )
    for am in a.amendments:
        w.paragraph()
        names = " + ".join(f"'{x}'" for x in am.adopted)
        verb = "opens a deal" if am.opens_zopa else "does not open a deal"
        text = f"Amendment {names} {verb}"
        if am.resolved:
            idx = [f"({a.gaps.index(g) + 1})" for g in am.resolved if g in a.gaps]
            text += f"; it resolves conflict{'s' if len(idx) != 1 else ''} {_and(idx, ',')}"
        if am.opens_zopa and am.egalitarian is not None:
            size = f"{am.zopa_size:,}" if am.zopa_exact else f"at least {am.zopa_size:,}"
            text += (
                f"; {size} outcomes become acceptable; egalitarian deal: "
                f"{_terms(am.egalitarian.terms.items())}"
            )
        w.line(text + ".")
        if am.remaining:
            still = "; ".join(gap_sentence(g) for g in am.remaining)
            w.line(f"Still blocking: {still}.", indent=2)
    return w.text()
