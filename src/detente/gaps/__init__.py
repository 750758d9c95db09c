"""Irreconcilable gaps (minimal conflicts), bridges, amendments and near misses.

:func:`analyze_gaps` is the entry point; the algorithms (MARCO, cost-ordered MCS)
ask a back end (:mod:`detente.backends`) their questions.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detente.gaps.amendments import AmendmentResult, analyze_amendments
    from detente.gaps.analysis import analyze_gaps, choose_backend
    from detente.gaps.bridges import Bridge, enumerate_bridges
    from detente.gaps.mus import Gap, enumerate_gaps
    from detente.gaps.near_miss import near_misses
    from detente.gaps.result import GapAnalysis, zopa_open

__all__ = [
    "AmendmentResult",
    "Bridge",
    "Gap",
    "GapAnalysis",
    "analyze_amendments",
    "analyze_gaps",
    "choose_backend",
    "enumerate_bridges",
    "enumerate_gaps",
    "near_misses",
    "zopa_open",
]

# names load on first use: importing one module of the package loads only what it needs
_LAZY = {
    "AmendmentResult": "detente.gaps.amendments",
    "Bridge": "detente.gaps.bridges",
    "Gap": "detente.gaps.mus",
    "GapAnalysis": "detente.gaps.result",
    "analyze_amendments": "detente.gaps.amendments",
    "analyze_gaps": "detente.gaps.analysis",
    "choose_backend": "detente.gaps.analysis",
    "enumerate_bridges": "detente.gaps.bridges",
    "enumerate_gaps": "detente.gaps.mus",
    "near_misses": "detente.gaps.near_miss",
    "zopa_open": "detente.gaps.result",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
