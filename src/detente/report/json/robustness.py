"""JSON of a robustness run (``detente robustness --format json`` and the web app).

Pinned keys (issue 10): ``draws``, ``seed`` and ``conclusions``, each with ``id``,
``holds``, ``support``, ``ci``, ``verdict``, ``flip`` (``distance``, ``norm``,
``exact``, ``changes``; null when no change within the ranges reverses it) and, for
categorical conclusions, ``acceptability`` (every value seen, ties kept, with its
share). Numbers are rounded to 6 decimals so documents compare across machines.
"""

from __future__ import annotations

from typing import Any

from detente.report.json.envelope import envelope
from detente.robustness.results import ConclusionResult, Flip, RobustnessResult

__all__ = ["robustness_body", "robustness_document"]

_DP = 6


def _r(x: float) -> float:
    return round(float(x), _DP) + 0.0


def _flip(f: Flip | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {
        "distance": _r(f.distance),
        "norm": f.norm,
        "exact": f.exact,
        "moves": f.moves,
        "changes": {k: _r(v) for k, v in f.changes.items()},
    }


def _conclusion(c: ConclusionResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.id,
        "kind": c.kind,
        "text": c.text,
        "holds": c.holds,
        "support": _r(c.support),
        "ci": [_r(c.ci[0]), _r(c.ci[1])],
        "verdict": c.verdict,
        "verdict_note": c.verdict_exact_note,
        "assumption_free": c.assumption_free,
        "flip": _flip(c.flip),
        "nearest_draw": _flip(c.nearest_draw),
    }
    if c.value is not None:
        out["value"] = c.value
    if c.acceptability is not None:
        out["acceptability"] = [
            {
                "value": v.value,
                "count": v.count,
                "share": _r(v.share),
                "confidence": None if v.confidence is None else _r(v.confidence),
                "central": {k: _r(x) for k, x in v.central.items()},
            }
            for v in c.acceptability
        ]
    crit = c.critical
    out["critical"] = None if crit is None else crit.address
    out["intervals"] = [
        {
            "of": i.address,
            "lo": _r(i.lo),
            "hi": _r(i.hi),
            "range": [_r(i.range[0]), _r(i.range[1])],
            "estimate": _r(i.estimate),
            "share": _r(i.share),
            "exact": i.exact,
        }
        for i in sorted(c.intervals, key=lambda i: (i.share, i.address))
        if i.share < 1.0 - 1e-12
    ]
    return out


def robustness_body(r: RobustnessResult) -> dict[str, Any]:
    """The command's own keys (without the envelope)."""
    return {
        "draws": r.draws,
        "completed": r.completed,
        "seed": r.seed,
        "interrupted": r.interrupted,
        "method": r.method,
        "exact": r.exact,
        "default_uncertainty": r.default_uncertainty,
        "acceptance": None if r.acceptance is None else _r(r.acceptance),
        "sampler": r.sampler,
        "varied": [
            {k: (_r(v) if isinstance(v, float) else v) for k, v in item.items()}
            for item in r.varied
        ],
        "conclusions": [_conclusion(c) for c in r.conclusions],
        "notes": list(r.notes),
    }


def robustness_document(r: RobustnessResult) -> dict[str, Any]:
    """The whole JSON document of a robustness run, in the common envelope."""
    return envelope("robustness", r.scenario, robustness_body(r))
