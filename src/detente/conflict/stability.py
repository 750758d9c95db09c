"""Nash, GMR, SMR and SEQ stability for n decision makers, with certificates.

Definitions (Fang, Hipel & Kilgour 1993, sec. 3.2-3.4; Fang, Hipel & Kilgour 1989,
EJOR 41; Xu, Hipel, Kilgour & Fang 2018, ch. 4), for decision maker i at state s, with
``u_i`` its preference (a total preorder):

- Nash: ``R_i^+(s)`` is empty.
- GMR: every ``s1`` in ``R_i^+(s)`` has an ``s2`` in ``R_{N-i}(s1)`` with ``u_i(s2) <= u_i(s)``.
- SMR: as GMR, and also every ``s3`` in ``R_i(s2)`` has ``u_i(s3) <= u_i(s)``.
- SEQ: as GMR, with ``s2`` in ``R^+_{N-i}(s1)``.

``R_{N-i}(s1)`` holds the states the other decision makers reach from ``s1`` by a legal
sequence of one or more unilateral moves, no decision maker moving twice in a row (a
decision maker may move again later); in ``R^+_{N-i}`` each move improves its mover.

Because preferences are total preorders, "some sanction exists" is "the least preferred
(for i) reachable state is not preferred to s". That minimum is a fixed point over
(state, last mover) pairs: ``D_j(t) = min over t' in R_j(t) of min(v(t'), min_{k != j} D_k(t'))``,
iterated with :func:`~detente.conflict.moves.min_over_moves` until nothing changes (a
Bellman-Ford sweep, each step an array operation over every state). Values carry the
witness state in their low bits, so each minimum comes with its sanction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from detente.conflict.certificates import Certificate, certificate
from detente.conflict.concepts import CONCEPTS, Concept
from detente.conflict.model import CompiledConflict, Mask
from detente.conflict.moves import INF, MoveStructure, max_over_moves, min_over_moves_fn
from detente.conflict.preferences import utilities as compute_utilities
from detente.results import dataframe

__all__ = ["CONCEPTS", "Concept", "StabilityAnalysis", "analyze_stability", "coalition_min"]

Arr = npt.NDArray[np.int64]


def coalition_min(
    values: Arr,
    movers: Sequence[MoveStructure],
    feasible: Mask,
    improve: Mapping[str, Arr] | None = None,
    *,
    prepared: Mapping[str, Callable[[Arr], Arr]] | None = None,
) -> tuple[Arr, int]:
    """Least value over ``R_{N-i}(s)`` (or ``R^+_{N-i}(s)``) for every code ``s``.

    Parameters
    ----------
    values
        Value of each code (``INF`` at infeasible codes); ties are broken by whatever
        the low bits hold (the witness code).
    movers
        Move structures of the coalition's members (the decision makers other than i).
    improve
        Utilities per member: when given, every move must improve its mover (``R^+``).
    prepared
        Each member's ``min_over_moves_fn(ms, improve[member])`` (or without ``improve``),
        when the caller has them already; else prepared here.

    Returns
    -------
    (minimum per code, ``INF`` when nothing is reachable; number of sweeps)
    """
    size = values.size
    best = {ms.dm.party: np.full(size, INF, dtype=np.int64) for ms in movers}
    # each mover's minimum prepared once: the sweeps repeat it on new values
    step = dict(prepared) if prepared is not None else {}
    for ms in movers:
        if ms.dm.party not in step:
            j = ms.dm.party
            step[j] = min_over_moves_fn(ms, None if improve is None else improve[j])
    sweeps = 0
    changed = True
    while changed:
        changed = False
        sweeps += 1
        for ms in movers:
            j = ms.dm.party
            others = [best[k] for k in best if k != j]
            stop_or_go = np.minimum.reduce([values, *others]) if others else values
            stop_or_go = np.where(feasible, stop_or_go, INF)
            new = step[j](stop_or_go)
            new[~feasible] = INF
            if (new < best[j]).any():
                best[j] = np.minimum(best[j], new)
                changed = True
    total = np.minimum.reduce(list(best.values())) if best else np.full(size, INF, dtype=np.int64)
    return total, sweeps


@dataclass(frozen=True, eq=False)
class StabilityAnalysis:
    """Stability of every feasible state for every decision maker under four concepts.

    Arrays are indexed by state id - 1. For each decision maker and concept:
    ``stable``; ``improvement``: the code of the decisive improvement (the best one for
    Nash, otherwise the hardest to sanction; -1 if none); ``sanction``: the code of the
    sanction against that improvement (-1 if none exists). ``reach`` keeps, per state,
    the least-preferred (for the focal decision maker) reachable value used to decide, so
    :meth:`certificate` can explain every improvement of a state.
    """

    conflict: CompiledConflict
    utilities: Mapping[str, Arr]
    ranks: Mapping[str, Arr]
    stable: Mapping[str, Mapping[Concept, Mask]]
    improvement: Mapping[str, Mapping[Concept, Arr]]
    sanction: Mapping[str, Mapping[Concept, Arr]]
    reach: Mapping[str, Mapping[Concept, Arr]]
    sweeps: int
    method: str = "vectorised fixed point over (state, last mover); exact"

    @property
    def dm_ids(self) -> tuple[str, ...]:
        """Party ids of the decision makers, in bit order."""
        return self.conflict.dm_ids

    def equilibrium_mask(self, concept: Concept) -> Mask:
        """States stable for every decision maker under ``concept``."""
        out = np.ones(self.conflict.n_states, dtype=bool)
        for dm in self.dm_ids:
            out &= self.stable[dm][concept]
        return out

    def equilibria(self, concept: Concept) -> list[int]:
        """State ids of the equilibria under ``concept``."""
        return [int(i) + 1 for i in np.flatnonzero(self.equilibrium_mask(concept))]

    def is_stable(self, dm: str, state: int | str, concept: Concept) -> bool:
        """Whether ``state`` (id or Y/N pattern) is stable for ``dm`` under ``concept``."""
        code = self.conflict.code_of(state)
        return bool(self.stable[dm][concept][int(self.conflict.state_id(code)) - 1])

    def certificate(self, dm: str, state: int | str, concept: Concept) -> Certificate:
        """Every improvement of ``dm`` from ``state``, each with its sanction (and path)."""
        return certificate(self, dm, state, concept)

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per state: id, options, stability per decision maker and concept."""
        rows: list[dict[str, Any]] = []
        eq = {c: self.equilibrium_mask(c) for c in CONCEPTS}
        for k, pattern in enumerate(self.conflict.patterns()):
            row: dict[str, Any] = {"id": k + 1, "options": pattern}
            for dm in self.dm_ids:
                for c in CONCEPTS:
                    row[f"{dm}_{c}"] = bool(self.stable[dm][c][k])
            for c in CONCEPTS:
                row[f"eq_{c}"] = bool(eq[c][k])
            rows.append(row)
        return rows

    def to_dataframe(self) -> Any:
        """A pandas DataFrame of :meth:`to_records`, indexed by state id (needs ``[pandas]``)."""
        return dataframe(self.to_records(), index="id")


