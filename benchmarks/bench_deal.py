"""Deal-analysis benchmark: detente against NegMAS on the same seeded scenarios.

Each measurement runs in its own subprocess (clean peak RSS, a timeout for slow runs)
and prints one JSON line: case, engine, outcomes, seconds, peak_rss_mib, frontier size,
Nash utilities, and for NegMAS rows the NegMAS/detente time ratio and whether both
found the same frontier and Nash point. NegMAS (``pip install -e '.[bench]'``) is
optional: without it only detente rows are printed.

Cases (random additive scenarios, choice issues of 10 options, seeded):

- ``enum``: 2 and 3 parties, 10^3..10^7 outcomes (3 parties up to 10^6). detente:
  ``analyze_deal(engine="enum")``, the full enumerated analysis (ZOPA counts, frontier of
  the ZOPA and of the whole space, four bargaining solutions, proposal scores); NegMAS:
  ``pareto_frontier`` over all outcomes + ``nash_points``.
- ``opposed3``: 3 parties whose per-issue values are mostly opposed (Dirichlet), 10^6.
- ``redlines3``: 3 parties, 10^7 outcomes, red lines across issues (detente only:
  NegMAS has no red lines).
- ``merge2`` / ``merge3``: ``analyze_deal(engine="merge")``, the additive merge path, on
  10^12 outcomes for 2 parties (NegMAS: ``MOBANOSParetoSampler``) and 10^9 for 3
  parties (NegMAS has nothing to compare), random and opposed values.

Usage::

    python benchmarks/bench_deal.py            # full run (about 15 minutes with NegMAS)
    python benchmarks/bench_deal.py --quick    # small sizes, a minute or two
    python benchmarks/bench_deal.py --cases enum merge2 --max-exp 6 --timeout 300
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from typing import Any

import numpy as np

OPTIONS = 10  # options per issue: 10^n outcomes with n issues


def scenario(
    parties: int, n_issues: int, seed: int, *, opposed: bool = False, red: bool = False
) -> dict[str, Any]:
    """A random additive scenario; every party's worst option per issue is worth 0.

    With a zero-worth option per issue each party's worst outcome has raw utility 0, so
    detente's normalised utilities are raw / best and NegMAS's Nash point (which uses raw
    utilities) is directly comparable.
    """
    rng = np.random.default_rng(seed)
    opts = [f"o{j}" for j in range(OPTIONS)]
    issues = [{"id": f"i{i}", "kind": "choice", "options": opts} for i in range(n_issues)]
    values = np.zeros((parties, n_issues, OPTIONS))
    for i in range(n_issues):
        if opposed:
            v = rng.dirichlet(np.ones(parties), size=OPTIONS).T
        else:
            v = rng.random((parties, OPTIONS))
        v = np.round(v, 3)
        v -= v.min(axis=1, keepdims=True)
        values[:, i, :] = np.round(v / v.max(axis=1, keepdims=True), 3)
    weights = np.round(rng.uniform(1, 10, size=(parties, n_issues)), 1)
    positions = {}
    for p in range(parties):
        pri = {
            f"i{i}": {
                "weight": float(weights[p, i]),
                "values": {o: float(values[p, i, j]) for j, o in enumerate(opts)},
            }
            for i in range(n_issues)
        }
        red_lines = []
        if red:  # cross-issue: not both of two issues at their first options
            a, b = (2 * p) % n_issues, (2 * p + 1) % n_issues
            red_lines.append(
                {"id": f"r{p}", "rule": f"not (i{a} == 'o{p}' and i{b} == 'o{p + 1}')"}
            )
        positions[f"p{p}"] = {"priorities": pri, "red_lines": red_lines, "reservation": 0.0}
    return {
        "id": "bench",
        "title": "benchmark scenario",
        "parties": [{"id": f"p{p}", "name": f"P{p}"} for p in range(parties)],
        "issues": issues,
        "positions": positions,
    }


# -- one measurement (runs in a child process) -----------------------------------------


def _detente(spec: dict[str, Any], how: str) -> dict[str, Any]:
    """The full analysis (ZOPA, both frontiers, four solutions) by ``how`` (enum or merge)."""
    from detente.deal.analysis import analyze_deal
    from detente.scenario.loader import loads

    sc = loads(json.dumps(spec))
    t0 = time.perf_counter()
    a = analyze_deal(sc, engine="merge" if how == "merge" else "enum", limit=10**8)
    seconds = time.perf_counter() - t0
    f = a.frontier
    nash = a.solutions.nash
    assert nash is not None
    return {
        "seconds": seconds,
        "method": a.method,
        "frontier": f.utilities.tolist(),
        "n_frontier_outcomes": f.n_outcomes,
        "nash": nash.utility_vector.tolist(),
    }


def _negmas_ufuns(spec: dict[str, Any]) -> tuple[Any, list[Any]]:
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction

    issues = [make_issue(values=list(i["options"]), name=i["id"]) for i in spec["issues"]]
    os_ = make_os(issues)
    ufuns = []
    for pos in spec["positions"].values():
        pri = pos["priorities"]
        ufuns.append(
            LinearAdditiveUtilityFunction(
                values={i["id"]: dict(pri[i["id"]]["values"]) for i in spec["issues"]},
                weights={i["id"]: pri[i["id"]]["weight"] for i in spec["issues"]},
                outcome_space=os_,
                reserved_value=0.0,
            )
        )
    return os_, ufuns


def _best(spec: dict[str, Any]) -> np.ndarray:
    return np.array(
        [
            sum(p["weight"] * max(p["values"].values()) for p in pos["priorities"].values())
            for pos in spec["positions"].values()
        ]
    )


def _negmas(spec: dict[str, Any], how: str) -> dict[str, Any]:
    from negmas.preferences import MOBANOSParetoSampler, nash_points, pareto_frontier

    os_, ufuns = _negmas_ufuns(spec)
    best = _best(spec)
    t0 = time.perf_counter()
    if how == "merge":
        sampler = MOBANOSParetoSampler(max_pareto_size=10**9)
        sampler.init(ufuns[0], ufuns[1])
        outs = sampler.pareto_outcomes()
        front = np.array([[float(u(o)) for u in ufuns] for o in outs])
        seconds = time.perf_counter() - t0
        nash = front[int(np.argmax(np.prod(front, axis=1)))]
    else:
        outcomes = list(os_.enumerate())
        front_t, _ = pareto_frontier(ufuns, outcomes=outcomes)
        nash_t = nash_points(ufuns, front_t, outcome_space=os_)
        seconds = time.perf_counter() - t0
        front = np.array(front_t)
        nash = np.array(nash_t[0][0]) if nash_t else np.full(len(ufuns), np.nan)
    return {
        "seconds": seconds,
        "frontier": (front / best).tolist(),
        "n_frontier_outcomes": len(front),
        "nash": (nash / best).tolist(),
    }


def child(args: dict[str, Any]) -> None:
    spec = scenario(
        args["parties"], args["issues"], args["seed"], opposed=args["opposed"], red=args["red"]
    )
    run = _negmas if args["engine"] == "negmas" else _detente
    out = run(spec, args["how"])
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


# -- the driver ---------------------------------------------------------------------------


def measure(args: dict[str, Any], timeout: float) -> dict[str, Any] | None:
    try:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", json.dumps(args)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _same_frontier(a: list[list[float]], b: list[list[float]]) -> bool:
    ra = {tuple(np.round(v, 9)) for v in a}
    rb = {tuple(np.round(v, 9)) for v in b}
    return ra == rb


def plan(quick: bool, max_exp: int, cases: list[str]) -> list[dict[str, Any]]:
    """The measurements to run: one dict per (case, size)."""
    base = {"seed": 1, "opposed": False, "red": False, "negmas": True}
    out: list[dict[str, Any]] = []
    top = min(max_exp, 5 if quick else 7)
    if "enum" in cases:
        for parties in (2, 3):
            for e in range(3, top + 1):
                if parties == 3 and e > 6:
                    continue  # NegMAS needs far more than 10 minutes there
                out.append({**base, "case": f"enum{parties}", "parties": parties, "issues": e})
    if "opposed3" in cases:
        out.append(
            {**base, "case": "opposed3", "parties": 3, "issues": min(top, 6), "opposed": True}
        )
    if "redlines3" in cases:  # NegMAS has no red lines: detente only
        out.append(
            {**base, "case": "redlines3", "parties": 3, "issues": top, "red": True, "negmas": False}
        )
    merge = {**base, "how": "merge"}
    if "merge2" in cases:
        for opposed in (False, True):
            name = "merge2-opposed" if opposed else "merge2"
            out.append(
                {
                    **merge,
                    "case": name,
                    "parties": 2,
                    "issues": 8 if quick else 12,
                    "opposed": opposed,
                }
            )
    if "merge3" in cases:  # NegMAS's MOBANOS is two-party only
        for opposed in (False, True):
            name = "merge3-opposed" if opposed else "merge3"
            out.append(
                {
                    **merge,
                    "case": name,
                    "parties": 3,
                    "issues": 6 if quick else 9,
                    "opposed": opposed,
                    "negmas": False,
                }
            )
    for m in out:
        m.setdefault("how", "enum")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--quick", action="store_true", help="small sizes only (a minute or two)")
    ap.add_argument("--max-exp", type=int, default=7, help="largest enumerated size, 10^N outcomes")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per NegMAS measurement")
    ap.add_argument("--no-negmas", action="store_true", help="skip NegMAS even if installed")
    ap.add_argument(
        "--cases",
        nargs="+",
        default=["enum", "opposed3", "redlines3", "merge2", "merge3"],
        choices=["enum", "opposed3", "redlines3", "merge2", "merge3"],
    )
    a = ap.parse_args()
    if a.child:
        child(json.loads(a.child))
        return
    try:
        import negmas  # noqa: F401

        have_negmas = not a.no_negmas
    except ImportError:
        have_negmas = False
    for m in plan(a.quick, a.max_exp, a.cases):
        row = {"case": m["case"], "parties": m["parties"], "outcomes": OPTIONS ** m["issues"]}
        det = measure({**m, "engine": "detente"}, timeout=3600)
        assert det is not None
        if "error" in det:
            print(json.dumps({**row, "engine": "detente", **det}), flush=True)
            continue
        print(
            json.dumps(
                {
                    **row,
                    "engine": "detente",
                    "method": det["method"],
                    "seconds": round(det["seconds"], 4),
                    "peak_rss_mib": round(det["peak_rss_mib"], 1),
                    "frontier_points": len(det["frontier"]),
                    "frontier_outcomes": det["n_frontier_outcomes"],
                    "nash": [round(x, 6) for x in det["nash"]],
                }
            ),
            flush=True,
        )
        if not have_negmas or not m["negmas"]:
            continue
        neg = measure({**m, "engine": "negmas"}, timeout=a.timeout)
        assert neg is not None
        if "error" in neg:
            print(json.dumps({**row, "engine": "negmas", **neg}), flush=True)
            continue
        same_nash = (
            bool(np.allclose(neg["nash"], det["nash"], atol=1e-9))
            if not math.isnan(neg["nash"][0])
            else False
        )
        print(
            json.dumps(
                {
                    **row,
                    "engine": "negmas",
                    "method": "mobanos" if m["how"] == "merge" else "pareto_frontier+nash_points",
                    "seconds": round(neg["seconds"], 4),
                    "peak_rss_mib": round(neg["peak_rss_mib"], 1),
                    "frontier_points": len({tuple(np.round(v, 9)) for v in neg["frontier"]}),
                    "frontier_outcomes": neg["n_frontier_outcomes"],
                    "same_frontier": _same_frontier(neg["frontier"], det["frontier"]),
                    "same_nash": same_nash,
                    "ratio_negmas_over_detente": round(neg["seconds"] / det["seconds"], 3),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
