"""Scale benchmark of robustness runs (issue 10). One JSON line per measurement.

1. ``mc``: a generated scenario of 10^5 outcomes (8 issues: five integers of 5
   values, one of 8, two booleans), 4 parties with single-issue red lines, every
   weight and reservation varied by the default rule; ZOPA + Nash deal per draw.
   Draws per second of the vectorised Monte Carlo, and the point analysis
   (``analyze_deal`` on the document with the draw written in) once per draw, measured
   in the same run, with their ratio.
2. ``flip``: the exact ZOPA-opening (or closing) distance over the same 10^5 outcomes.
3. ``cairo``: the whole ``detente robustness`` process on the Cairo example with the
   default uncertainty and 10^4 draws: wall seconds and peak memory (MB).
4. ``dask`` (with ``--dask``): 10^5 draws of the Cairo example in-process and on a Dask
   LocalCluster of 2 workers: identical statistics, parallel efficiency.

    .venv/bin/python benchmarks/bench_robustness.py [--draws N] [--dask]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from typing import Any

import numpy as np

from detente.analysis.composite import analyze
from detente.deal.analysis import analyze_deal
from detente.robustness.apply import apply_draw
from detente.robustness.build import build_conclusions
from detente.robustness.conclusions import ConclusionSet
from detente.robustness.exact import flip_by_reservations
from detente.robustness.model import compile_model
from detente.robustness.runner import run_chunks
from detente.robustness.sampling import draw_chunk, estimates
from detente.scenario.checked import Scenario
from detente.scenario.uncertainty_checks import resolve_uncertainty


def scenario_document(seed: int = 0) -> dict[str, Any]:
    """The generated 10^5-outcome scenario (module docstring); deterministic in ``seed``."""
    rng = np.random.default_rng(seed)
    sizes = [5, 5, 5, 5, 5, 8]
    issues: list[dict[str, Any]] = [
        {"id": f"n{k}", "kind": "integer", "range": [0, n - 1]} for k, n in enumerate(sizes)
    ]
    issues += [{"id": f"b{k}", "kind": "boolean"} for k in range(2)]
    parties = [{"id": f"p{i}", "name": f"Party {i}"} for i in range(4)]
    positions: dict[str, Any] = {}
    for i in range(4):
        prios: dict[str, Any] = {}
        for issue in issues:
            w = float(rng.integers(1, 10)) / 10
            if issue["kind"] == "integer":
                values: Any = "increasing" if rng.random() < 0.5 else "decreasing"
            else:
                v = float(rng.integers(0, 11)) / 10
                values = {"false": v, "true": round(1 - v, 1)}
            prios[issue["id"]] = {"weight": w, "values": values}
        k = int(rng.integers(0, 6))
        op = ">=" if i % 2 == 0 else "<="
        bound = 1 if op == ">=" else sizes[k] - 2
        positions[f"p{i}"] = {
            "red_lines": [{"id": f"r{i}", "rule": f"n{k} {op} {bound}", "firmness": 5}],
            "priorities": prios,
            "reservation": 0.5,
        }
    return {"id": "bench-robustness", "title": "Robustness benchmark (generated)",
            "parties": parties, "issues": issues, "positions": positions}  # fmt: skip


def _line(**kw: Any) -> None:
    print(json.dumps(kw), flush=True)


def bench_mc(draws: int) -> None:
    s = Scenario.from_data(scenario_document())
    unc = resolve_uncertainty(s.document)
    t = time.perf_counter()
    model = compile_model(s, unc)
    compile_s = time.perf_counter() - t
    full = build_conclusions(model, analyze(s), unc)
    cs = ConclusionSet(
        tuple(c for c in full.conclusions if c.id in ("zopa-nonempty", "nash-deal")),
        full.combo_labels,
    )
    t = time.perf_counter()
    stats, _ = run_chunks(model, cs, unc, draws=draws, seed=1)
    mc_s = time.perf_counter() - t
    sample = draw_chunk(unc.varied, 1, 0, 5)
    t = time.perf_counter()
    for row in sample:
        doc = apply_draw(s.document, dict(zip(unc.addresses, row, strict=True)))
        analyze_deal(Scenario.from_document(doc), engine="enum")
    point_s = (time.perf_counter() - t) / len(sample)
    rate = draws / mc_s
    _line(bench="mc", outcomes=model.space.size, rows=model.n_rows, parties=4, issues=8,
          varied=len(unc.varied), draws=draws, compile_s=round(compile_s, 3),
          seconds=round(mc_s, 3), draws_per_s=round(rate, 1),
          point_analysis_s_per_draw=round(point_s, 4),
          speedup_vs_point=round(rate * point_s, 1),
          zopa_support=round(float(stats.holds[0]) / stats.n, 4))  # fmt: skip
    c = cs.conclusions[0]
    est = estimates(unc.varied)
    t = time.perf_counter()
    f = flip_by_reservations(model, unc, c, est)
    flip_s = time.perf_counter() - t
    _line(bench="flip", outcomes=model.space.size, conclusion=c.id, holds=c.holds,
          distance=None if f is None else round(f.distance, 6), seconds=round(flip_s, 4))  # fmt: skip


def bench_cairo(draws: int) -> None:
    cmd = [sys.executable, "-m", "detente", "robustness", "--draws", str(draws), "--format", "json"]
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, check=True)
    wall = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    doc = json.loads(out.stdout)
    _line(bench="cairo", draws=doc["completed"], seconds=round(wall, 2), peak_mb=round(peak, 1),
          conclusions=len(doc["conclusions"]))  # fmt: skip


def bench_dask(draws: int, repeat: int = 3) -> None:
    from distributed import LocalCluster

    from detente.report.json.robustness import robustness_document
    from detente.robustness.analysis import analyze_robustness
    from detente.scenario.loader import load

    s = load(str(__import__("detente").__path__[0]) + "/examples/cairo-2024-05.yaml")
    opts: dict[str, Any] = {"seed": 2, "intervals": False}
    t = time.perf_counter()
    local = analyze_robustness(s, draws=draws, **opts)
    local_s = time.perf_counter() - t
    t = time.perf_counter()
    cold = analyze_robustness(s, draws=draws, workers=2, **opts)
    cold_s = time.perf_counter() - t
    import dask

    from detente.robustness.runner import WORKER_ENV

    spawn = {**dask.config.get("distributed.nanny.pre-spawn-environ", {}), **WORKER_ENV}
    t = time.perf_counter()
    with (
        dask.config.set({"distributed.nanny.pre-spawn-environ": spawn}),
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster,
    ):
        start_s = time.perf_counter() - t
        analyze_robustness(s, draws=2000, address=cluster.scheduler_address, **opts)  # warm up
        warm_runs: list[float] = []
        for _ in range(repeat):
            t = time.perf_counter()
            warm = analyze_robustness(s, draws=draws, address=cluster.scheduler_address, **opts)
            warm_runs.append(time.perf_counter() - t)
    t = time.perf_counter()
    analyze_robustness(s, draws=0, **opts)  # the serial part: load, compile, conclusions
    serial_s = time.perf_counter() - t
    warm_s = min(warm_runs)
    docs = [json.dumps(robustness_document(x)) for x in (local, cold, warm)]
    _line(bench="dask", draws=draws, local_s=round(local_s, 2),
          local_cluster_2_workers_s=round(cold_s, 2), cluster_start_s=round(start_s, 2),
          warm_cluster_2_workers_s=[round(x, 2) for x in warm_runs],
          serial_part_s=round(serial_s, 2),
          efficiency_warm=round(local_s / (2 * warm_s), 3),
          efficiency_cold=round(local_s / (2 * cold_s), 3),
          identical=docs[0] == docs[1] == docs[2])  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=5000)
    ap.add_argument("--dask", action="store_true")
    args = ap.parse_args()
    bench_mc(args.draws)
    bench_cairo(10_000)
    if args.dask:
        bench_dask(100_000)


if __name__ == "__main__":
    main()
