"""The Cairo claims of docs/simulation.md hold (and its Python example runs)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import detente
from detente.simulate.simulation import simulate

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "simulation.md").read_text(encoding="utf-8")
CAIRO = ROOT / "src" / "detente" / "examples" / "cairo-2024-05.yaml"
RATIONAL = {"israel": "rational", "hamas": "rational"}


@pytest.fixture(scope="module")
def cairo() -> Any:
    return detente.load(CAIRO)


def test_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    block = re.findall(r"```python\n(.*?)```", DOC, re.S)[0]
    monkeypatch.chdir(ROOT)
    ns: dict[str, Any] = {}
    exec(compile(block, "docs/simulation.md", "exec"), ns)  # the page's own code
    r = ns["r"]
    assert r.agreement is None and (r.steps, r.reason) == (100, "deadline")
    assert r.trace[0].party == "israel" and r.trace[0].action == "offer"


@pytest.mark.parametrize("relax", [(), ("cheapest",)])
def test_sao_finds_no_agreement(cairo: Any, relax: tuple[str, ...]) -> None:
    for a in ("boulware", "conceder"):
        r = simulate(cairo, strategies={"israel": a, "hamas": "linear"}, steps=300, relax=relax)
        assert r.agreement is None and r.reason == "deadline"
    if relax:
        assert r.reference is not None and r.reference.zopa_size == 143
        assert r.metrics is not None and r.metrics.distance_nash == pytest.approx(0.0153, abs=1e-4)


def test_single_text_with_the_amendment_finds_none(cairo: Any) -> None:
    r = simulate(
        cairo,
        protocol="single-text",
        mediator="bridge",
        strategies=RATIONAL,
        steps=300,
        unlock=True,
    )
    assert r.agreement is None and r.reason == "converged" and r.steps == 86
    votes = [(a.party, a.action, a.objection) for a in r.trace[1:3]]
    assert votes == [("israel", "accept", None), ("hamas", "reject", "prisoner_selection")]


def test_single_text_after_the_bridge_reaches_the_nash_deal(cairo: Any) -> None:
    agreed = []
    for seed in range(6):
        r = simulate(
            cairo,
            protocol="single-text",
            mediator="bridge",
            strategies=RATIONAL,
            steps=300,
            relax=["cheapest"],
            seed=seed,
        )
        if r.agreement is not None:
            assert r.reference is not None and r.reference.nash is not None
            assert dict(r.agreement.utilities) == pytest.approx(dict(r.reference.nash.utilities))
            assert r.metrics is not None and r.metrics.on_frontier
        agreed.append(r.agreement is not None)
    assert agreed == [False, True, True, False, True, True]
