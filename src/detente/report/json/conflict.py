"""JSON of a stability analysis (and optionally a status quo analysis and a comparison).

``states``: one entry per feasible state, ``{"id", "options", "stable": {dm: {"nash",
"gmr", "smr", "seq"}}}`` with ``options`` a Y/N string over the options in declared
order; ``equilibria``: ``{concept: [state ids]}``. Optional keys follow: ``status_quo``
(reachability of each equilibrium), ``without`` (what removing decision makers
changes) and ``certificates`` (for every equilibrium, each decision maker's
improvements with the sanction that blocks each one). Key order is part of the
contract. Rendering only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from detente.conflict.analysis import ConflictAnalysis
from detente.conflict.certificates import Certificate
from detente.conflict.compare import Comparison
from detente.conflict.concepts import CONCEPTS
from detente.conflict.stability import StabilityAnalysis
from detente.conflict.status_quo import StatusQuoAnalysis

__all__ = ["certificate_json", "comparison_json", "conflict_analysis_json", "conflict_json"]


def conflict_json(
    result: StabilityAnalysis,
    status_quo: StatusQuoAnalysis | None = None,
    comparison: Comparison | None = None,
    *,
    certificates: bool = False,
    rankings: Mapping[str, tuple[tuple[int, ...], ...]] | None = None,
) -> dict[str, Any]:
    """The body of ``detente stability``'s JSON.

    ``rankings``: each decision maker's ranking of the states, best first, ties grouped,
    under ``preferences``.
    """
    cc = result.conflict
    states: list[dict[str, Any]] = []
    for k, pattern in enumerate(cc.patterns()):
        stable = {dm: {c: bool(result.stable[dm][c][k]) for c in CONCEPTS} for dm in result.dm_ids}
        states.append({"id": k + 1, "options": pattern, "stable": stable})
    doc: dict[str, Any] = {
        "options": list(cc.options),
        "decision_makers": {d.party: list(d.options) for d in cc.decision_makers},
        "fixed": {o: ("Y" if v else "N") for o, v in cc.fixed.items()},
        "states": states,
        "equilibria": {c: result.equilibria(c) for c in CONCEPTS},
    }
    if status_quo is not None:
        doc["status_quo"] = {
            "state": status_quo.status_quo,
            "options": cc.patterns()[status_quo.status_quo - 1],
            "reachable": status_quo.rows(),
        }
    if comparison is not None:
        doc["without"] = comparison_json(comparison)
    if rankings is not None:
        doc["preferences"] = {dm: [list(g) for g in groups] for dm, groups in rankings.items()}
    if certificates:
        doc["certificates"] = [
            certificate_json(result.certificate(dm, state, c))
            for c in CONCEPTS
            for state in result.equilibria(c)
            for dm in result.dm_ids
        ]
    return doc


def certificate_json(cert: Certificate) -> dict[str, Any]:
    """Why a state is (un)stable for one decision maker under one concept."""
    return {
        "state": cert.state,
        "dm": cert.dm,
        "concept": cert.concept,
        "stable": cert.stable,
        "improvements": [
            {
                "to": chk.improvement,
                "blocked": chk.blocked,
                "sanction": chk.sanction,
                "path": [{"dm": m.dm, "to": m.to} for m in chk.path],
                "reason": chk.reason,
            }
            for chk in cert.improvements
        ],
    }


def comparison_json(cmp: Comparison) -> dict[str, Any]:
    """Equilibria with and without the removed decision makers, as option patterns."""
    return {
        "removed": list(cmp.removed),
        "held_at": {o: ("Y" if v else "N") for o, v in cmp.reduced.conflict.fixed.items()},
        "options": list(cmp.reduced.conflict.options),
        "equilibria": {
            c: {
                "with": cmp.with_patterns(c),
                "without": cmp.without_patterns(c),
                "changed": cmp.changed(c),
            }
            for c in CONCEPTS
        },
    }


def conflict_analysis_json(
    c: ConflictAnalysis, *, certificates: bool = False, preferences: bool = False
) -> dict[str, Any]:
    """The body of ``detente stability``'s JSON for a :class:`ConflictAnalysis`."""
    return conflict_json(
        c.stability,
        c.status_quo,
        c.comparison,
        certificates=certificates,
        rankings=c.rankings if preferences else None,
    )
