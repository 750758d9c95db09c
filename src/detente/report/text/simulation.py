"""Plain-language text of a simulated negotiation: who played what, where it ended.

The outcome first (agreement with its terms and utilities, or why there was none), then
the outcome measured against the deal engine's points, then a summary of the trace: per
party, how many offers it made and how its own utility of them fell from the first to
the last, and the last actions in full. Rendering only.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from detente.simulate.results import Simulation

__all__ = ["simulation_text", "terms_phrase", "tournament_text"]

LAST_ACTIONS = 6

_REASONS = {
    "agreement": "agreement",
    "deadline": "no agreement by the deadline",
    "ended": "a party ended the negotiation",
    "converged": "the mediator found no further text to propose",
}


def terms_phrase(terms: Mapping[str, object]) -> str:
    """``issue=value, ...`` in issue order."""
    # booleans as the scenario file writes them (true/false), as every other text does
    return ", ".join(
        f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in terms.items()
    )


def _u(utilities: Mapping[str, float]) -> str:
    return ", ".join(f"{p} {u:.3f}" for p, u in utilities.items())


def simulation_text(r: Simulation) -> str:
    """The text report of ``r`` (module docstring)."""
    lines: list[str] = []
    proto = "stacked alternating offers (SAO)" if r.method == "sao" else "mediated single text"
    lines.append(f"{r.title}: {proto}, {r.limit} steps at most")
    if r.mediator:
        lines.append(f"  mediator: {r.mediator}")
    for p, name in zip(r.parties, r.names, strict=True):
        lines.append(f"  {name} ({p}) plays {r.strategies.get(p, '?')}")
    lines.append("")
    ag = r.agreement
    if ag is not None:
        lines.append(f"Agreement at step {ag.step} (of {r.limit}): {terms_phrase(ag.terms)}")
        lines.append(f"  utilities: {_u(ag.utilities)}")
    else:
        lines.append(f"No agreement: {_REASONS.get(r.reason, r.reason)} after {r.steps} steps.")
        if r.final_text is not None:
            lines.append(f"  last accepted text: {terms_phrase(r.final_text)}")
    m = r.metrics
    if m is not None:
        lines.append(f"  gains over reservation: {_u(m.gains)}; welfare {m.welfare:.3f}")
        ref = r.reference
        if ref is not None and ref.zopa_empty:
            lines.append("  no outcome is acceptable to every party (the ZOPA is empty)")
        elif m.distance_frontier is not None:
            lines.append(
                f"  distance to the Pareto frontier {m.distance_frontier:.3f}, "
                f"to Nash {m.distance_nash:.3f}, "
                f"to Kalai-Smorodinsky {m.distance_kalai_smorodinsky:.3f}"
                + ("; on the frontier" if m.on_frontier else "")
            )
        if ref is not None and ref.nash is not None:
            lines.append(f"  Nash point: {_u(ref.nash.utilities)} ({terms_phrase(ref.nash.terms)})")
    lines.append("")
    lines.append("Offers:" if r.method == "sao" else "Texts proposed:")
    off = r.offers
    for j, p in enumerate(r.parties):
        mine = off.party == j
        n = int(mine.sum())
        if n == 0 and r.method == "sao":
            lines.append(f"  {p}: no offer")
            continue
        if r.method == "sao":
            u = off.utilities[mine, j]
            lines.append(
                f"  {p}: {n} offers, own utility {float(u[0]):.3f} -> {float(u[-1]):.3f}"
                f" (lowest {float(np.min(u)):.3f})"
            )
    if r.method != "sao" and len(off.step):
        lines.append(f"  {len(off.step)} texts; utilities of the last: ")
        lines[-1] += _u({p: float(off.utilities[-1, j]) for j, p in enumerate(r.parties)})
    for note in r.notes:
        lines.append(f"Note: {note}")
    lines.append("")
    lines.append(f"Last actions (of {len(r.trace)}):")
    for a in r.trace[-LAST_ACTIONS:]:
        what = a.action + (f" {terms_phrase(a.terms)}" if a.terms else "")
        if a.objection:
            what += f" (objects to {a.objection})"
        lines.append(f"  step {a.step}: {a.party} {what}")
    return "\n".join(lines)


def tournament_text(doc: Mapping[str, object]) -> str:
    """The ranking of a tournament document (:func:`tournament_document`) as a table."""
    lines = [
        f"Tournament: {', '.join(map(str, doc['scenarios']))}"  # type: ignore[call-overload]
        f" — {doc['negotiations']} negotiations ({doc['played']} played now, "
        f"{doc['resumed']} found done)",
        f"{'rank':>4}  {'strategy':<28} {'seats':>6} {'mean utility':>12}  {'95% CI':<17}"
        f" {'gain':>6} {'agreed':>7}",
    ]
    for r in doc["ranking"]:  # type: ignore[attr-defined]
        lo, hi = r["ci95"]
        lines.append(
            f"{r['rank']:>4}  {r['strategy']:<28} {r['seats']:>6} {r['mean_utility']:>12.4f}  "
            f"[{lo:.4f}, {hi:.4f}] {r['mean_gain']:>6.3f} {100 * r['agreement_rate']:>6.1f}%"
        )
    if doc.get("out"):
        lines.append(f"Rows: {doc['out']} (Parquet; one row per negotiation)")
    return "\n".join(lines)
