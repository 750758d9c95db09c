"""``detente plot``: merged solution labels, acceptability colours, empty ZOPA, open proposals."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from detente.deal.analysis import DealAnalysis
from detente.report.plots.deal import (
    NO_ZOPA,
    _hover,
    _Labeller,
    acceptability_groups,
    figure,
    solution_groups,
)
from detente.space.sampling import sample_outcomes


def _texts(fig: Any) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def _legend(fig: Any) -> list[str]:
    return [t.name for t in fig.data if t.showlegend is not False and t.name]


def test_coincident_solutions_share_one_label(salary_analysis: DealAnalysis) -> None:
    fig = figure(salary_analysis)
    texts = _texts(fig)
    assert texts.count("Nash, Kalai-Smorodinsky, egalitarian") == 1
    assert "utilitarian" in texts
    assert not {"Nash", "Kalai-Smorodinsky", "egalitarian"} & set(texts)
    merged = [t for t in fig.data if t.name == "Nash, Kalai-Smorodinsky, egalitarian"]
    assert len(merged) == 1 and len(merged[0].x) == 1


def test_outcomes_are_coloured_by_who_accepts_them(salary_analysis: DealAnalysis) -> None:
    fig = figure(salary_analysis)
    by_name = {t.name: len(t.x) for t in fig.data if t.name and t.name.startswith("acceptable")}
    # the salary space is drawn whole: the ZOPA group is the ZOPA (17 outcomes, exactly)
    assert by_name["acceptable to every party (ZOPA)"] == salary_analysis.zopa.size == 17
    zopa = salary_analysis.zopa.parties
    union = next(p for p in zopa if p.party == "union").acceptable
    firm = next(p for p in zopa if p.party == "firm").acceptable
    assert by_name["acceptable to Union only"] == union - 17
    assert by_name["acceptable to Firm only"] == firm - 17
    assert sum(by_name.values()) == salary_analysis.space.size
    assert NO_ZOPA not in " ".join(_texts(fig))


def test_cairo_says_there_is_no_zopa_and_draws_the_open_proposal(
    cairo_analysis: DealAnalysis,
) -> None:
    fig = figure(cairo_analysis, max_points=3000)
    texts = _texts(fig)
    assert any(NO_ZOPA in t for t in texts)
    names = _legend(fig)
    assert "acceptable to Israel only" in names and "acceptable to Hamas only" in names
    assert "acceptable to every party (ZOPA)" not in names
    (cloud,) = [t for t in fig.data if t.name == "proposal-2024-05-06 (its 11 completions)"]
    assert len(cloud.x) == 11
    (label,) = [a for a in fig.layout.annotations if a.text.startswith("proposal-2024-05-06")]
    assert "female_civilian_hostages open: 11 completions" in label.text
    assert label.font.color not in (None, "#bbbbbb", "gray", "grey")
    assert label.bgcolor is not None  # boxed: legible over the points


def test_three_parties_get_one_panel_per_pair(climate_analysis: DealAnalysis) -> None:
    fig = figure(climate_analysis, max_points=2000)
    titles = [a.text for a in fig.layout.annotations if " vs " in a.text]
    assert titles == [
        "contributors vs emerging",
        "contributors vs vulnerable",
        "emerging vs vulnerable",
    ]
    names = _legend(fig)
    assert len(names) == len(set(names))  # one legend entry per thing, not per panel
    xaxes = {t.xaxis for t in fig.data if t.name == "acceptable to no party"}
    assert xaxes == {"x", "x2", "x3"}
    assert fig.layout.legend.x is not None  # legend sits in the free fourth cell


def test_solution_groups_merge_only_equal_points() -> None:
    pts = {
        "nash": np.array([0.5, 0.5]),
        "kalai_smorodinsky": np.array([0.5, 0.5 + 1e-12]),
        "egalitarian": np.array([0.4, 0.6]),
        "utilitarian": np.array([0.5, 0.5]),
    }
    groups = solution_groups(pts, (0, 1))
    assert [g for g, _ in groups] == [
        ("nash", "kalai_smorodinsky", "utilitarian"),
        ("egalitarian",),
    ]
    # on one axis only (a panel of a 3-party figure), more coincide
    assert len(solution_groups(pts, (0,))) == 2


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 4).flatmap(lambda k: arrays(np.bool_, st.tuples(st.integers(0, 30), st.just(k))))
)
def test_acceptability_groups_partition_by_brute_force(acc: np.ndarray[Any, Any]) -> None:
    k = acc.shape[1]
    names = [f"p{j}" for j in range(k)]
    groups = acceptability_groups(names, acc)
    cover = np.zeros(len(acc), dtype=int)
    for g in groups:
        assert g.mask.any()
        cover += g.mask
    assert (cover == 1).all()
    for r, row in enumerate(acc):
        (name,) = [g.name for g in groups if g.mask[r]]
        n = int(row.sum())
        if n == k:
            assert name == "acceptable to every party (ZOPA)"
        elif n == 0:
            assert name == "acceptable to no party"
        elif n == 1:
            assert name == f"acceptable to p{int(np.argmax(row))} only"
        else:
            assert name == "acceptable to some parties, not all"


def test_labels_at_one_point_do_not_overlap() -> None:
    lab = _Labeller(1000, 500, [])
    first = lab.place(0.5, 0.5, "Nash, Kalai-Smorodinsky")
    second = lab.place(0.5, 0.5, "utilitarian")
    assert first != second
    a, b = lab.taken
    assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_hover_lists_each_outcomes_display_terms(
    cairo_analysis: DealAnalysis, salary_analysis: DealAnalysis
) -> None:
    """The hover text, formatted column by column, against its definition per outcome."""
    for a in (cairo_analysis, salary_analysis):
        codes = sample_outcomes(a.space, 2_000).codes
        sc = a.space.scenario
        expected = [
            "<br>".join(f"{k}={v}" for k, v in sc.display_terms(t).items())
            for t in a.terms_of(codes)
        ]
        assert expected and _hover(a, codes) == expected
    assert _hover(cairo_analysis, np.zeros((0, len(cairo_analysis.space.domains)), np.int64)) == []
