"""The move primitive against its definition, whole and in blocks of own sub-states."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from detente.conflict import moves
from detente.conflict.model import CompiledConflict, compile_conflict
from detente.conflict.moves import INF, MoveStructure, min_over_moves
from detente.scenario.loader import load_data

Arr = npt.NDArray[np.int64]


def _conflict(names: list[list[str]], irreversible: dict[str, str]) -> CompiledConflict:
    doc = {
        "id": "moves",
        "title": "moves",
        "parties": [{"id": f"d{d}", "name": f"D{d}"} for d in range(len(names))],
        "conflict": {
            "decision_makers": [{"party": f"d{d}", "options": o} for d, o in enumerate(names)],
            "irreversible": irreversible,
            "preferences": {f"d{d}": {"statements": [o[0]]} for d, o in enumerate(names)},
        },
    }
    return compile_conflict(load_data(doc, "moves.json"))


def _by_definition(own: int, fwd: int, bwd: int, x: Arr, u: Arr | None) -> Arr:
    """min x[t] over t that differs from s in the mover's bits only, one-way options kept."""
    out = np.full(x.size, INF, dtype=np.int64)
    for s in range(x.size):
        for t in range(x.size):
            diff = s ^ t
            if not diff or diff & ~own or diff & fwd & s or diff & bwd & ~s:
                continue
            if u is None or u[t] > u[s]:
                out[s] = min(out[s], x[t])
    return out


@pytest.mark.parametrize("block", [moves.BLOCK, 1, 5])
def test_min_over_moves_is_its_definition(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(moves, "BLOCK", block)  # 1: one own sub-state at a time
    rng = np.random.default_rng(8)
    for sizes in ([1, 2], [3, 1], [2, 2, 1], [1, 1, 1]):
        names = [[f"o{d}_{k}" for k in range(size)] for d, size in enumerate(sizes)]
        flat = [o for group in names for o in group]
        for trial in range(6):
            irreversible = {
                o: str(rng.choice(["forward", "backward"])) for o in flat if rng.random() < 0.4
            }
            if trial == 0:
                irreversible = {}  # every mover free
            cc = _conflict(names, irreversible)
            fwd = sum(1 << j for j, o in enumerate(flat) if irreversible.get(o) == "forward")
            bwd = sum(1 << j for j, o in enumerate(flat) if irreversible.get(o) == "backward")
            x = rng.integers(0, 5, size=1 << len(flat)).astype(np.int64)  # ties likely
            x[rng.random(x.size) < 0.2] = INF
            u = rng.integers(0, 3, size=x.size).astype(np.int64)
            for dm in cc.decision_makers:
                ms = MoveStructure.of(cc, dm)
                own = sum(1 << j for j in range(dm.lo, dm.hi))
                for improve in (None, u):
                    want = _by_definition(own, fwd, bwd, x, improve)
                    got = min_over_moves(ms, x.copy(), improve)
                    assert np.array_equal(got, want), (sizes, irreversible, dm.party)
