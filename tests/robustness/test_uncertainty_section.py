"""The ``uncertainty`` section: the issue's minimal form loads, refusals are located."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import detente
from detente.errors import ScenarioError
from detente.scenario.uncertainty_checks import (
    DEFAULT_RULE,
    load_uncertainty,
    resolve_uncertainty,
)

BASE = textwrap.dedent(
    """\
    id: t
    title: t
    sources: [{id: s, title: S}]
    parties: [{id: a, name: A}, {id: b, name: B}]
    issues:
      - {id: x, kind: integer, range: [0, 10]}
      - {id: y, kind: choice, options: [o1, o2]}
    positions:
      a:
        red_lines: [{id: r0, rule: "x >= 1", firmness: 4}]
        priorities:
          x: {weight: 0.5, values: increasing}
          y: {weight: 0.5, values: {o1: 1.0, o2: 0.0}}
        reservation: 0.5
      b:
        red_lines: [{id: r1, rule: "x <= 8", firmness: 6, basis: reported, source: s}]
        priorities:
          x: {weight: 0.5, values: decreasing}
          y: {weight: 0.5, values: {o1: 0.2, o2: 1.0}}
        reservation: {value: 0.4, basis: reported, source: s}
    """
)

# the minimal form (a contract), with b's reservation assumed as written there
MINIMAL = """\
uncertainty:                 # optional top-level section; each entry varies one assumed number
  - of: a.reservation        # party.reservation
    range: [0.3, 0.7]        # uniform between the bounds
  - of: a.weight.x           # party.weight.ISSUE
    range: [0.2, 0.8]
  - of: b.firmness.r1        # party.firmness.RED_LINE_ID
    range: [3, 9]
  - of: b.value.y.o1         # party.value.ISSUE.OPTION (choice and boolean issues)
    range: [0.1, 0.6]
