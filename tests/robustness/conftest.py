"""Shared fixtures of the robustness tests: small scenarios with known answers."""

from __future__ import annotations

import textwrap

import detente

ANALYTIC = textwrap.dedent(
    """\
    id: analytic
    title: One reservation against the largest acceptable utility (illustrative)
    parties: [{id: a, name: A}, {id: b, name: B}]
    issues:
      - {id: x, kind: integer, range: [0, 10]}
    positions:
      a:
        red_lines: [{id: cap, rule: "x <= 7", firmness: 5}]
        priorities: {x: {weight: 1.0, values: increasing}}
        reservation: RES
      b:
        priorities: {x: {weight: 1.0, values: decreasing}}
        reservation: 0.0
    uncertainty:
      - {of: a.reservation, range: [0.5, 0.9]}
    """
)


def analytic(reservation: float) -> detente.Scenario:
    """a accepts x <= 7 with u_a = x/10 >= r: the largest acceptable utility m is 0.7."""
    return detente.loads(ANALYTIC.replace("RES", str(reservation)), "analytic.yaml")
