"""Real GENIUS/ANAC domains: detente against NegMAS, timed and checked for agreement.

For each of the five real domains in ``shared/data/genius-domains`` (or
``$DETENTE_GENIUS_DIR``; provenance in its SOURCES.md) three measurements run, each in
its own subprocess:

- ``detente``: :func:`detente.interop.genius.load_genius` (parse the XML, build and
  validate the scenario) then :func:`detente.deal.analysis.analyze_deal` (ZOPA, frontier of
  the ZOPA and of the whole space, four bargaining solutions);
- ``negmas``: NegMAS's own GENIUS loader with its defaults,
  ``negmas.inout.load_genius_domain_from_folder``, then ``pareto_frontier`` over every
  outcome and ``nash_points`` on that frontier (NegMAS's usual recipe);
- ``negmas-genius``: the same loader with ``ignore_discount=True``, its utility functions
  rebuilt with GENIUS's evaluation (a discrete item's evaluation divided by the issue's
  largest, an integer issue's ``clip(slope * (x - lowerbound) + offset, 0, 1)``) and
  the profile's reservation, then the same two calls. NegMAS 0.16 reads the evaluations
  raw (see docs/performance.md), so only this variant computes GENIUS's utilities.

Seconds cover loading the XML and the analysis, not the interpreter or the Python
imports; each is the median of ``--repeat`` runs after one untimed warm-up. Agreement
compares outcomes, named by their GENIUS item labels: the Pareto frontier of the
rational outcomes (every outcome on it, ties included; NegMAS's ``pareto_frontier``
drops outcomes below a reserved value, so this is detente's frontier of the ZOPA) and
the set of Nash outcomes. One JSON line per
domain. Usage::

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/bench_genius.py [--repeat 5] [--domains CameraB Travel]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GENIUS = Path(
    os.environ.get("DETENTE_GENIUS_DIR", ROOT.parent / "shared" / "data" / "genius-domains")
)
DOMAINS = ("ItexvsCypressA", "CameraB", "group2-dinner", "IntegerDomain", "Travel")
ENGINES: tuple[str, ...] = ("detente", "negmas", "negmas-genius")

Outcome = list[str | int]


# -- one measurement (runs in a child process) -----------------------------------------


def _detente_once(folder: Path) -> tuple[float, float, dict[str, Any]]:
    from detente.deal.analysis import analyze_deal
    from detente.interop.genius import load_genius

    t0 = time.perf_counter()
    s = load_genius(folder)
    t1 = time.perf_counter()
    # a tie limit above any space here lists every outcome of every frontier point
    a = analyze_deal(s, tie_limit=10**6)
    t2 = time.perf_counter()

    def labels(codes: Any) -> Outcome:
        return [
            issue.options[c].label if issue.kind == "choice" else int(c)
            for issue, c in zip(s.issues, codes.tolist(), strict=True)
        ]

    def outcomes(f: Any, rows: Any) -> list[Outcome]:
        return [labels(c) for j in rows for c in f.ties[j]]

    nash = a.solutions.nash
    out = {
        "parties": len(a.parties),
        "outcomes": a.space.size,
        "method": a.method,
        "zopa": a.zopa.size,
        "frontier": outcomes(a.frontier, range(len(a.frontier))),
        "frontier_all": outcomes(a.frontier_all, range(len(a.frontier_all))),
        "ties_truncated": any(
            len(t) < n
            for f in (a.frontier, a.frontier_all)
            for t, n in zip(f.ties, f.counts, strict=True)
        ),
        "nash": [
            [
                next(o.label for o in i.options if o.id == t[i.id])
                if i.kind == "choice"
                else t[i.id]
                for i in s.issues
            ]
            for pt in nash.points
            for t in (pt.ties or (pt.terms,))
        ]
        if nash is not None
        else [],
    }
    return t1 - t0, t2 - t1, out


def _genius_ufuns(scenario: Any, folder: Path) -> list[Any]:
    """NegMAS's loaded utility functions rebuilt with GENIUS's evaluation formula."""
    import xml.etree.ElementTree as ET

    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun

    issues = scenario.outcome_space.issues
    out = []
    for u in scenario.ufuns:
        values = []
        for issue, f in zip(issues, u.values, strict=True):
            if isinstance(f, TableFun):
                top = max(f.mapping.values())
                values.append(TableFun(mapping={k: v / top for k, v in f.mapping.items()}))
            else:  # NegMAS's AffineFun / LinearFun: slope * x + bias, no shift, no clip
                lb, bias = issue.min_value, getattr(f, "bias", 0.0)
                values.append(
                    TableFun(
                        mapping={
                            x: min(1.0, max(0.0, f.slope * (x - lb) + bias))
                            for x in range(issue.min_value, issue.max_value + 1)
                        }
                    )
                )
        # the profile file's reservation, on GENIUS's scale (NegMAS keeps it as read)
        root = ET.parse(folder / f"{u.name}.xml").getroot()
        res = root.find("reservation")
        out.append(
            LinearAdditiveUtilityFunction(
                values=values,
                weights=list(u.weights),
                outcome_space=scenario.outcome_space,
                reserved_value=float(res.get("value", "0")) if res is not None else 0.0,
                name=u.name,
            )
        )
    return out


def _negmas_once(folder: Path, genius: bool) -> tuple[float, float, dict[str, Any]]:
    from negmas.inout import load_genius_domain_from_folder
    from negmas.preferences import nash_points, pareto_frontier

    t0 = time.perf_counter()
    sc = load_genius_domain_from_folder(str(folder), ignore_discount=genius)
    ufuns = _genius_ufuns(sc, folder) if genius else list(sc.ufuns)
    t1 = time.perf_counter()
    outcomes = list(sc.outcome_space.enumerate())
    front, idx = pareto_frontier(ufuns, outcomes=outcomes)
    nash = nash_points(ufuns, front, outcome_space=sc.outcome_space)
    t2 = time.perf_counter()
    out = {
        "ufuns": [type(u).__name__ for u in sc.ufuns],
        "reserved_values": [float(u.reserved_value) for u in ufuns],
        "frontier": [list(outcomes[i]) for i in idx],
        "nash": [list(outcomes[idx[j]]) for _, j in nash],
    }
    return t1 - t0, t2 - t1, out


def child(args: dict[str, Any]) -> None:
    folder = GENIUS / args["domain"]
    engine = args["engine"]

    def once() -> tuple[float, float, dict[str, Any]]:
        if engine == "detente":
            return _detente_once(folder)
        return _negmas_once(folder, genius=engine == "negmas-genius")

    once()  # warm-up: lazy imports, first-call costs
    runs = [once() for _ in range(args["repeat"])]
    totals = [a + b for a, b, _ in runs]
    k = totals.index(statistics.median_low(totals))
    load, analysis, out = runs[k]
    print(json.dumps({"load_s": load, "analysis_s": analysis, "seconds": load + analysis, **out}))


# -- the driver ---------------------------------------------------------------------------


def measure(domain: str, engine: str, repeat: int, timeout: float) -> dict[str, Any]:
    args = json.dumps({"domain": domain, "engine": engine, "repeat": repeat})
    try:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:.0f} s"}
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        return {"error": lines[-1] if lines else "failed"}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _key(o: Outcome) -> tuple[str, ...]:
    return tuple(str(v) for v in o)


def compare(det: dict[str, Any], neg: dict[str, Any]) -> dict[str, Any]:
    """Whether both found the same frontier outcomes and Nash outcomes, and how not.

    NegMAS's ``pareto_frontier`` keeps only rational outcomes (every utility at least
    its reserved value), so it is compared with detente's frontier of the ZOPA
    (``same_frontier``) and, for the record, with that of the whole space.
    """
    df, nf = {_key(o) for o in det["frontier"]}, {_key(o) for o in neg["frontier"]}
    da = {_key(o) for o in det["frontier_all"]}
    dn, nn = {_key(o) for o in det["nash"]}, {_key(o) for o in neg["nash"]}
    return {
        "frontier_outcomes": len(nf),
        "same_frontier": df == nf,
        "frontier_common": len(df & nf),
        "same_as_whole_space_frontier": da == nf,
        "same_nash": dn == nn,
        "nash": sorted(nn),
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per measurement")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per measurement")
    ap.add_argument("--domains", nargs="+", default=list(DOMAINS), choices=DOMAINS)
    a = ap.parse_args()
    if a.child:
        child(json.loads(a.child))
        return
    if not GENIUS.is_dir():
        sys.exit(f"GENIUS domains not found at {GENIUS}; set DETENTE_GENIUS_DIR")
    try:
        import negmas  # noqa: F401

        engines = ENGINES
    except ImportError:
        engines = ("detente",)
    for domain in a.domains:
        res = {e: measure(domain, e, a.repeat, a.timeout) for e in engines}
        det = res["detente"]
        row: dict[str, Any] = {"domain": domain}
        if "error" in det:
            print(json.dumps({**row, "detente": det}), flush=True)
            continue
        row.update(
            parties=det["parties"],
            outcomes=det["outcomes"],
            zopa=det["zopa"],
            detente={
                "seconds": round(det["seconds"], 5),
                "load_s": round(det["load_s"], 5),
                "analyze_s": round(det["analysis_s"], 5),
                "method": det["method"],
                "frontier_outcomes": len(det["frontier"]),
                "whole_space_frontier_outcomes": len(det["frontier_all"]),
                "ties_truncated": det["ties_truncated"],
                "nash": sorted(_key(o) for o in det["nash"]),
            },
        )
        for e in engines[1:]:
            neg = res[e]
            if "error" in neg:
                row[e] = neg
                continue
            row[e] = {
                "seconds": round(neg["seconds"], 5),
                "load_s": round(neg["load_s"], 5),
                "analysis_s": round(neg["analysis_s"], 5),
                "ratio_over_detente": round(neg["seconds"] / det["seconds"], 2),
                "ufuns": sorted(set(neg["ufuns"])),
                "reserved_values": neg["reserved_values"],
                **compare(det, neg),
            }
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
