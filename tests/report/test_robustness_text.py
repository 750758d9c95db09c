"""The robustness bottom line speaks as a reader does: names, not conclusion keys."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from detente.report.text.robustness import conclusion_name

NAMES = {"a": "Alpha", "b": "Beta"}


def _c(id: str, holds: bool = True, value: str | None = None) -> Any:
    return SimpleNamespace(id=id, holds=holds, value=value)


@pytest.mark.parametrize(
    ("conclusion", "said"),
    [
        (_c("zopa-nonempty", holds=False), "no deal"),
        (_c("zopa-nonempty", holds=True), "a deal"),
        (_c("gap:a/r1+b/reservation"), "the clash Alpha: r1 vs Beta's reservation"),
        (_c("cheapest-bridge", value="a/r1"), "the cheapest bridge"),
        (_c("nash-deal", value="x=1"), "the Nash deal"),
        (_c("egalitarian-deal", value="none"), "no egalitarian deal"),
        (_c("equilibrium:gmr:3"), "equilibrium:gmr:3"),
    ],
)
def test_conclusions_are_named_for_readers(conclusion: Any, said: str) -> None:
    assert conclusion_name(conclusion, NAMES) == said
