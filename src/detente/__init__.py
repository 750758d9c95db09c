"""detente: analyze multi-party negotiations and conflicts.

The API in five names::

    import detente

    s = detente.load("talks.yaml")        # a checked, immutable Scenario (or ScenarioError)
    a = detente.analyze(s)                # everything: deal, proposals, gaps, conflict, summary
    deal = detente.analyze_deal(s)        # ZOPA, frontiers, bargaining solutions, proposals
    gaps = detente.analyze_gaps(s)        # minimal conflicts, bridges, amendments, near misses
    gmcr = detente.analyze_conflict(s)    # GMCR stability, status quo, outside pressure

Each returns a frozen result carrying the same header (``scenario``, ``method``,
``exact``, ``parameters``, ``notes``). The analyses load lazily: ``import detente``
loads nothing but the error types; the rest loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from detente.errors import DetenteError, LimitError, Problem, ScenarioError

if TYPE_CHECKING:
    from detente.analysis.composite import analyze
    from detente.conflict.analysis import analyze_conflict
    from detente.deal.analysis import analyze_deal
    from detente.gaps.analysis import analyze_gaps
    from detente.scenario import Scenario, ScenarioDocument, load, load_data, loads

__all__ = [
    "DetenteError",
    "LimitError",
    "Problem",
    "Scenario",
    "ScenarioDocument",
    "ScenarioError",
    "analyze",
    "analyze_conflict",
    "analyze_deal",
    "analyze_gaps",
    "load",
    "load_data",
    "loads",
]
__version__ = "0.2.0"

_LAZY = {
    "Scenario": "detente.scenario",
    "ScenarioDocument": "detente.scenario",
    "load": "detente.scenario",
    "load_data": "detente.scenario",
    "loads": "detente.scenario",
    "analyze": "detente.analysis.composite",
    "analyze_conflict": "detente.conflict.analysis",
    "analyze_deal": "detente.deal.analysis",
    "analyze_gaps": "detente.gaps.analysis",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'detente' has no attribute {name!r}")
