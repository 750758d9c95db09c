"""Irreconcilable gaps (minimal conflicts), bridges, amendments and near misses.

:func:`analyze_gaps` is the entry point; the algorithms (MARCO, cost-ordered MCS)
ask a back end (:mod:`detente.backends`) their questions.
"""

from detente.gaps.amendments import AmendmentResult, analyze_amendments
from detente.gaps.analysis import GapAnalysis, analyze_gaps, choose_backend, zopa_open
from detente.gaps.bridges import Bridge, enumerate_bridges
from detente.gaps.mus import Gap, enumerate_gaps
from detente.gaps.near_miss import near_misses

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
