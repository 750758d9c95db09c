"""The deal analysis: ZOPA, Pareto frontiers, bargaining solutions, proposals.

:func:`analyze_deal` is the entry point (enumeration, the additive merge path or
CP-SAT); :func:`check_proposals` checks proposals against every party's red lines.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detente.deal.analysis import DEFAULT_LIMIT, ENUMERATE_UP_TO, DealAnalysis, analyze_deal
    from detente.deal.frontier import DEFAULT_TIE_LIMIT, FrontierBuilder, FrontierPoints
    from detente.deal.merge import additive_frontier
    from detente.deal.proposals import (
        PartyCheck,
        ProposalCheck,
        check_proposal,
        check_proposals,
        check_terms,
    )
    from detente.deal.scoring import Improvement, ProposalScore
    from detente.deal.solutions import Solutions, solve
    from detente.deal.zopa import PartyAcceptance, Zopa

__all__ = [
    "DEFAULT_LIMIT",
    "DEFAULT_TIE_LIMIT",
    "ENUMERATE_UP_TO",
    "DealAnalysis",
    "FrontierBuilder",
    "FrontierPoints",
    "Improvement",
    "PartyAcceptance",
    "PartyCheck",
    "ProposalCheck",
    "ProposalScore",
    "Solutions",
    "Zopa",
    "additive_frontier",
    "analyze_deal",
    "check_proposal",
    "check_proposals",
    "check_terms",
    "solve",
]

# names load on first use: importing one module of the package loads only what it needs
_LAZY = {
    "DEFAULT_LIMIT": "detente.deal.analysis",
    "DEFAULT_TIE_LIMIT": "detente.deal.frontier",
    "DealAnalysis": "detente.deal.analysis",
    "ENUMERATE_UP_TO": "detente.deal.analysis",
    "FrontierBuilder": "detente.deal.frontier",
    "FrontierPoints": "detente.deal.frontier",
    "Improvement": "detente.deal.scoring",
    "PartyAcceptance": "detente.deal.zopa",
    "PartyCheck": "detente.deal.proposals",
    "ProposalCheck": "detente.deal.proposals",
    "ProposalScore": "detente.deal.scoring",
    "Solutions": "detente.deal.solutions",
    "Zopa": "detente.deal.zopa",
    "additive_frontier": "detente.deal.merge",
    "analyze_deal": "detente.deal.analysis",
    "check_proposal": "detente.deal.proposals",
    "check_proposals": "detente.deal.proposals",
    "check_terms": "detente.deal.proposals",
    "solve": "detente.deal.solutions",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
