"""Published textbook conflicts: the stability results reproduced exactly.

Each table lists, per decision maker and concept, the stable states as Y/N strings
(options in declared order), as in the cited source's stability tables.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import detente
from detente.conflict.model import compile_conflict
from detente.conflict.stability import CONCEPTS, StabilityAnalysis, analyze_stability

DATA = Path(__file__).parent.parent / "data" / "conflicts"


def _run(name: str) -> StabilityAnalysis:
    return analyze_stability(compile_conflict(detente.load(DATA / f"{name}.yaml")))


def _stable(result: StabilityAnalysis, dm: str, concept: str) -> set[str]:
    pats = result.conflict.patterns()
    return {pats[k] for k, ok in enumerate(result.stable[dm][concept]) if ok}  # type: ignore[index]


def _equilibria(result: StabilityAnalysis, concept: str) -> set[str]:
    pats = result.conflict.patterns()
    return {pats[e - 1] for e in result.equilibria(concept)}  # type: ignore[arg-type]


def test_prisoners_dilemma() -> None:
    # Fang, Hipel & Kilgour (1993), ch. 3, and Kilgour & Hipel (2005, GDN 14:441-460),
    # prisoner's dilemma: mutual defection is the only Nash equilibrium; mutual
    # cooperation is also stable under GMR, SMR and SEQ (defecting invites defection).
    r = _run("prisoners-dilemma")
    assert _equilibria(r, "nash") == {"YY"}
    for c in ("gmr", "smr", "seq"):
        assert _equilibria(r, c) == {"NN", "YY"}
    # the exploited cooperator is unstable under every concept
    for c in CONCEPTS:
        assert "NY" not in _stable(r, "p1", c)
        assert "YN" not in _stable(r, "p2", c)


def test_chicken() -> None:
    # Fang, Hipel & Kilgour (1993), ch. 3; Kilgour & Hipel (2005): in chicken the two
    # "one swerves" states are Nash equilibria; mutual swerving is GMR and SMR stable
    # (going straight can be punished by the crash) but not SEQ (crashing does not
    # improve the sanctioner); the crash is stable under no concept.
    r = _run("chicken")
    assert _equilibria(r, "nash") == {"YN", "NY"}
    assert _equilibria(r, "gmr") == {"YN", "NY", "YY"}
    assert _equilibria(r, "smr") == {"YN", "NY", "YY"}
    assert _equilibria(r, "seq") == {"YN", "NY"}
    for dm in ("d1", "d2"):
        for c in CONCEPTS:
            assert "NN" not in _stable(r, dm, c)


def test_elmira_nash_equilibria() -> None:
    # Fang, Hipel & Kilgour (1993), ch. 5, and Hipel, Kilgour, Fang & Peng (1997),
    # Elmira: the equilibria are states 5, 8 and 9 of the published 9-state model:
    # (no modification, UR delays, LG insists), (modification, UR accepts, LG insists)
    # and UR abandoning its Elmira operation (here one tied state per combination of the
    # other options).
    r = _run("elmira")
    abandon = {"NNNYN", "YNNYN", "NNNYY", "YNNYY"}
    assert _equilibria(r, "nash") == {"NYNNY", "YNYNY"} | abandon
    # the MoE never gains by modifying its order: every state is stable for it
    assert all(r.stable["moe"]["nash"])


def test_elmira_status_quo_is_not_stable_for_lg() -> None:
    # ibid.: from the status quo (UR delays) the local government improves by insisting
    r = _run("elmira")
    assert not r.is_stable("lg", "NYNNN", "nash")
    cert = r.certificate("lg", "NYNNN", "nash")
    assert [r.conflict.patterns()[c.improvement - 1] for c in cert.improvements] == ["NYNNY"]


def test_cuban_missile_crisis() -> None:
    # Model of Fraser & Hipel (1984) as encoded in the GMCR+ examples. The historical
    # resolution (US blockade, USSR withdraws: NYYN) is sequentially stable for both
    # sides; escalation states are unstable for the USSR under every concept.
    r = _run("cuban-missile-crisis")
    assert "NYYN" in _equilibria(r, "seq")
    assert _equilibria(r, "nash") == {"YNYN"}
    assert _equilibria(r, "seq") == {"NNYN", "YNYN", "NYYN"}
    for c in CONCEPTS:
        assert not any(p.endswith("Y") for p in _stable(r, "ussr", c))


@pytest.mark.parametrize("name", ["prisoners-dilemma", "chicken", "cuban-missile-crisis", "elmira"])
def test_concept_inclusions(name: str) -> None:
    # Fang, Hipel & Kilgour (1993), sec. 3.6: Nash => SMR => GMR and Nash => SEQ => GMR
    r = _run(name)
    for dm in r.dm_ids:
        s = {c: _stable(r, dm, c) for c in CONCEPTS}
        assert s["nash"] <= s["smr"] <= s["gmr"]
        assert s["nash"] <= s["seq"] <= s["gmr"]
