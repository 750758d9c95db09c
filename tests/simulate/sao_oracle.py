"""A brute-force reference of the pinned SAO with time-based strategies (issue 12).

Written from the issue's text, independently of ``detente.simulate``: every offer scans
every outcome in a Python loop. Only the utilities and the red-line masks come from the
library (through a scenario whose reservations are relaxed, so the mask is the red lines
alone); levels, bounds, the lookup, acceptance and the protocol are re-derived here.
"""

from __future__ import annotations

from dataclasses import dataclass

from detente.scenario.checked import Scenario
from detente.simulate.arena import prepare, relaxed

EXPONENTS = {"boulware": 4.0, "linear": 1.0, "conceder": 0.25}
EPS = 1e-4


@dataclass
class OracleRun:
    trace: list[tuple[int, str, str, int]]  # (step, party, action, outcome or -1)
    agreement: int | None
    agreement_step: int | None
    steps: int


def oracle_sao(s: Scenario, strategies: dict[str, str], n_steps: int) -> OracleRun:
    """Play SAO exactly as the issue pins it (module docstring)."""
    free = relaxed(s, [f"{p}/reservation" for p in s.document.positions])
    arena = prepare(free)
    parties = list(arena.parties)
    size = arena.size
    u = [[float(x) for x in arena.utilities[i]] for i in range(len(parties))]
    keeps = [[bool(x) for x in arena.feasible[i]] for i in range(len(parties))]
    res = [float(s.document.positions[p].reservation.value) for p in parties]
    ok = [[keeps[i][x] and u[i][x] >= res[i] for x in range(size)] for i in range(len(parties))]
    bounds = []
    for i in range(len(parties)):
        kept = [u[i][x] for x in range(size) if keeps[i][x]]
        bounds.append((max(min(kept), res[i]), max(kept)) if kept else None)

    def level(i: int, t: float) -> float:
        lo, hi = bounds[i]  # type: ignore[misc]
        e = EXPONENTS[strategies[parties[i]]]
        return lo + (hi - lo) * (1.0 - t**e)

    def offer(i: int, t: float) -> int:
        bar = level(i, t) - EPS
        best = None
        for x in range(size):  # lowest utility >= bar; ties: lowest index
            if ok[i][x] and u[i][x] >= bar and (best is None or u[i][x] < u[i][best]):
                best = x
        if best is None:  # unreachable level: the best outcome, lowest index
            for x in range(size):
                if ok[i][x] and (best is None or u[i][x] > u[i][best]):
                    best = x
        assert best is not None
        return best

    trace: list[tuple[int, str, str, int]] = []
    standing, count = -1, 0
    for step in range(n_steps):
        t = (step + 1) / (n_steps + 1)
        for i, p in enumerate(parties):
            if bounds[i] is None or not any(ok[i]):
                trace.append((step, p, "end", -1))
                return OracleRun(trace, None, None, step + 1)
            if standing >= 0 and ok[i][standing] and u[i][standing] >= level(i, t) - EPS:
                trace.append((step, p, "accept", standing))
                count += 1
            else:
                standing, count = offer(i, t), 1
                trace.append((step, p, "offer", standing))
            if count == len(parties):
                return OracleRun(trace, standing, step, step + 1)
    return OracleRun(trace, None, None, n_steps)
