"""JSON rendering of a deal analysis (``detente analyze --format json``).

:func:`analysis_to_dict` maps a :class:`~detente.deal.analysis.DealAnalysis` to plain
JSON data. Key order is part of the contract: ``zopa`` {``size``, ``empty``, ...},
``frontier`` (the ZOPA's Pareto frontier), ``frontier_all`` (the whole space's),
``solutions`` {``nash``, ``kalai_smorodinsky``, ``egalitarian``, ``utilitarian``} and
``proposals``. Other commands may add keys (``gaps``, ``bridges``, ``near_misses``) to
the returned dict. Every frontier point and solution says how many outcomes share its
utility vector and lists tied outcomes up to the analysis' tie limit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from detente.deal.analysis import DealAnalysis
from detente.deal.frontier import FrontierPoints
from detente.space.bargaining import Deal

if TYPE_CHECKING:  # annotations only: proposal scoring loads when a scenario has proposals
    from detente.deal.scoring import Improvement, ProposalScore

__all__ = ["analysis_to_dict", "deal_to_dict", "frontier_to_list", "proposal_to_dict"]


def _u(parties: tuple[str, ...], u: npt.NDArray[np.float64]) -> dict[str, float]:
    return {p: float(x) for p, x in zip(parties, u, strict=True)}


def frontier_to_list(a: DealAnalysis, f: FrontierPoints) -> list[dict[str, Any]]:
    """One {terms, utilities, count, ties} per distinct frontier vector, best u_1 first."""
    out = []
    terms = a.terms_of(f.codes)
    for j in range(len(f)):
        ties = f.ties[j] if j < len(f.ties) else f.codes[j : j + 1]
        out.append(
            {
                "terms": terms[j],
                "utilities": _u(a.parties, f.utilities[j]),
                "count": f.counts[j],
                "ties": a.terms_of(ties) if f.counts[j] > 1 else [],
            }
        )
    return out


def deal_to_dict(deal: Deal | None) -> dict[str, Any] | None:
    """A bargaining point: {terms, utilities, value, count, ties, optimal, method}, or None.

    ``ties`` lists the other optimal, undominated points ({terms, utilities}); ``count``
    counts every outcome that reaches an optimal point.
    """
    if deal is None:
        return None
    return {
        "terms": dict(deal.terms),
        "utilities": {p: round(float(u), 12) for p, u in deal.utilities.items()},
        "value": round(float(deal.value), 12),
        "count": deal.count,
        "ties": [
            {
                "terms": dict(pt.terms),
                "utilities": {p: round(float(u), 12) for p, u in pt.utilities.items()},
            }
            for pt in deal.points[1:]
        ],
        "optimal": deal.optimal,
        "method": deal.method,
    }


def _improvement(a: DealAnalysis, imp: Improvement | None) -> dict[str, Any] | None:
    if imp is None:
        return None
    return {
        "terms": imp.terms,
        "utilities": _u(a.parties, imp.utilities),
        "gains": _u(a.parties, imp.gains),
        "changes": {k: {"from": v[0], "to": v[1]} for k, v in imp.changes.items()},
        "acceptable_to": list(imp.acceptable_to),
    }


def proposal_to_dict(a: DealAnalysis, p: ProposalScore) -> dict[str, Any]:
    """A proposal's scores; ``utilities`` is null when issues are left open."""
    rng = None
    if p.u_min is not None and p.u_max is not None:
        rng = {
            q: [float(lo), float(hi)] for q, lo, hi in zip(a.parties, p.u_min, p.u_max, strict=True)
        }
    return {
        "id": p.id,
        "terms": p.terms,
        "open_issues": list(p.open_issues),
        "completions": p.completions,
        "evaluated": p.evaluated,
        "utilities": _u(a.parties, p.utilities) if p.utilities is not None else None,
        "utility_range": rng,
        "acceptable_to": list(p.acceptable_to),
        "acceptable_to_some": list(p.acceptable_to_some),
        "violations": {q: list(v) for q, v in p.violations.items()},
        "violations_some": {q: list(v) for q, v in p.violations_some.items()},
        "below_reservation": list(p.below_reservation),
        "dominated_by": _improvement(a, p.dominated_by),
    }


def analysis_to_dict(a: DealAnalysis) -> dict[str, Any]:
    """The JSON document of a deal analysis (see the module docstring)."""
    z = a.zopa
    return {
        "scenario": a.scenario,
        "method": a.method,
        "exact": a.exact,
        "space": {
            "size": a.space.size,
            "issues": list(a.issues),
            "parties": list(a.parties),
            "reservations": _u(a.parties, a.reservations),
        },
        "zopa": {
            "size": z.size,
            "empty": z.empty,
            "sample": [
                {"terms": a.terms(c), "utilities": _u(a.parties, u)}
                for c, u in zip(z.sample, z.sample_utilities, strict=True)
            ],
            "parties": {
                pa.party: {
                    "acceptable": pa.acceptable,
                    "below_reservation": pa.below_reservation,
                    "red_line_failures": pa.red_line_failures,
                    "reservation": pa.reservation,
                }
                for pa in z.parties
            },
        },
        "frontier": frontier_to_list(a, a.frontier),
        "frontier_all": frontier_to_list(a, a.frontier_all),
        "frontier_computed": a.frontier_computed,
        "solutions": {name: deal_to_dict(s) for name, s in a.solutions.items()},
        "proposals": [proposal_to_dict(a, p) for p in a.proposals],
        "notes": list(a.notes),
    }