def _dense_rank(u: Arr, feasible: Mask) -> tuple[Arr, int]:
    """Ranks 0..R-1 of the utility at feasible codes (ties share a rank), -1 elsewhere."""
    levels, inverse = np.unique(u[feasible], return_inverse=True)
    rank = np.full(u.size, -1, dtype=np.int64)
    rank[feasible] = inverse
    return rank, int(levels.size)


def analyze_stability(
    cc: CompiledConflict,
    utilities: Mapping[str, Arr] | None = None,
    *,
    reuse: StabilityAnalysis | None = None,
    changed: str | None = None,
) -> StabilityAnalysis:
    """Nash, GMR, SMR and SEQ stability of every feasible state for every decision maker.

    Parameters
    ----------
    cc
        A compiled conflict (:func:`detente.conflict.model.compile_conflict`).
    utilities
        Utility arrays over all codes per decision maker; computed from the conflict's
        preferences when omitted.
    reuse, changed
        The analysis of the same conflict under utilities that differ from
        ``utilities`` in decision maker ``changed``'s alone. Another decision maker's
        Nash, GMR and SMR stability do not depend on ``changed``'s preferences (their
        sanctions are any moves, sec. 3.2-3.3 of Fang et al. 1993), so they are taken
        from ``reuse`` and only its SEQ (credible sanctions: improvements) is computed
        again. ``sweeps`` then counts the sweeps done.
    """
    utils = dict(utilities) if utilities is not None else compute_utilities(cc)
    n = cc.n_options
    feasible = cc.feasible
    codes_all = np.arange(1 << n, dtype=np.int64)
    low = (1 << n) - 1
    moves = {d.party: MoveStructure.of(cc, d) for d in cc.decision_makers}
    # every mover's minimum over its moves and over its improvements, prepared once: each
    # serves the coalition of every other decision maker, sweep after sweep
    any_move = {j: min_over_moves_fn(ms) for j, ms in moves.items()}
    improving = {j: min_over_moves_fn(ms, utils[j]) for j, ms in moves.items()}
    ranks: dict[str, Arr] = {}
    stable: dict[str, dict[Concept, Mask]] = {}
    impr: dict[str, dict[Concept, Arr]] = {}
    sanc: dict[str, dict[Concept, Arr]] = {}
    reach: dict[str, dict[Concept, Arr]] = {}
    sweeps = 0
    fid = cc.codes
    for d in cc.decision_makers:
        i = d.party
        rank, levels = _dense_rank(utils[i], feasible)
        ranks[i] = rank[fid]
        ms = moves[i]
        others = [moves[k] for k in moves if k != i]
        key = np.where(feasible, (rank << n) | codes_all, INF)
        kept = reuse is not None and changed is not None and i != changed
        concepts: tuple[Concept, ...] = ("seq",) if kept else ("gmr", "smr", "seq")
        if reuse is not None and kept:
            st: dict[Concept, Mask] = {c: reuse.stable[i][c] for c in ("nash", "gmr", "smr")}
            im: dict[Concept, Arr] = {c: reuse.improvement[i][c] for c in st}
            sa: dict[Concept, Arr] = {c: reuse.sanction[i][c] for c in st}
            re: dict[Concept, Arr] = {c: reuse.reach[i][c] for c in st}
            values: dict[Concept, Arr] = {"seq": key}
        else:
            # Nash: the best improvement, if any
            best = -improving[i](-np.where(feasible, key, -INF))  # the max over improvements
            has_impr = best > -INF
            st = {"nash": ~has_impr[fid]}
            im = {"nash": np.where(has_impr, best & low, -1)[fid]}
            sa = {"nash": np.full(fid.size, -1, dtype=np.int64)}
            re = {"nash": np.full(fid.size, INF, dtype=np.int64)}
            # value of a sanction end state for SMR: i's best state among s2 and R_i(s2)
            counter = max_over_moves(ms, np.where(feasible, rank, -INF))
            smr_rank = np.maximum(rank, counter)
            values = {
                "gmr": key,
                "seq": key,
                "smr": np.where(feasible, (smr_rank << n) | codes_all, INF),
            }
        for c in concepts:
            seq = c == "seq"
            m, k = coalition_min(
                values[c],
                others,
                feasible,
                utils if seq else None,
                prepared=improving if seq else any_move,
            )
            sweeps += k
            unsanctioned = levels + 1  # worse than any rank: no sanction at all
            m_rank = np.where(m == INF, unsanctioned, m >> n)
            hardest = -improving[i](-np.where(feasible, (m_rank << n) | codes_all, -INF))
            ok = (hardest == -INF) | ((hardest >> n) <= rank)
            s1 = np.where(hardest > -INF, hardest & low, -1)
            s2 = np.where(
                s1 >= 0, np.where(m[np.maximum(s1, 0)] == INF, -1, m[np.maximum(s1, 0)] & low), -1
            )
            st[c] = ok[fid]
            im[c] = s1[fid]
            sa[c] = s2[fid]
            re[c] = m[fid]
        stable[i], impr[i], sanc[i], reach[i] = st, im, sa, re
    return StabilityAnalysis(
        conflict=cc,
        utilities=utils,
        ranks=ranks,
        stable=stable,
        improvement=impr,
        sanction=sanc,
        reach=reach,
        sweeps=sweeps,
    )
