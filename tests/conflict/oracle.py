"""Brute-force GMCR stability, definition by definition (Fang, Hipel & Kilgour 1993).

Deliberately naive: explicit Python sets, one state at a time. Used only as the oracle
that the vectorised engine must match.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from detente.conflict.model import CompiledConflict

Utils = Mapping[str, npt.NDArray[np.int64]]


def unilateral(cc: CompiledConflict, dm: str, s: int) -> set[int]:
    """R_i(s): feasible states i reaches by changing only its own options, legally."""
    d = cc.dm(dm)
    out: set[int] = set()
    for t in map(int, cc.codes):
        if t == s:
            continue
        ok = True
        for j in range(cc.n_options):
            a, b = s >> j & 1, t >> j & 1
            if a == b:
                continue
            if not d.lo <= j < d.hi:
                ok = False
            elif cc.forward[j] and a == 1:
                ok = False
            elif cc.backward[j] and a == 0:
                ok = False
        if ok:
            out.add(t)
    return out


def improvements(cc: CompiledConflict, u: Utils, dm: str, s: int) -> set[int]:
    return {t for t in unilateral(cc, dm, s) if u[dm][t] > u[dm][s]}


def coalition(
    cc: CompiledConflict, u: Utils, members: list[str], s: int, improving: bool
) -> set[int]:
    """R_{N-i}(s) (or R+): reachable by >= 1 moves, no member moving twice in a row."""
    seen: set[tuple[int, str]] = set()
    stack: list[tuple[int, str | None]] = [(s, None)]
    while stack:
        x, last = stack.pop()
        for j in members:
            if j == last:
                continue
            nxt = improvements(cc, u, j, x) if improving else unilateral(cc, j, x)
            for t in nxt:
                if (t, j) not in seen:
                    seen.add((t, j))
                    stack.append((t, j))
    return {t for t, _ in seen}


def stability(cc: CompiledConflict, u: Utils) -> dict[str, dict[str, list[bool]]]:
    out: dict[str, dict[str, list[bool]]] = {}
    dms = list(cc.dm_ids)
    for i in dms:
        others = [j for j in dms if j != i]
        res: dict[str, list[bool]] = {c: [] for c in ("nash", "gmr", "smr", "seq")}
        for s in map(int, cc.codes):
            imp = improvements(cc, u, i, s)
            res["nash"].append(not imp)
            gmr = smr = seq = True
            for s1 in imp:
                reach = coalition(cc, u, others, s1, improving=False)
                if not any(u[i][s2] <= u[i][s] for s2 in reach):
                    gmr = False
                if not any(
                    u[i][s2] <= u[i][s] and all(u[i][s3] <= u[i][s] for s3 in unilateral(cc, i, s2))
                    for s2 in reach
                ):
                    smr = False
                reach_plus = coalition(cc, u, others, s1, improving=True)
                if not any(u[i][s2] <= u[i][s] for s2 in reach_plus):
                    seq = False
            res["gmr"].append(gmr)
            res["smr"].append(smr)
            res["seq"].append(seq)
        out[i] = res
    return out


def distances(cc: CompiledConflict, u: Utils, start: int, improving: bool) -> dict[int, int]:
    """Fewest moves from ``start`` to each reachable state (no DM twice in a row)."""
    from collections import deque

    best = {start: 0}
    seen = {(start, None)}
    queue: deque[tuple[int, str | None, int]] = deque([(start, None, 0)])
    while queue:
        x, last, d = queue.popleft()
        for j in cc.dm_ids:
            if j == last:
                continue
            nxt = improvements(cc, u, j, x) if improving else unilateral(cc, j, x)
            for t in nxt:
                if (t, j) not in seen:
                    seen.add((t, j))
                    best.setdefault(t, d + 1)
                    queue.append((t, j, d + 1))
    return best
