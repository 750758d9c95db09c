"""Status quo analysis: how the conflict can evolve from the status quo.

Which equilibria the decision makers can reach from the status quo by a sequence of
unilateral moves, and by a sequence of unilateral improvements (each move an
improvement for its mover), under the same rule as sanctions: no decision maker moves
twice in a row (Li, Hipel, Kilgour & Fang 2004, "Preference uncertainty in the graph
model", and Xu, Hipel, Kilgour & Fang 2018, ch. 9, status quo analysis). One shortest
path is returned for each reachable state.

Breadth-first search over (state, last mover) pairs, one level at a time, each level an
array operation over all states (:func:`detente.conflict.moves.min_over_moves` on the
inverse move relation picks a predecessor for every newly reached state).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.conflict.certificates import Move
from detente.conflict.moves import INF, MoveStructure, min_over_moves_fn, reverse
from detente.conflict.stability import CONCEPTS, Concept, StabilityAnalysis
from detente.errors import Problem, ScenarioError

__all__ = ["Reachability", "StatusQuoAnalysis", "reachability", "status_quo_analysis"]

Arr = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Reachability:
    """Shortest legal move sequences from one state, by unilateral moves or improvements.

    ``distance[k]`` is the number of moves to state id ``k + 1`` (-1 if unreachable; 0
    for the start). Paths are rebuilt from per-(state, last mover) parents.
    """

    start: int
    improving: bool
    distance: Arr
    _parent: Mapping[str, Arr]
    _parent_last: Mapping[str, Arr]
    _level: Mapping[str, Arr]
    _ids: Arr
    _dms: tuple[str, ...]

    def reachable(self, state: int) -> bool:
        """Whether state id ``state`` can be reached from the start."""
        return bool(self.distance[state - 1] >= 0)

    def path(self, state: int) -> tuple[Move, ...] | None:
        """One shortest sequence of moves from the start to ``state`` (None if unreachable)."""
        if not self.reachable(state):
            return None
        code = int(self._ids[state - 1])
        if self.distance[state - 1] == 0:
            return ()
        last = min(self._dms, key=lambda j: (self._level[j][code] < 0, self._level[j][code]))
        out: list[Move] = []
        c: int = code
        j: str | None = last
        while j is not None:
            out.append(Move(j, int(np.searchsorted(self._ids, c)) + 1))
            prev = int(self._parent[j][c])
            k = int(self._parent_last[j][c])
            c, j = prev, (self._dms[k] if k >= 0 else None)
        return tuple(reversed(out))


def reachability(analysis: StabilityAnalysis, start: int, *, improving: bool) -> Reachability:
    """States reachable from state id ``start`` (see module docstring)."""
    cc = analysis.conflict
    size = 1 << cc.n_options
    dms = cc.dm_ids
    rev = {d.party: reverse(MoveStructure.of(cc, d)) for d in cc.decision_makers}
    codes_all = np.arange(size, dtype=np.int64)
    s0 = cc.code_of(start)
    level = {j: np.full(size, -1, dtype=np.int64) for j in dms}
    parent = {j: np.full(size, -1, dtype=np.int64) for j in dms}
    parent_last = {j: np.full(size, -1, dtype=np.int64) for j in dms}
    # frontier[j]: states reached at the current level with last mover j; "start" has none
    start_front = np.zeros(size, dtype=bool)
    start_front[s0] = True
    frontier = {j: np.zeros(size, dtype=bool) for j in dms}
    # each mover's predecessor minimum prepared once for all the levels
    step = {
        j: min_over_moves_fn(rev[j], -analysis.utilities[j] if improving else None) for j in dms
    }
    depth = 0
    while True:
        depth += 1
        new_front = {}
        for jx, j in enumerate(dms):
            sources = start_front.copy() if depth == 1 else np.zeros(size, dtype=bool)
            for k in dms:
                if k != j:
                    sources |= frontier[k]
            if not sources.any():
                new_front[j] = np.zeros(size, dtype=bool)
                continue
            x = np.where(sources, codes_all, INF)
            pred = step[j](x)
            fresh = (pred < INF) & cc.feasible & (level[j] < 0)
            level[j][fresh] = depth
            parent[j][fresh] = pred[fresh]
            if depth > 1:
                p = pred[fresh]
                chosen = np.full(p.size, -1, dtype=np.int64)
                for kx, k in enumerate(dms):
                    if k != j:
                        pick = (chosen < 0) & frontier[k][p]
                        chosen[pick] = kx
                parent_last[j][fresh] = chosen
            new_front[j] = fresh
            del jx
        frontier = new_front
        start_front[:] = False
        if not any(f.any() for f in frontier.values()):
            break
    best = np.full(size, -1, dtype=np.int64)
    for j in dms:
        lv = level[j]
        better = (lv >= 0) & ((best < 0) | (lv < best))
        best[better] = lv[better]
    best[s0] = 0
    return Reachability(
        int(start), improving, best[cc.codes], parent, parent_last, level, cc.codes, dms
    )


@dataclass(frozen=True, eq=False)
class StatusQuoAnalysis:
    """Equilibria reachable from the status quo, by moves and by improvements."""

    status_quo: int
    by_moves: Reachability
    by_improvements: Reachability
    equilibria: Mapping[Concept, tuple[int, ...]]

    def rows(self) -> list[dict[str, object]]:
        """One dict per (concept, equilibrium): reachability and one shortest path each."""
        out: list[dict[str, object]] = []
        for c in CONCEPTS:
            for e in self.equilibria[c]:
                pm = self.by_moves.path(e)
                pi = self.by_improvements.path(e)
                out.append(
                    {
                        "concept": c,
                        "state": e,
                        "reachable_by_moves": pm is not None,
                        "moves_path": None
                        if pm is None
                        else [{"dm": m.dm, "to": m.to} for m in pm],
                        "reachable_by_improvements": pi is not None,
                        "improvements_path": None
                        if pi is None
                        else [{"dm": m.dm, "to": m.to} for m in pi],
                    }
                )
        return out


def status_quo_analysis(
    analysis: StabilityAnalysis, status_quo: int | str | None = None
) -> StatusQuoAnalysis:
    """Reachability of every equilibrium from the status quo (the conflict's, by default)."""
    cc = analysis.conflict
    if status_quo is None:
        if cc.status_quo_code is None:
            raise ScenarioError(
                [
                    Problem(
                        "the conflict has no status quo (or it involves a fixed option)",
                        ("conflict", "status_quo"),
                        hint="add 'status_quo: \"NY...\"' to the conflict section",
                    )
                ]
            )
        sq = int(cc.state_id(cc.status_quo_code))
    else:
        sq = int(cc.state_id(cc.code_of(status_quo)))
    eq = {c: tuple(analysis.equilibria(c)) for c in CONCEPTS}
    return StatusQuoAnalysis(
        sq,
        reachability(analysis, sq, improving=False),
        reachability(analysis, sq, improving=True),
        eq,
    )
