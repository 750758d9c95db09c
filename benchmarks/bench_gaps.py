"""Scale benchmark of gaps and bridges with the CP-SAT engine (issue 4).

A generated scenario with 30 issues (10 choices of 3 options, 15 booleans, 5 integers
in [0, 20]: 3^10 * 2^15 * 21^5 ~ 7.9e15 outcomes), 4 parties and 200 red lines (50 per
party: bounds on integers, choice requirements, implications and sums, so that parties'
lines clash in small groups). Prints one JSON line per measurement with seconds:
the first 20 gaps (MUS), the cheapest bridge and the egalitarian deal after it.

    .venv/bin/python benchmarks/bench_gaps.py [--seed N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import numpy as np

from detente.backends.solver import SolverBackend
from detente.gaps.bridges import enumerate_bridges
from detente.gaps.mus import enumerate_gaps
from detente.scenario.loader import loads
from detente.space.demands import demands


def scenario_document(seed: int) -> dict[str, Any]:
    """The generated scenario (see module docstring); deterministic in ``seed``."""
    rng = np.random.default_rng(seed)
    issues: list[dict[str, Any]] = []
    issues += [{"id": f"c{k}", "kind": "choice", "options": ["o0", "o1", "o2"]} for k in range(10)]
    issues += [{"id": f"b{k}", "kind": "boolean"} for k in range(15)]
    issues += [{"id": f"n{k}", "kind": "integer", "range": [0, 20]} for k in range(5)]
    parties = [f"p{i}" for i in range(4)]
    positions: dict[str, Any] = {}
    for i, p in enumerate(parties):
        lines = []
        for j in range(50):
            kind = rng.integers(0, 5)
            if kind == 0:
                n = rng.integers(0, 5)
                op = ">=" if (i + j) % 2 == 0 else "<="
                rule = f"n{n} {op} {rng.integers(4, 17)}"
            elif kind == 1:
                rule = f"c{rng.integers(0, 10)} {'==' if rng.random() < 0.5 else '!='} 'o{rng.integers(0, 3)}'"
            elif kind == 2:
                rule = f"b{rng.integers(0, 15)} == {'true' if rng.random() < 0.5 else 'false'}"
            elif kind == 3:
                rule = f"b{rng.integers(0, 15)} implies c{rng.integers(0, 10)} in ['o{rng.integers(0, 3)}', 'o{rng.integers(0, 3)}']"
            else:
                a, b = rng.choice(5, 2, replace=False)
                rule = f"n{a} + n{b} {'<=' if rng.random() < 0.5 else '>='} {rng.integers(10, 31)}"
            lines.append({"id": f"r{j}", "rule": rule, "firmness": int(rng.integers(1, 11))})
        prios: dict[str, Any] = {}
        for k in rng.choice(30, 8, replace=False):
            iid = issues[int(k)]["id"]
            w = float(rng.integers(1, 5))
            if iid.startswith("c"):
                prios[iid] = {
                    "weight": w,
                    "values": {"o0": 0.0, "o1": 0.5, "o2": 1.0}
                    if rng.random() < 0.5
                    else {"o0": 1.0, "o1": 0.3},
                }
            elif iid.startswith("b"):
                prios[iid] = {
                    "weight": w,
                    "values": {"true": 1.0} if rng.random() < 0.5 else {"false": 1.0},
                }
            else:
                prios[iid] = {
                    "weight": w,
                    "values": "increasing" if rng.random() < 0.5 else "decreasing",
                }
        positions[p] = {
            "red_lines": lines,
            "priorities": prios,
            "reservation": {"value": 0.3, "firmness": 5},
        }
    return {
        "id": "bench-gaps",
        "title": "generated: 30 issues, 4 parties, 200 red lines",
        "parties": [{"id": p, "name": p} for p in parties],
        "issues": issues,
        "positions": positions,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gaps", type=int, default=20)
    args = ap.parse_args()
    s = loads(json.dumps(scenario_document(args.seed)), "bench.json")
    dems = demands(s)

    def emit(**row: Any) -> None:
        sys.stdout.write(json.dumps(row) + "\n")
        sys.stdout.flush()

    t0 = time.perf_counter()
    engine = SolverBackend(s, dems)
    t1 = time.perf_counter()
    emit(
        step="compile",
        outcomes=f"{engine.space.size:.3g}",
        demands=len(dems),
        seconds=round(t1 - t0, 3),
    )
    muses = enumerate_gaps(engine, args.gaps)
    t2 = time.perf_counter()
    sizes = sorted(len(m) for m in muses.muses)
    emit(step="gaps", found=len(muses.muses), sizes=sizes, seconds=round(t2 - t1, 3))
    bridges = enumerate_bridges(engine, 1, details=0)
    t3 = time.perf_counter()
    b = bridges.bridges[0] if bridges.bridges else None
    emit(
        step="cheapest_bridge",
        relax=len(b.relax) if b else None,
        cost=b.cost if b else None,
        seconds=round(t3 - t2, 3),
    )
    deal = None
    if b is not None:
        keep = frozenset(range(len(dems))) - frozenset(dems.index(d) for d in b.relax)
        deal = engine.deal(keep, "egalitarian")
    t4 = time.perf_counter()
    emit(
        step="egalitarian_after_bridge",
        value=round(deal.value, 6) if deal else None,
        optimal=deal.optimal if deal else None,
        seconds=round(t4 - t3, 3),
    )
    emit(step="total", seconds=round(t4 - t0, 3))


if __name__ == "__main__":
    main()
