"""The composite analysis (every analysis of a scenario) and its bottom line."""

from detente.analysis.composite import Analysis, analyze
from detente.analysis.summary import (
    BridgeLine,
    GapLine,
    PressureLine,
    ProposalLine,
    Summary,
    summarize,
)

__all__ = [
    "Analysis",
    "BridgeLine",
    "GapLine",
    "PressureLine",
    "ProposalLine",
    "Summary",
    "analyze",
    "summarize",
]
