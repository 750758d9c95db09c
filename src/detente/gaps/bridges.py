"""Bridges: minimal correction sets (MCS) of the demands, cheapest first.

Definition (DESIGN.md): a bridge is a set C of relaxable demands such that the other
demands can all hold (relaxing C opens a ZOPA) and no proper subset of C does; its cost
is the sum of its demands' firmness; ``absolute`` demands are never relaxed. MCSes are
the complements of the maximal satisfiable subsets and exactly the minimal hitting sets
of the gaps' relaxable parts (Reiter 1987; Liffiton & Sakallah 2008, sec. 3).

Enumeration in cost order: the k-th bridge is a cheapest correction set containing no
bridge already found (each found one adds a clause "one of these demands holds"). With
positive costs such a cheapest set is minimal, hence an MCS, and no cheaper MCS can have
been skipped: this is weighted MaxSAT with blocking clauses (Marques-Silva et al. 2013,
"On computing minimal correction subsets", IJCAI). Each bridge carries its evidence: the
number of outcomes it opens and the Nash and egalitarian deals over them, with the
relaxed reservations' disagreement point set to 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from detente.backends.base import Backend
from detente.space.bargaining import Deal
from detente.space.demands import Demand

__all__ = ["Bridge", "BridgeEnumeration", "enumerate_bridges", "ALL_BRIDGES", "COUNT_CAP"]

ALL_BRIDGES = 50  # report every bridge when there are at most this many
COUNT_CAP = 1_000  # outcomes the solver engine counts before saying "at least"


@dataclass(frozen=True)
class Bridge:
    """A minimal set of demands to relax, what it costs and what it opens.

    ``zopa_size`` counts outcomes satisfying every other demand; when ``zopa_exact`` is
    False it is a lower bound ("at least", solver engine, capped at :data:`COUNT_CAP`).
    ``zopa_size`` and the deals are None for bridges listed beyond ``details``.
    """

    relax: tuple[Demand, ...]
    cost: int
    zopa_size: int | None
    zopa_exact: bool
    nash: Deal | None
    egalitarian: Deal | None

    @property
    def keys(self) -> tuple[str, ...]:
        """Keys of the demands to relax, in declared order."""
        return tuple(d.key for d in self.relax)


@dataclass(frozen=True)
class BridgeEnumeration:
    """Bridges found (minimal correction sets, cheapest first) and whether that is all."""

    bridges: tuple[Bridge, ...]
    complete: bool  # True when every MCS is listed


def enumerate_bridges(
    engine: Backend,
    limit: int = ALL_BRIDGES,
    *,
    details: int | None = None,
    count_cap: int = COUNT_CAP,
) -> BridgeEnumeration:
    """Bridges cheapest first, up to ``limit``; ZOPA size and deals for the first ``details``.

    Parameters
    ----------
    engine:
        An enumeration or solver engine.
    limit:
        How many MCSes to list at most.
    details:
        For how many of them (cheapest first) to compute ZOPA size and deals; all when None.
    """
    found: list[frozenset[int]] = []
    out: list[Bridge] = []
    n = len(engine.demands)
    complete = False
    while len(found) < limit:
        got = engine.cheapest_correction(found)
        if got is None:
            complete = True
            break
        relax, _ = got
        if not relax:  # every demand already holds: nothing to bridge
            complete = True
            break
        found.append(relax)
        keep = frozenset(range(n)) - relax
        detailed = details is None or len(out) < details
        size, exact = engine.count(keep, count_cap) if detailed else (None, False)
        out.append(
            Bridge(
                relax=tuple(engine.demands[j] for j in sorted(relax)),
                cost=sum(engine.demands[j].cost for j in relax),
                zopa_size=size,
                zopa_exact=exact,
                nash=engine.deal(keep, "nash") if detailed else None,
                egalitarian=engine.deal(keep, "egalitarian") if detailed else None,
            )
        )
    else:
        complete = engine.cheapest_correction(found) is None
    return BridgeEnumeration(tuple(out), complete)
