"""Irreconcilable gaps: minimal unsatisfiable subsets (MUS) of the demands.

Definition (DESIGN.md): a gap is a set of demands that no outcome satisfies together,
every proper subset of which some outcome does satisfy. Gaps are enumerated with MARCO
(Liffiton, Previti, Malik & Marques-Silva 2016, "Fast, flexible MUS enumeration",
Constraints 21(2), Algorithm 1): a *map* SAT solver (python-sat) over one variable per
demand holds the subsets not yet explored; each maximal unexplored seed is checked by the
engine; a satisfiable seed is grown to a maximal satisfiable subset and everything below
it blocked, an unsatisfiable one is shrunk to a MUS (deletion, helped by the engine's
unsat cores) and everything above it blocked. Seeds are biased to maximal sets (positive
phases), so MUSes come early: the first N gaps of a large scenario are cheap.

python-sat holds the map because it is an incremental SAT solver (clauses added between
calls, no re-solving from scratch); the demands themselves stay in the engine, which
knows issue domains, derived quantities and utilities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from detente.backends.base import Backend, Witness
from detente.space.demands import Demand

__all__ = ["Gap", "MusEnumeration", "enumerate_gaps", "shrink", "grow", "as_gaps"]


@dataclass(frozen=True)
class Gap:
    """A minimal set of demands that cannot hold together, with the demands themselves."""

    demands: tuple[Demand, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        """Keys of the clashing demands, in declared order."""
        return tuple(d.key for d in self.demands)

    @property
    def parties(self) -> tuple[str, ...]:
        """Parties whose demands clash, each once, in the order of their first demand."""
        return tuple(dict.fromkeys(d.party for d in self.demands))


@dataclass(frozen=True)
class MusEnumeration:
    """MUSes found (as demand-index sets, in discovery order) and whether that is all."""

    muses: tuple[frozenset[int], ...]
    complete: bool
    witness: Witness | None  # an outcome satisfying every demand, if there is one


def shrink(engine: Backend, unsat: frozenset[int]) -> frozenset[int]:
    """A MUS inside ``unsat`` (deletion-based; each unsat answer's core prunes more)."""
    current = unsat
    for j in sorted(unsat):
        if j not in current:
            continue
        w, core = engine.solve(current - {j})
        if w is None:
            current = core if core <= current - {j} and core else current - {j}
    return current


def grow(engine: Backend, seed: frozenset[int], witness: Witness, universe: int) -> frozenset[int]:
    """A maximal satisfiable set containing ``seed``; witnesses add what they satisfy."""
    current = seed | witness.satisfied
    for j in range(universe):
        if j in current:
            continue
        w, _ = engine.solve(current | {j})
        if w is not None:
            current = current | {j} | w.satisfied
    return current


def enumerate_gaps(engine: Backend, limit: int = 50) -> MusEnumeration:
    """Up to ``limit`` MUSes of ``engine.demands`` by MARCO (see module docstring)."""
    n = len(engine.demands)
    everything = frozenset(range(n))
    w, core = engine.solve(everything)
    if w is not None:
        return MusEnumeration((), True, w)
    from pysat.solvers import Solver  # the SAT map loads only when there is a gap to find

    muses: list[frozenset[int]] = []
    complete = False
    with Solver(name="g3") as map_solver:
        map_solver.set_phases([j + 1 for j in range(n)])
        first = True
        while len(muses) < limit:
            if not map_solver.solve():
                complete = True
                break
            model = map_solver.get_model() or []
            seed = frozenset(j for j in range(n) if j < len(model) and model[j] > 0)
            if first:  # the full set is known unsat; start from its core
                sw: Witness | None = None
                seed_core = core
                first = False
            else:
                sw, seed_core = engine.solve(seed)
            if sw is not None:
                mss = grow(engine, seed, sw, n)
                map_solver.add_clause([j + 1 for j in range(n) if j not in mss])
            else:
                mus = shrink(engine, seed_core)
                muses.append(mus)
                map_solver.add_clause([-(j + 1) for j in sorted(mus)])
        else:
            complete = not map_solver.solve()
    return MusEnumeration(tuple(muses), complete, None)


def as_gaps(demands: Sequence[Demand], muses: Sequence[frozenset[int]]) -> tuple[Gap, ...]:
    """MUS index sets as :class:`Gap` objects (demands in declared order)."""
    return tuple(Gap(tuple(demands[j] for j in sorted(m))) for m in muses)
