"""A few outcomes of a wide space get their utilities without the utility tables.

:meth:`OutcomeSpace.utility_matrix` computes a small chunk's terms from its own codes
while the tables (whole issue ranges) are not built; the numbers must be bit-identical
to the tabulated path, for every kind of value function and for restricted spaces.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.scenario.loader import loads
from detente.space.outcomes import OutcomeSpace

WIDE = """
id: wide
title: a wide integer issue, a piecewise one, a choice, a flag and an unvalued issue
parties: [{id: a, name: A}, {id: b, name: B}, {id: c, name: C}]
issues:
  - {id: amount, kind: integer, range: [0, 50000]}
  - {id: years, kind: integer, range: [1, 9]}
  - {id: venue, kind: choice, options: [cairo, geneva, online]}
  - {id: public, kind: boolean}
  - {id: spare, kind: integer, range: [0, 50]}
positions:
  a:
    priorities:
      amount: {weight: 3, values: increasing}
      years: {weight: 1.7, values: {1: 0.2, 4: 1.0, 9: 0.1}}
      venue: {weight: 0.3, values: {cairo: 1, geneva: 0.35, online: 0}}
  b:
    priorities:
      amount: {weight: 2.2, values: decreasing}
      public: {weight: 1, values: {"true": 0.9, "false": 0.0}}
  c:
    priorities:
      years: {weight: 1, values: decreasing}
      venue: {weight: 0.7, values: {cairo: 0, geneva: 1, online: 0.6}}
"""


SCENARIO = loads(WIDE)
RESTRICT = {"amount": [5, 77, 40001, 49999], "years": [2, 3, 8]}
_TABULATED: dict[bool, OutcomeSpace] = {}


def _tabulated(restricted: bool) -> OutcomeSpace:
    """One space per restriction with its tables built (spaces are never mutated)."""
    if restricted not in _TABULATED:
        space = OutcomeSpace(SCENARIO, restrict=RESTRICT if restricted else None)
        _ = space.position_tables  # builds the tables
        _TABULATED[restricted] = space
    return _TABULATED[restricted]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 200), st.booleans())
def test_untabulated_rows_equal_the_tables(seed: int, n: int, restricted: bool) -> None:
    space = OutcomeSpace(SCENARIO, restrict=RESTRICT if restricted else None)
    idx = np.random.default_rng(seed).integers(0, space.size, n)
    direct = space.utility_matrix(space.chunk_of_codes(space.codes_of(idx)))
    assert "_utility_tables" not in space.__dict__  # the tables were not built
    twin = _tabulated(restricted)
    tabulated = twin.utility_matrix(twin.chunk_of_codes(twin.codes_of(idx)))
    assert direct.tobytes() == tabulated.tobytes()
