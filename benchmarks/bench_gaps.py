"""Scale benchmark of gaps and bridges with the CP-SAT engine (issue 4).

A generated scenario with 30 issues (10 choices of 3 options, 15 booleans, 5 integers
in [0, 20]: 3^10 * 2^15 * 21^5 ~ 7.9e15 outcomes), 4 parties and 200 red lines (50 per
party: bounds on integers, choice requirements, implications and sums, so that parties'
lines clash in small groups). Prints one JSON line per measurement with seconds:
the first 20 gaps (MUS), the cheapest bridge and the egalitarian deal after it.

    .venv/bin/python benchmarks/bench_gaps.py [--seed N]
    .venv/bin/python benchmarks/bench_gaps.py --whole   # analyze on 10^7 outcomes (issue 9)
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


def whole_document() -> dict[str, Any]:
    """A three-party coalition talk with the wage in cents: 8.4 x 10^6 outcomes, 10.5 x 10^6
    with the amendment's option; cross-issue red lines, a derived quantity, no ZOPA."""
    return {
        "id": "coalition-cents",
        "title": "Coalition minimum-wage talks, wage in cents (benchmark)",
        "parties": [
            {"id": "union", "name": "Union"},
            {"id": "employers", "name": "Employers"},
            {"id": "government", "name": "Government"},
            {"id": "med", "name": "Mediator", "role": "mediator"},
        ],
        "issues": [
            {"id": "wage", "kind": "integer", "range": [1200, 3299], "unit": "cents"},
            {"id": "term", "kind": "choice", "options": ["y1", "y2", "y3", "y4", "y5"]},
            {"id": "indexation", "kind": "boolean"},
            {"id": "apprentices", "kind": "integer", "range": [0, 99]},
            {
                "id": "region",
                "kind": "choice",
                "options": ["national", "north", "south", "east", "phased"],
            },
        ],
        "derived": [{"id": "cost", "expr": "wage + 5 * apprentices"}],
        "positions": {
            "union": {
                "red_lines": [
                    {
                        "id": "floor",
                        "rule": "wage >= 2400 or (indexation and wage >= 2200)",
                        "firmness": 8,
                    },
                    {"id": "national", "rule": "region in ['national', 'phased']", "firmness": 5},
                ],
                "priorities": {
                    "wage": {"weight": 5, "values": "increasing"},
                    "indexation": {"weight": 2, "values": {"true": 1, "false": 0}},
                    "term": {
                        "weight": 1,
                        "values": {"y1": 0.2, "y2": 1, "y3": 0.8, "y4": 0.5, "y5": 0.1},
                    },
                },
                "reservation": 0.55,
            },
            "employers": {
                "red_lines": [
                    {"id": "cap", "rule": "cost <= 2500", "firmness": 9},
                    {
                        "id": "no-index",
                        "rule": "not indexation or term in ['y1', 'y2']",
                        "firmness": 6,
                    },
                ],
                "priorities": {
                    "wage": {"weight": 6, "values": "decreasing"},
                    "apprentices": {"weight": 2, "values": "increasing"},
                    "region": {
                        "weight": 1,
                        "values": {
                            "north": 1,
                            "south": 1,
                            "east": 0.7,
                            "national": 0.2,
                            "phased": 0.6,
                        },
                    },
                },
                "reservation": 0.5,
            },
            "government": {
                "red_lines": [
                    {"id": "apprentices", "rule": "apprentices >= 30", "firmness": 4},
                    {"id": "long-term", "rule": "term >= 'y3'", "firmness": 5},
                ],
                "priorities": {
                    "apprentices": {"weight": 3, "values": "increasing"},
                    "term": {
                        "weight": 2,
                        "values": {"y1": 0, "y2": 0.3, "y3": 0.6, "y4": 0.9, "y5": 1},
                    },
                    "wage": {"weight": 1, "values": [[1200, 0], [2300, 1], [3299, 0.4]]},
                },
                "reservation": 0.45,
            },
        },
        "proposals": [
            {
                "id": "p1",
                "by": ["med"],
                "terms": {
                    "wage": 2300,
                    "term": "y3",
                    "indexation": True,
                    "apprentices": 40,
                    "region": "national",
                },
            }
        ],
        "amendments": [{"id": "phase-in", "by": ["med"], "adds": {"region": ["phased"]}}],
    }


def whole(emit: Any) -> None:
    """The whole ``analyze`` (deal, gaps, bridges, amendments, near misses) at 10^7."""
    import resource

    import detente

    s = detente.Scenario.from_data(whole_document(), "coalition-cents.json")
    t0 = time.perf_counter()
    a = detente.analyze(s)
    seconds = time.perf_counter() - t0
    assert a.deal is not None and a.gaps is not None
    emit(
        step="whole_analyze",
        outcomes=a.deal.space.size,
        outcomes_with_amendment=OUTCOMES_WITH_AMENDMENT,
        zopa_empty=a.deal.zopa.empty,
        gaps=len(a.gaps.gaps),
        bridges=len(a.gaps.bridges),
        amendments=len(a.gaps.amendments),
        near_misses=len(a.gaps.near_misses),
        method=a.gaps.method,
        seconds=round(seconds, 2),
        peak_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    )


OUTCOMES_WITH_AMENDMENT = 10_500_000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gaps", type=int, default=20)
    ap.add_argument(
        "--whole",
        action="store_true",
        help="the whole analyze of a 10^7-outcome, 3-party scenario (tabulation back end)",
    )
    args = ap.parse_args()

    def emit(**row: Any) -> None:
        sys.stdout.write(json.dumps(row) + "\n")
        sys.stdout.flush()

    if args.whole:
        whole(emit)
        return

    s = loads(json.dumps(scenario_document(args.seed)), "bench.json")
    dems = demands(s)
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
