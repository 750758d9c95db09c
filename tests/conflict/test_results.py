"""Result objects: records, DataFrame, certificates in words, comparison without a DM."""

from __future__ import annotations

from pathlib import Path

import pytest

import detente
from detente.conflict import analyze_stability, compare_without, compile_conflict

DATA = Path(__file__).parent.parent / "data" / "conflicts"


def test_dataframe_has_one_row_per_state() -> None:
    pd = pytest.importorskip("pandas")
    result = analyze_stability(compile_conflict(detente.load(DATA / "chicken.yaml")))
    df = result.to_dataframe()
    assert isinstance(df, pd.DataFrame)
    assert list(df.index) == [1, 2, 3, 4]
    assert df.loc[4, "d1_gmr"] and not df.loc[4, "d1_seq"]
    assert df["eq_nash"].tolist() == [False, True, True, False]


def test_certificate_explains_the_missing_sanction() -> None:
    result = analyze_stability(compile_conflict(detente.load(DATA / "chicken.yaml")))
    cert = result.certificate("d1", "YY", "seq")
    assert not cert.stable
    (check,) = cert.improvements
    assert not check.blocked and check.sanction is None
    assert "by improving moves" in cert.explain()


def test_comparison_without_a_decision_maker() -> None:
    cmp = compare_without(detente.load(DATA / "double-move-sanction.yaml"), ["c"])
    # without c, b's second move is pointless and a's improvement stands
    assert "NNNN" not in cmp.without_patterns("gmr")
    assert cmp.changed("gmr")
    assert all(len(p) == 4 for p in cmp.without_patterns("nash"))
