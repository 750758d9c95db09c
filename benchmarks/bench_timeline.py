"""The whole timeline against one ``analyze`` (issue 11, item 5).

A generated two-party scenario over 10^6 outcomes (5 integer issues in [0, 9] and a
choice of 10 options; an amendment adds an 11th) with 50
dated changes over 50 days: red lines that appear, harden (a version ends, a stricter
one starts) or end, reservations that move, proposals made and answered, and an
amendment floated. Prints one JSON line: the seconds of one ``analyze`` of the latest
state (``analyze_cold_s`` the first call of the process, ``analyze_s`` the median of
``--repeat`` more), of the whole ``timeline`` (51 snapshots: the start and 50 days) with
the days sharing their frames (``timeline_s``, the median of ``--repeat`` runs) and each
analysed on its own (``timeline_unshared_s``, one run; ``--no-unshared`` skips it), and
the ratios to ``analyze_s``. Every snapshot of the two timelines is checked to be the
same document.

    .venv/bin/python benchmarks/bench_timeline.py [--seed N] [--changes 50] [--repeat 3]
        [--no-unshared]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from typing import Any

import numpy as np

from detente.analysis.composite import analyze
from detente.report.json.analysis import analysis_document
from detente.scenario.loader import load_data
from detente.timeline import timeline

ISSUES = 5  # 10^5 outcomes, times the 10 options of ``c``: 10^6


def scenario_document(seed: int, changes: int) -> dict[str, Any]:
    """The generated scenario (see module docstring); deterministic in ``seed``."""
    rng = np.random.default_rng(seed)
    day0 = dt.date(2024, 1, 1)
    issues = [{"id": f"n{k}", "kind": "integer", "range": [0, 9]} for k in range(ISSUES)]
    options = [f"c{i}" for i in range(10)]
    issues.append({"id": "c", "kind": "choice", "options": [*options, "bridge"]})
    parties = ["a", "b"]
    lines: dict[str, list[dict[str, Any]]] = {p: [] for p in parties}
    reservations: dict[str, list[dict[str, Any]]] = {p: [] for p in parties}
    proposals: list[dict[str, Any]] = []
    amendments: list[dict[str, Any]] = []
    for j in range(changes):
        day = (day0 + dt.timedelta(days=j + 1)).isoformat()
        p = parties[j % 2]
        kind = j % 5
        k = int(rng.integers(0, ISSUES))
        if kind in (0, 1):  # a new red line, sometimes ending later
            op = ">=" if p == "a" else "<="
            bound = int(rng.integers(2, 8))
            item: dict[str, Any] = {"id": f"r{j}", "rule": f"n{k} {op} {bound}", "date": day}
            item["firmness"] = int(rng.integers(1, 10))
            if rng.random() < 0.3:
                item["until"] = (
                    day0 + dt.timedelta(days=j + 1 + int(rng.integers(2, 10)))
                ).isoformat()
            lines[p].append(item)
        elif kind == 2:  # a red line hardens: the old version ends, a stricter one starts
            old = [x for x in lines[p] if "until" not in x]
            if old:
                x = old[int(rng.integers(0, len(old)))]
                x["until"] = day
                rule = x["rule"]
                lo, hi = (1, 0) if p == "a" else (0, 1)
                bound = int(rule.split()[-1]) + (lo - hi)
                lines[p].append(
                    {
                        **x,
                        "rule": " ".join([*rule.split()[:-1], str(bound)]),
                        "date": day,
                        "until": None,
                    }
                )
                lines[p][-1].pop("until")
            else:
                lines[p].append({"id": f"r{j}", "rule": f"n{k} >= 1", "date": day})
        elif kind == 3:  # the reservation moves
            value = round(float(rng.uniform(0.1, 0.5)), 2)
            rs = reservations[p]
            if rs:
                rs[-1]["until"] = day
            rs.append({"value": value, "date": day} if rs else {"value": value, "until": day})
            if len(rs) == 1:
                rs.append({"value": round(value + 0.05, 2), "date": day})
        else:  # a proposal, or the amendment
            if not amendments and j > changes // 2:
                amendments.append({"id": "m1", "adds": {"c": ["bridge"]}, "date": day})
            else:
                terms = {f"n{i}": int(rng.integers(0, 10)) for i in range(ISSUES)}
                proposals.append({"id": f"p{j}", "by": [p], "date": day, "terms": terms})
    positions = {}
    for i, p in enumerate(parties):
        prios = {
            f"n{k}": {
                "weight": float(rng.integers(1, 5)),
                "values": "increasing" if i == 0 else "decreasing",
            }
            for k in range(ISSUES)
        }
        values = {f"c{m}": (m / 9 if i == 0 else 1 - m / 9) for m in range(10)}
        prios["c"] = {"weight": 1.0, "values": {**values, "bridge": 0.5}}
        positions[p] = {
            "red_lines": lines[p],
            "priorities": prios,
            "reservation": reservations[p] or 0.0,
        }
    return {
        "id": "bench-timeline",
        "title": "Generated dated talks",
        "parties": [{"id": p, "name": p.upper()} for p in parties],
        "issues": issues,
        "positions": positions,
        "proposals": proposals,
        "amendments": amendments,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--changes", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3, help="runs whose median is reported")
    ap.add_argument("--no-unshared", action="store_true", help="skip the unshared timeline")
    args = ap.parse_args()
    s = load_data(scenario_document(args.seed, args.changes), "bench-timeline")
    runs = []
    for _ in range(1 + max(1, args.repeat)):
        t0 = time.perf_counter()
        analyze(s)
        runs.append(time.perf_counter() - t0)
    cold, one = runs[0], statistics.median(runs[1:])
    wholes = []
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        t = timeline(s)
        wholes.append(time.perf_counter() - t0)
    whole = statistics.median(wholes)
    out: dict[str, Any] = {
        "bench": "timeline",
        "outcomes": 10**ISSUES * 10,
        "changes": sum(len(d.changes) for d in t.days),
        "days": len(t.days),
        "analyze_cold_s": round(cold, 3),
        "analyze_s": round(one, 3),
        "timeline_s": round(whole, 3),
        "ratio": round(whole / one, 2),
    }
    if not args.no_unshared:
        t0 = time.perf_counter()
        alone = timeline(s, share=False)
        out["timeline_unshared_s"] = round(time.perf_counter() - t0, 3)
        out["ratio_unshared"] = round(out["timeline_unshared_s"] / one, 2)
        pairs = zip((t.start, *t.days), (alone.start, *alone.days), strict=True)
        same = all(analysis_document(a.analysis) == analysis_document(b.analysis) for a, b in pairs)
        if not same:
            raise SystemExit("the shared and the unshared timelines differ")
        out["same_snapshots"] = True
    print(json.dumps(out))


if __name__ == "__main__":
    main()
