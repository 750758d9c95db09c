"""Small scenarios whose traces are computed by hand in the tests (utilities tie-free)."""

from __future__ import annotations

from typing import Any

# Two issues of three options: 9 outcomes, enumerated a0b0, a0b1, a0b2, a1b0, ... a2b2.
# u_A = 0.7 v_a + 0.3 v_b and u_B = 0.4 v_a + 0.6 v_b, already 0 at worst and 1 at best:
#
#          b0    b1    b2            b0    b1    b2
#   A a0  1.00  0.85  0.70    B a0  0.00  0.42  0.60
#     a1  0.72  0.57  0.42      a1  0.12  0.54  0.72
#     a2  0.30  0.15  0.00      a2  0.40  0.82  1.00


def three_by_three(
    *,
    reservation_a: float = 0.0,
    reservation_b: float = 0.0,
    red_lines_a: tuple[str, ...] = (),
    third: bool = False,
) -> dict[str, Any]:
    """The 3x3 two-party scenario (a third party C when ``third``)."""
    parties = [
        {"id": "A", "name": "Party A", "role": "party"},
        {"id": "B", "name": "Party B", "role": "party"},
    ]
    positions: dict[str, Any] = {
        "A": {
            "red_lines": [
                {"id": f"a-rl{j}", "rule": r, "firmness": 5, "basis": "assumed"}
                for j, r in enumerate(red_lines_a)
            ],
            "priorities": {
                "a": {"weight": 0.7, "values": {"a0": 1.0, "a1": 0.6, "a2": 0.0}},
                "b": {"weight": 0.3, "values": {"b0": 1.0, "b1": 0.5, "b2": 0.0}},
            },
            "reservation": reservation_a,
        },
        "B": {
            "priorities": {
                "a": {"weight": 0.4, "values": {"a0": 0.0, "a1": 0.3, "a2": 1.0}},
                "b": {"weight": 0.6, "values": {"b0": 0.0, "b1": 0.7, "b2": 1.0}},
            },
            "reservation": reservation_b,
        },
    }
    if third:
        # u_C = 0.5 v_a + 0.5 v_b with a0 0, a1 1, a2 0.3 and b0 0.2, b1 0, b2 0.9:
        #          b0    b1    b2
        #   C a0  0.10  0.00  0.45
        #     a1  0.60  0.50  0.95 -> rescaled (max 0.95) below
        #     a2  0.25  0.15  0.60
        parties.append({"id": "C", "name": "Party C", "role": "party"})
        positions["C"] = {
            "priorities": {
                "a": {"weight": 0.5, "values": {"a0": 0.0, "a1": 1.0, "a2": 0.3}},
                "b": {"weight": 0.5, "values": {"b0": 0.2, "b1": 0.0, "b2": 0.9}},
            },
            "reservation": 0.0,
        }
    return {
        "id": "three-by-three",
        "title": "Three by three",
        "parties": parties,
        "issues": [
            {"id": "a", "kind": "choice", "options": ["a0", "a1", "a2"]},
            {"id": "b", "kind": "choice", "options": ["b0", "b1", "b2"]},
        ],
        "positions": positions,
    }
