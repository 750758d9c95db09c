"""Strategy plug-ins: registration by class and through the ``detente.strategies`` group."""

from __future__ import annotations

from typing import Any

import pytest
from tests.simulate.scenarios import three_by_three

from detente.errors import DetenteError
from detente.scenario.checked import Scenario
from detente.simulate.simulation import simulate
from detente.simulate.strategies import registry
from detente.simulate.strategies.base import BOA, Parameter, StrategyInfo


class Stubborn(BOA):
    """The docs' example plug-in: offers its best, accepts above a floor."""

    info = StrategyInfo(
        "stubborn-test",
        "hardliner",
        True,
        (Parameter("floor", 0.9, "the utility it never goes below"),),
        "offers its best; accepts above floor",
        "tests",
    )

    def propose(self, step: int, t: float) -> int:
        return self.party.sorted.best

    def accepts(self, step: int, t: float, offer: int) -> bool:
        return bool(self.party.u[offer] >= float(self.params["floor"]))


class _EntryPoint:
    name = "stubborn-test"

    def load(self) -> type[Stubborn]:
        return Stubborn


def _fake_plugins(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """One fake ``detente.strategies`` plug-in, registry state restored afterwards; the
    entry-point groups scanned are recorded in the returned list."""
    seen: list[str] = []

    def fake(group: str) -> list[Any]:
        seen.append(group)
        return [_EntryPoint()]

    monkeypatch.setattr(registry, "entry_points", fake)
    monkeypatch.setattr(registry, "_loaded", False)
    monkeypatch.setattr(registry, "_strategies", dict(registry._strategies))
    return seen


def test_entry_point_plugins_are_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _fake_plugins(monkeypatch)
    assert "stubborn-test" in registry.strategies()
    assert seen == ["detente.strategies"]
    r = simulate(
        Scenario.from_data(three_by_three()),
        strategies={"A": "stubborn-test:floor=0.8", "B": "conceder"},
        steps=4,
    )
    # A offers a0b0 throughout; B (conceder) accepts it only when its level allows: never
    assert {a.terms["a"] + a.terms["b"] for a in r.trace if a.party == "A" and a.terms} == {"a0b0"}
    assert r.strategies["A"] == "stubborn-test:floor=0.8"


def test_register_refuses_a_clash_and_non_strategies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_strategies", dict(registry._strategies))
    registry.register(Stubborn)
    registry.register(Stubborn)  # the same class again: fine

    class Other(Stubborn):
        pass

    with pytest.raises(DetenteError, match="already registered"):
        registry.register(Other)
    with pytest.raises(DetenteError, match="neither a Negotiator nor a Condition"):
        registry.register(int)  # type: ignore[arg-type]


def test_built_in_names_resolve_without_scanning_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _fake_plugins(monkeypatch)
    assert registry.parse("boulware+ac_next").text == "boulware+ac_next"
    assert seen == []
    assert registry.parse("stubborn-test").name == "stubborn-test"  # unknown: plug-ins load
    assert seen == ["detente.strategies"]
