"""The deal analysis: ZOPA, Pareto frontiers, bargaining solutions, proposals.

:func:`analyze_deal` is the entry point (enumeration, the additive merge path or
CP-SAT); :func:`check_proposals` checks proposals against every party's red lines.
"""

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
