"""Benchmark: GMCR stability (Nash, GMR, SMR, SEQ for every decision maker) at scale.

Random conflicts with ``n`` options split evenly across 4 decision makers, 5 random
option-prioritization statements per decision maker, one infeasibility rule (six
options all taken: removes 1/64 of the states) and one
irreversible option per decision maker. Reports wall time of compile + preferences +
all four concepts for all decision makers, fixed-point sweeps, and peak memory
(tracemalloc peak of the analysis, plus the process's maximum resident set size).

    .venv/bin/python benchmarks/bench_conflict.py            # 8..20 options
    .venv/bin/python benchmarks/bench_conflict.py 16         # one size
"""

from __future__ import annotations

import json
import resource
import sys
import time
import tracemalloc

import numpy as np

from detente.conflict.model import compile_conflict
from detente.conflict.stability import CONCEPTS, analyze_stability
from detente.scenario import loads


def random_conflict(n: int, seed: int = 0, dms: int = 4) -> str:
    rng = np.random.default_rng(seed)
    sizes = [n // dms + (1 if k < n % dms else 0) for k in range(dms)]
    options = [f"o{k}" for k in range(n)]
    groups, pos = [], 0
    for d, size in enumerate(sizes):
        groups.append({"party": f"dm{d}", "options": options[pos : pos + size]})
        pos += size

    def literal() -> str:
        o = options[int(rng.integers(n))]
        return o if rng.random() < 0.5 else f"not {o}"

    def statement() -> str:
        op = ["and", "or", "implies", "iff"][int(rng.integers(4))]
        return literal() if rng.random() < 0.4 else f"{literal()} {op} {literal()}"

    prefs = {f"dm{d}": {"statements": [statement() for _ in range(5)]} for d in range(dms)}
    irreversible = {g["options"][0]: "forward" for g in groups}
    doc = {
        "id": f"bench-{n}",
        "title": f"benchmark {n} options",
        "parties": [{"id": f"dm{d}", "name": f"DM {d}"} for d in range(dms)],
        "conflict": {
            "decision_makers": groups,
            "infeasible": [" and ".join(options[k * n // 6] for k in range(6))],
            "irreversible": irreversible,
            "preferences": prefs,
        },
    }
    return json.dumps(doc)


def run(n: int) -> dict[str, float]:
    scenario = loads(random_conflict(n), f"bench-{n}.json")
    tracemalloc.start()
    t0 = time.perf_counter()
    cc = compile_conflict(scenario)
    result = analyze_stability(cc)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    eq = {c: len(result.equilibria(c)) for c in CONCEPTS}
    return {
        "options": n,
        "states": cc.n_states,
        "seconds": round(elapsed, 3),
        "sweeps": result.sweeps,
        "peak_mb": round(peak / 2**20, 1),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        **{f"eq_{c}": v for c, v in eq.items()},
    }


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [8, 10, 12, 14, 16, 18, 20]
    print("options  states     seconds  sweeps  peak MB  max RSS MB  equilibria nash/gmr/smr/seq")
    for n in sizes:
        r = run(n)
        print(
            f"{r['options']:>7}  {r['states']:>9,}  {r['seconds']:>7.2f}  {r['sweeps']:>6}  "
            f"{r['peak_mb']:>7.1f}  {r['rss_mb']:>10.1f}  "
            f"{r['eq_nash']}/{r['eq_gmr']}/{r['eq_smr']}/{r['eq_seq']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
