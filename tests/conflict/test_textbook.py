"""Textbook conflicts as data: each case's expected stability, reproduced exactly.

Cases live in tests/data/conflicts/textbook/ (NAME.yaml and NAME.expected.yaml; the
folder's README.md says what each expected result rests on). Both the engine and the
brute-force oracle, which compiles the file itself, must give the expected sets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

import detente
from detente.conflict.model import compile_conflict
from detente.conflict.stability import CONCEPTS, StabilityAnalysis, analyze_stability

from .oracle import Oracle

TEXTBOOK = Path(__file__).parent.parent / "data" / "conflicts" / "textbook"
CASES = sorted(p.name.removesuffix(".expected.yaml") for p in TEXTBOOK.glob("*.expected.yaml"))


def _yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _flip(state: str) -> str:
    return state.translate(str.maketrans("YN", "NY"))


def _engine(path: Path) -> tuple[StabilityAnalysis, list[str]]:
    result = analyze_stability(compile_conflict(detente.load(path)))
    return result, result.conflict.patterns()


def test_every_case_has_its_scenario() -> None:
    assert len(CASES) >= 5
    assert {p.stem for p in TEXTBOOK.glob("*.yaml")} == {
        *CASES,
        *(f"{c}.expected" for c in CASES),
    }


@pytest.mark.parametrize("case", CASES)
def test_textbook_case(case: str) -> None:
    expected = _yaml(TEXTBOOK / f"{case}.expected.yaml")
    assert expected["case"] == case and expected["sources"] and expected["checked_against"]
    want_eq = {c: set(expected["equilibria"][c]) for c in CONCEPTS}
    want = {c: {dm: set(v) for dm, v in expected["stable"][c].items()} for c in CONCEPTS}
    for dm in want["nash"]:  # Fang, Hipel & Kilgour (1993), sec. 3.6
        assert want["nash"][dm] <= want["smr"][dm] <= want["gmr"][dm]
        assert want["nash"][dm] <= want["seq"][dm] <= want["gmr"][dm]
    for c in CONCEPTS:
        assert want_eq[c] == set.intersection(*want[c].values())

    encodings = [(TEXTBOOK / f"{case}.yaml", False)]
    encodings += [(TEXTBOOK / e["file"], e["complement"]) for e in expected.get("equivalent", [])]
    for path, complement in encodings:

        def same(states: set[str], complement: bool = complement) -> set[str]:
            return {_flip(x) for x in states} if complement else states

        oracle = Oracle(_yaml(path))
        result, pats = _engine(path)
        for c in CONCEPTS:
            assert same({pats[e - 1] for e in result.equilibria(c)}) == want_eq[c], (path, c)  # type: ignore[arg-type]
            assert same(oracle.equilibria(c)) == want_eq[c], (path, c, "oracle")
            for dm, states in want[c].items():
                got = {pats[k] for k, ok in enumerate(result.stable[dm][c]) if ok}  # type: ignore[index]
                assert same(got) == states, (path, c, dm)
                assert same(oracle.stable_states(dm, c)) == states, (path, c, dm, "oracle")
        for imp in expected.get("improvements", []):
            state = _flip(imp["state"]) if complement else imp["state"]
            cert = result.certificate(imp["dm"], state, "nash")
            got = {pats[x.improvement - 1] for x in cert.improvements}
            assert same(got) == set(imp["to"]), (path, imp)
