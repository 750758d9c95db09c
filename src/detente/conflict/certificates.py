"""Certificates of stability claims: each improvement with the sanction that blocks it.

For decision maker i at state s under a concept, the certificate lists every unilateral
improvement ``s1`` in ``R_i^+(s)``; for each, the sanction ``s2`` (the state, least
preferred by i, that the other decision makers can reach from ``s1`` under the concept's
rules) and one shortest legal sequence of moves from ``s1`` to ``s2``; or the fact that
no sanction exists. The state is stable exactly when every improvement is blocked.
Built on demand for one state (a breadth-first search over (state, last mover) pairs),
from the minima the vectorised engine kept.
"""

from __future__ import annotations

import weakref
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from detente.conflict.concepts import Concept
from detente.conflict.model import CompiledConflict
from detente.conflict.moves import INF, MoveStructure, neighbours

Arr = npt.NDArray[np.int64]

# The move structures of a conflict, built once for all its certificates (a table of
# certificates asks for one per state, decision maker and concept).
_MOVES: weakref.WeakKeyDictionary[CompiledConflict, dict[str, MoveStructure]] = (
    weakref.WeakKeyDictionary()
)


def _moves(cc: CompiledConflict) -> dict[str, MoveStructure]:
    moves = _MOVES.get(cc)
    if moves is None:
        moves = {d.party: MoveStructure.of(cc, d) for d in cc.decision_makers}
        for ms in moves.values():
            for a in ms.allowed:
                a.flags.writeable = False  # shared by every later certificate
        _MOVES[cc] = moves
    return moves


class Analysed(Protocol):
    """What a certificate reads from a stability analysis (its arrays, per decision maker)."""

    @property
    def conflict(self) -> CompiledConflict: ...

    @property
    def utilities(self) -> Mapping[str, Arr]: ...

    @property
    def ranks(self) -> Mapping[str, Arr]: ...

    @property
    def stable(self) -> Mapping[str, Mapping[Concept, npt.NDArray[np.bool_]]]: ...

    @property
    def reach(self) -> Mapping[str, Mapping[Concept, Arr]]: ...


__all__ = ["Move", "ImprovementCheck", "Certificate", "certificate", "sanction_path"]


@dataclass(frozen=True)
class Move:
    """One unilateral move: ``dm`` moves the conflict to state ``to`` (a state id)."""

    dm: str
    to: int


@dataclass(frozen=True)
class ImprovementCheck:
    """One improvement of the focal decision maker and whether it is sanctioned."""

    improvement: int
    blocked: bool
    sanction: int | None
    path: tuple[Move, ...]
    reason: str


@dataclass(frozen=True)
class Certificate:
    """Why ``state`` is (un)stable for ``dm`` under ``concept``."""

    dm: str
    state: int
    concept: str
    stable: bool
    improvements: tuple[ImprovementCheck, ...]

    def explain(self) -> str:
        """A plain-language account, one line per improvement."""
        head = f"state {self.state} is {'stable' if self.stable else 'unstable'} for {self.dm} ({self.concept.upper()})"
        if not self.improvements:
            return head + f": {self.dm} has no unilateral improvement"
        lines = [head + ":"]
        for chk in self.improvements:
            lines.append(f"  - move to {chk.improvement}: {chk.reason}")
        return "\n".join(lines)


def sanction_path(
    analysis: Analysed, movers: list[MoveStructure], start: int, goal: int, improving: bool
) -> tuple[Move, ...]:
    """A shortest legal sequence (no decision maker twice in a row) from ``start`` to ``goal``."""
    cc = analysis.conflict
    utils = analysis.utilities
    parent: dict[tuple[int, str | None], tuple[tuple[int, str | None], str] | None] = {
        (start, None): None
    }
    queue: deque[tuple[int, str | None]] = deque([(start, None)])
    while queue:
        node = queue.popleft()
        code, last = node
        for ms in movers:
            j = ms.dm.party
            if j == last:
                continue
            for t in neighbours(cc, ms, code):
                t = int(t)
                if improving and not utils[j][t] > utils[j][code]:
                    continue
                nxt = (t, j)
                if nxt in parent:
                    continue
                parent[nxt] = (node, j)
                if t == goal:
                    path: list[Move] = []
                    cur: tuple[int, str | None] = nxt
                    while parent[cur] is not None:
                        prev = parent[cur]
                        assert prev is not None
                        path.append(Move(prev[1], int(cc.state_id(cur[0]))))
                        cur = prev[0]
                    return tuple(reversed(path))
                queue.append(nxt)
    raise AssertionError("sanction witness not reachable: engine and search disagree")


def certificate(analysis: Analysed, dm: str, state: int | str, concept: Concept) -> Certificate:
    """Certificate of ``state`` for ``dm`` under ``concept`` (see module docstring)."""
    cc = analysis.conflict
    n = cc.n_options
    code = cc.code_of(state)
    sid = int(cc.state_id(code))
    moves = _moves(cc)
    u = analysis.utilities[dm]
    rank_s = int(analysis.ranks[dm][sid - 1])
    targets = [int(t) for t in neighbours(cc, moves[dm], code) if u[t] > u[code]]
    others = [moves[k] for k in moves if k != dm]
    checks: list[ImprovementCheck] = []
    for s1 in targets:
        id1 = int(cc.state_id(s1))
        if concept == "nash":
            checks.append(
                ImprovementCheck(
                    id1, False, None, (), f"{dm} prefers state {id1} (Nash ignores responses)"
                )
            )
            continue
        m = int(analysis.reach[dm][concept][id1 - 1])
        if m == INF:
            checks.append(ImprovementCheck(id1, False, None, (), _none_reason(concept, id1)))
            continue
        s2 = m & ((1 << n) - 1)
        id2 = int(cc.state_id(s2))
        blocked = (m >> n) <= rank_s
        path = (
            sanction_path(analysis, others, s1, s2, improving=concept == "seq") if blocked else ()
        )
        if blocked:
            seq = ", then ".join(f"{mv.dm} moves to {mv.to}" for mv in path)
            extra = (
                f" and {dm} cannot escape from it to a state it prefers to {sid}"
                if concept == "smr"
                else ""
            )
            reason = (
                f"sanctioned: {seq}, reaching {id2}, which {dm} does not prefer to {sid}{extra}"
            )
        else:
            reason = (
                f"not sanctioned: every state the others can reach from {id1}"
                + (" by improving moves" if concept == "seq" else "")
                + (
                    f" is one {dm} prefers to {sid}"
                    if concept != "smr"
                    else f" lets {dm} end above {sid}"
                )
            )
        checks.append(ImprovementCheck(id1, bool(blocked), id2 if blocked else None, path, reason))
    stable = all(c.blocked for c in checks)
    expected = bool(analysis.stable[dm][concept][sid - 1])
    assert stable == expected, "certificate disagrees with the engine"
    return Certificate(dm, sid, concept, stable, tuple(checks))


def _none_reason(concept: str, id1: int) -> str:
    how = "by improving moves" if concept == "seq" else "at all"
    return f"not sanctioned: the others cannot move from {id1} {how}"
