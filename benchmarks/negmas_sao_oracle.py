"""Cross-check detente's SAO against NegMAS 0.16 as an external oracle (issue 12).

On random, seeded, tie-free scenarios (no red lines, reservation 0) it plays the same
negotiation with detente (``detente.simulate.simulate``) and with NegMAS 0.16
(``SAOMechanism`` with ``BoulwareTBNegotiator``, ``LinearTBNegotiator`` and
``ConcederTBNegotiator``) and compares, offer by offer, (party, step, outcome), then the
agreement and the number of steps run (NegMAS's final ``state.step``). It reports every
mismatch. NegMAS is AGPL and only ever runs here, as an external program's library: it
is never imported by detente or its tests.

Scenarios: choice issues whose option counts multiply to 10^2 .. 10^5 outcomes; per party
and issue a weight and option values drawn uniformly (one option at 0, one at 1, so the
worst outcome is worth 0 and detente's canonical utility equals NegMAS's utility with
weights summing to 1); a scenario is kept only when no two outcomes are within 1e-11 of
each other for any party (tie-free, so the tie rules, which differ, never matter).
Strategies: a random one of the three per party (``--strategies`` adds ``naive-tft``,
NegMAS's ``NaiveTitForTatNegotiator``); N in {10, 100}; 2 and 3 parties.

Usage::

    python benchmarks/negmas_sao_oracle.py               # 60 scenarios
    python benchmarks/negmas_sao_oracle.py --n 100 --seed 7

Prints one JSON line per negotiation and a summary line; exits 1 on a mismatch.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import numpy as np

NEGMAS_SLACK = 1e-6  # NegMAS 0.16's inverse-utility lookup may return an outcome this far below
STRATEGIES = ("boulware", "linear", "conceder")
SIZES = ((10, 10), (5, 4, 5), (10, 10, 10), (8, 5, 5, 10), (10, 10, 10, 10), (10, 10, 10, 10, 10))


def scenario(rng: np.random.Generator, parties: int, sizes: tuple[int, ...]) -> dict[str, Any]:
    """A random additive scenario (module docstring); raises ValueError when it has ties."""
    issues = [
        {"id": f"i{j}", "kind": "choice", "options": [f"o{k}" for k in range(n)]}
        for j, n in enumerate(sizes)
    ]
    positions = {}
    for p in range(parties):
        w = rng.uniform(0.1, 1.0, size=len(sizes))
        w = w / w.sum()
        pri = {}
        for j, n in enumerate(sizes):
            v = rng.random(n)
            v[rng.integers(n)] = 0.0
            v[np.argmax(v)] = 1.0
            pri[f"i{j}"] = {
                "weight": float(w[j]),
                "values": {f"o{k}": float(v[k]) for k in range(n)},
            }
        positions[f"p{p}"] = {"priorities": pri, "reservation": 0.0}
    return {
        "id": "oracle",
        "title": "NegMAS cross-check",
        "parties": [{"id": f"p{p}", "name": f"P{p}"} for p in range(parties)],
        "issues": issues,
        "positions": positions,
    }


def tie_free(spec: dict[str, Any]) -> bool:
    """No two outcomes within 1e-11 of each other for any party (exact utilities)."""
    grids = []
    for pos in spec["positions"].values():
        pri = pos["priorities"]
        u = np.zeros(1)
        for i in spec["issues"]:
            v = np.array([pri[i["id"]]["values"][o] for o in i["options"]]) * pri[i["id"]]["weight"]
            u = (u[:, None] + v[None, :]).ravel()
        grids.append(u)
    for u in grids:
        s = np.sort(u)
        if len(s) > 1 and float(np.min(np.diff(s))) < 1e-11:
            return False
    return True


def run_detente(
    spec: dict[str, Any], strategies: dict[str, str], n: int, lookup: str = "at-least"
) -> dict[str, Any]:
    from detente.scenario.checked import Scenario
    from detente.simulate.simulation import simulate

    specs = {
        p: s if lookup == "at-least" else f"{s}:lookup={lookup}" for p, s in strategies.items()
    }
    t0 = time.perf_counter()
    r = simulate(Scenario.from_data(spec), strategies=specs, steps=n, with_metrics=False)
    seconds = time.perf_counter() - t0
    offers = [
        (a.party, a.step, tuple(a.terms.values()))
        for a in r.trace
        if a.action == "offer" and a.terms is not None
    ]
    agreement = None if r.agreement is None else tuple(r.agreement.terms.values())
    return {"offers": offers, "agreement": agreement, "steps": r.steps, "seconds": seconds}


def run_negmas(spec: dict[str, Any], strategies: dict[str, str], n: int) -> dict[str, Any]:
    from negmas.gb.negotiators.timebased import (
        BoulwareTBNegotiator,
        ConcederTBNegotiator,
        LinearTBNegotiator,
    )
    from negmas.gb.negotiators.titfortat import NaiveTitForTatNegotiator
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.sao import SAOMechanism

    cls = {
        "boulware": BoulwareTBNegotiator,
        "linear": LinearTBNegotiator,
        "conceder": ConcederTBNegotiator,
        "naive-tft": NaiveTitForTatNegotiator,
    }
    t0 = time.perf_counter()
    issues = [make_issue(values=list(i["options"]), name=i["id"]) for i in spec["issues"]]
    os_ = make_os(issues)
    m = SAOMechanism(outcome_space=os_, n_steps=n)
    names = {}
    for pid, pos in spec["positions"].items():
        pri = pos["priorities"]
        ufun = LinearAdditiveUtilityFunction(
            values={i["id"]: dict(pri[i["id"]]["values"]) for i in spec["issues"]},
            weights={i["id"]: pri[i["id"]]["weight"] for i in spec["issues"]},
            outcome_space=os_,
            reserved_value=0.0,
        )
        neg = cls[strategies[pid]](name=pid)
        m.add(neg, ufun=ufun)
        names[neg.id] = pid
    state = m.run()
    seconds = time.perf_counter() - t0
    offers = [(names[who], step, tuple(o)) for step, who, o in m.extended_trace]
    agreement = None if state.agreement is None else tuple(state.agreement)
    return {"offers": offers, "agreement": agreement, "steps": state.step, "seconds": seconds}


EXPONENTS = {"boulware": 4.0, "linear": 1.0, "conceder": 0.25}


def _below_level(spec: dict[str, Any], strategy: str, n: int, theirs: Any) -> float:
    """How far NegMAS's offer lies below the pinned bar L - 1e-4 (negative: above it)."""
    party, step, b = theirs
    t = (step + 1) / (n + 1)
    bar = 1.0 - t ** EXPONENTS[strategy] - 1e-4
    pri = spec["positions"][party]["priorities"]

    def u(terms: tuple[str, ...]) -> float:
        return sum(
            pri[i["id"]]["weight"] * pri[i["id"]]["values"][v]
            for i, v in zip(spec["issues"], terms, strict=True)
        )

    return round(bar - u(b), 12)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=60, help="scenarios (default 60)")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument(
        "--strategies",
        default=",".join(STRATEGIES),
        help="comma-separated, of boulware, linear, conceder, naive-tft",
    )
    a = ap.parse_args(argv)
    rng = np.random.default_rng(a.seed)
    mismatches = compat_mismatches = within_slack = 0
    done = 0
    agreements = 0
    t_det = t_neg = 0.0
    while done < a.n:
        parties = 2 + done % 2
        sizes = SIZES[(done // 2) % len(SIZES)]
        steps = (10, 100)[(done // (2 * len(SIZES))) % 2]
        spec = scenario(rng, parties, sizes)
        if not tie_free(spec):
            continue
        pool = a.strategies.split(",")
        strategies = {p: str(rng.choice(pool)) for p in spec["positions"]}
        d = run_detente(spec, strategies, steps)
        c = run_detente(spec, strategies, steps, lookup="negmas")
        g = run_negmas(spec, strategies, steps)
        compat = (c["offers"], c["agreement"], c["steps"]) == (
            g["offers"],
            g["agreement"],
            g["steps"],
        )
        compat_mismatches += not compat
        if not compat:
            j = next(
                (
                    j
                    for j, (x, y) in enumerate(zip(c["offers"], g["offers"], strict=False))
                    if x != y
                ),
                None,
            )
            print(
                json.dumps(
                    {
                        "lookup_negmas_difference": j,
                        "detente": c["offers"][j - 1 : j + 1] if j else None,
                        "negmas": g["offers"][j - 1 : j + 1] if j else None,
                    }
                ),
                flush=True,
            )
        same_offers = d["offers"] == g["offers"]
        first = next(
            (j for j, (x, y) in enumerate(zip(d["offers"], g["offers"], strict=False)) if x != y),
            None,
        )
        ok = same_offers and d["agreement"] == g["agreement"] and d["steps"] == g["steps"]
        mismatches += not ok
        agreements += d["agreement"] is not None
        t_det += d["seconds"]
        t_neg += g["seconds"]
        row = {
            "case": done,
            "parties": parties,
            "outcomes": int(np.prod(sizes)),
            "steps_limit": steps,
            "strategies": strategies,
            "match": ok,
            "match_negmas_lookup": compat,
            "offers": len(d["offers"]),
            "agreement": d["agreement"] is not None,
            "steps": d["steps"],
            "detente_seconds": round(d["seconds"], 4),
            "negmas_seconds": round(g["seconds"], 4),
        }
        if not ok:
            row["first_difference"] = first
            row["detente"] = {k: d[k] for k in ("agreement", "steps")}
            row["negmas"] = {k: g[k] for k in ("agreement", "steps")}
            if first is not None:
                row["detente_offer"] = d["offers"][first]
                row["negmas_offer"] = g["offers"][first]
                who = g["offers"][first][0]
                if strategies[who] in EXPONENTS:
                    gap = _below_level(spec, strategies[who], steps, g["offers"][first])
                    row["negmas_offer_below_bar_by"] = gap
                    within_slack += 0 < gap <= NEGMAS_SLACK
        print(json.dumps(row), flush=True)
        done += 1
    print(
        json.dumps(
            {
                "summary": True,
                "negotiations": done,
                "mismatches": mismatches,
                "mismatches_within_negmas_lookup_slack": within_slack,
                "mismatches_with_lookup_negmas": compat_mismatches,
                "agreements": agreements,
                "detente_seconds": round(t_det, 3),
                "negmas_seconds": round(t_neg, 3),
            }
        )
    )
    return 1 if compat_mismatches or mismatches > within_slack else 0


if __name__ == "__main__":
    sys.exit(main())