"""


def _load(extra: str) -> detente.Scenario:
    return detente.loads(BASE + extra, "t.yaml")


def _problems(extra: str) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        _load(extra)
    return [f"{p.line}:{p.message}|{p.hint}" for p in err.value.problems]


def test_the_minimal_form_loads_and_resolves() -> None:
    s = _load(MINIMAL)
    u = resolve_uncertainty(s.document)
    assert u.addresses == ("a.reservation", "a.weight.x", "b.firmness.r1", "b.value.y.o1")
    assert [(v.lo, v.hi, v.estimate) for v in u.varied] == [
        (0.3, 0.7, 0.5),
        (0.2, 0.8, 0.5),
        (3.0, 9.0, 6.0),
        (0.1, 0.6, 0.2),
    ]
    assert all(v.distribution == "uniform" for v in u.varied)
    assert not u.default


def test_triangular_and_dirichlet() -> None:
    s = _load(
        "uncertainty:\n"
        "  - {of: a.weight.y, triangular: [0.2, 0.5, 0.8]}\n"
        "  - {of: b.weights, dirichlet: 20}\n"
    )
    u = resolve_uncertainty(s.document)
    tri, *dirichlet = u.varied
    assert (tri.distribution, tri.mode, tri.lo, tri.hi) == ("triangular", 0.5, 0.2, 0.8)
    assert [v.address for v in dirichlet] == ["b.weight.x", "b.weight.y"]
    assert {v.kappa for v in dirichlet} == {20.0}
    assert {v.group for v in dirichlet} == {"b"}


@pytest.mark.parametrize(
    ("entry", "line", "message", "hint"),
    [
        ("  - {of: b.reservation, range: [0.3, 0.5]}", 22, "reported fact", "basis: assumed"),
        ("  - {of: a.weight.z, range: [0.2, 0.8]}", 22, "no number 'a.weight.z'", "a.weight.x"),
        ("  - {of: b.firmness.r1, range: [3, 11]}", 22, "leaves the domain", "[3, 10]"),
        (
            "  - {of: a.reservation, range: [0.6, 0.7]}",
            22,
            "does not contain the stated value 0.5",
            "move the range",
        ),
        ("  - {of: a.reservation, dirichlet: 3}", 22, "all of a party's weights", "a.weights"),
        ("  - {of: a.weights, range: [0, 1]}", 22, "dirichlet", "dirichlet: 50"),
        ("  - {of: a.reservation, range: [0.7, 0.3]}", 22, "is empty", None),
        (
            "  - {of: a.reservation, range: [0.3, 0.7], triangular: [0.3, 0.5, 0.7]}",
            22,
            "exactly one",
            None,
        ),
    ],
)
def test_refusals_are_located_with_a_hint(
    entry: str, line: int, message: str, hint: str | None
) -> None:
    (problem,) = _problems("uncertainty:\n" + entry + "\n")
    at, rest = problem.split(":", 1)
    assert int(at) == line
    assert message in rest
    if hint is not None:
        assert hint in rest.split("|", 1)[1]


def test_the_default_when_absent() -> None:
    s = _load("")
    u = resolve_uncertainty(s.document)
    assert u.default and u.notes == (DEFAULT_RULE,)
    by = {v.address: v for v in u.varied}
    assert (by["a.weight.x"].lo, by["a.weight.x"].hi) == (0.25, 0.75)
    assert by["a.reservation"].lo == pytest.approx(0.4)
    assert by["a.reservation"].hi == pytest.approx(0.6)
    assert (by["a.firmness.r0"].lo, by["a.firmness.r0"].hi) == (2.0, 6.0)
    assert (by["b.firmness.r1"].lo, by["b.firmness.r1"].hi) == (4.0, 8.0)  # firmness: assumed
    assert "b.reservation" not in by  # reported
    assert "a.value.y.o2" not in by  # zero stays zero
    assert (by["b.value.y.o2"].lo, by["b.value.y.o2"].hi) == (0.5, 1.0)  # clipped


def test_an_uncertainty_file_is_checked_against_the_scenario(tmp_path: Path) -> None:
    s = _load("")
    good = tmp_path / "u.yaml"
    good.write_text(MINIMAL)
    entries = load_uncertainty(good, s.document)
    assert next(e.of for e in entries) == "a.reservation"
    bad = tmp_path / "bad.yaml"
    bad.write_text("uncertainty:\n  - of: a.reservation\n    range: [0.6, 0.7]\n")
    with pytest.raises(ScenarioError) as err:
        load_uncertainty(bad, s.document)
    (p,) = err.value.problems
    assert (p.file, p.line) == (str(bad), 3)
    shape = tmp_path / "shape.yaml"
    shape.write_text("uncertainty:\n  - of: a.reservation\n    rnage: [0.3, 0.7]\n")
    with pytest.raises(ScenarioError) as err:
        load_uncertainty(shape, s.document)
    assert err.value.problems[0].line == 3
    other = tmp_path / "other.yaml"
    other.write_text("positions: {}\n")
    with pytest.raises(ScenarioError, match="no top-level 'uncertainty'"):
        load_uncertainty(other, s.document)


def test_a_weight_order_loads_and_is_checked() -> None:
    s = _load(
        "uncertainty:\n  - {of: a.weights, dirichlet: 5}\n  - {of: a.weights, order: [x, y]}\n"
    )
    u = resolve_uncertainty(s.document)
    assert u.orders == ((("a.weight.x", 0.5), ("a.weight.y", 0.5)),)
    (p,) = _problems("uncertainty:\n  - {of: a.weights, order: [x, z]}\n")
    assert "no weight on 'z'" in p
    (p,) = _problems("uncertainty:\n  - {of: a.weights, order: [x, y]}\n")
    assert "none of these weights of a varies" in p
    (p,) = _problems("uncertainty:\n  - {of: a.reservation, order: [x, y]}\n")
    assert "constrains one party's weights" in p


def test_orders_going_round_in_a_circle_are_refused_at_the_closing_one() -> None:
    dirichlet = "uncertainty:\n  - {of: a.weights, dirichlet: 5}\n"
    (p,) = _problems(dirichlet + "  - {of: a.weights, order: [x, y]}\n"
                     "  - {of: a.weights, order: [y, x]}\n")  # fmt: skip
    closing = BASE.count("\n") + 4  # the line of the second order
    assert p.startswith(f"{closing}:") and "'y' both above and below 'x'" in p
    assert "drop one" in p
    # a chain that only agrees with itself is fine, and so are repeated orders
    _load(dirichlet + "  - {of: a.weights, order: [x, y]}\n  - {of: a.weights, order: [x, y]}\n")
