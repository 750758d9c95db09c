"""Near misses: when no outcome satisfies every demand, the outcomes that come closest.

Definition (ours; the issue asks for "total weighted violation"): the weighted violation
of outcome x is

    sum of firmness over the red lines x violates
    + sum over parties i of firmness_i x max(0, r_i - u_i(x))

so a red line counts fully or not at all, while a reservation counts by how far the
party falls short of it. Outcomes violating an ``absolute`` red line are not near misses.
One near miss is reported per distinct set of violated demands (its best outcome), the
sets ordered by weighted violation: "violate only this, by this much" alternatives rather
than many outcomes that differ in what nobody cares about. The engines compute them
(:meth:`detente.backends.base.Backend.near_misses`); this module is the entry point.
"""

from __future__ import annotations

from detente.backends.base import Backend, NearMiss

__all__ = ["near_misses", "NearMiss", "NEAR_MISSES"]

NEAR_MISSES = 5


def near_misses(engine: Backend, k: int = NEAR_MISSES) -> tuple[NearMiss, ...]:
    """Up to ``k`` near misses, least weighted violation first (see module docstring)."""
    if k <= 0:
        return ()
    return engine.near_misses(k)
