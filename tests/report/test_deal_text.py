"""``detente analyze`` text: thinned frontier, compact terms, red-line table, 80/140 columns."""

from __future__ import annotations

import io
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from detente.deal.analysis import DealAnalysis
from detente.report.text.deal import MAX_ROWS, analysis_renderables, compact_terms, spread_rows


def render(a: DealAnalysis, width: int) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=False, color_system=None)
    for part in analysis_renderables(a):
        console.print(part)
    return buf.getvalue()


@pytest.mark.parametrize("width", [80, 140])
def test_cairo_reads_well_at_80_and_140_columns(cairo_analysis: DealAnalysis, width: int) -> None:
    out = render(cairo_analysis, width)
    assert max(len(line) for line in out.splitlines()) <= width
    assert "…" not in out  # nothing truncated
    for rl in ("living-before-bodies", "choose-prisoners-without-veto", "no-permanent-ceasefire"):
        assert rl in out  # red-line ids whole, in their own table
    assert "Israel keeps a veto" in out  # labels next to ids
    block = out.split("Pareto frontier of the whole space (347 points)")[1].split("\n\n")[0]
    rows = [line for line in block.splitlines() if line.startswith("│") and "." in line[:12]]
    assert len(rows) == MAX_ROWS
    assert "337 more; --format json for all" in " ".join(block.split())
    assert "same in every row: female_civilian_hostages=0" in block


def test_frontier_rows_show_only_differing_terms(salary_analysis: DealAnalysis) -> None:
    out = render(salary_analysis, 100)
    block = out.split("Pareto frontier of the ZOPA")[1].split("\n\n")[0]
    assert "same in every row: remote=true" in block
    assert "remote=" not in block.split("same in every row")[0]
    assert "17 of the 66 outcomes are acceptable to every party" in out


def test_compact_terms_by_hand() -> None:
    rows = [
        {"a": 1, "b": "x", "c": True},
        {"a": 2, "b": "x", "c": False},
    ]
    texts, common = compact_terms(rows)
    assert texts == ["a=1, c=True", "a=2, c=False"]
    assert common == "b=x"
    assert compact_terms([{"a": 1}]) == (["a=1"], "")  # one row: nothing to factor out
    assert compact_terms([]) == ([], "")


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 500), st.integers(2, 15))
def test_spread_rows_are_even_and_keep_the_ends(n: int, most: int) -> None:
    rows = spread_rows(n, most)
    assert rows == sorted(set(rows))
    assert len(rows) == min(n, most)
    if n:
        assert rows[0] == 0 and rows[-1] == n - 1
    if n > most:
        gaps = [b - a for a, b in itertools.pairwise(rows)]
        assert max(gaps) - min(gaps) <= 1
