"""The outcome space: issue domains, utilities, demands, dominance and bargaining objectives.

Everything the analyses share about outcomes and what parties make of them; no analysis
lives here. See docs/architecture.md.
"""

from detente.space.bargaining import (
    KINDS,
    Deal,
    DealPoint,
    Kind,
    make_deal,
    objective,
    optimal_rows,
)
from detente.space.demands import (
    RESERVATION,
    Demand,
    acceptable,
    demands,
    disagreement,
    party_columns,
    satisfaction,
)
from detente.space.dominance import covered, group_rows, pareto_mask, skyline_distinct
from detente.space.outcomes import (
    DEFAULT_CHUNK,
    UTILITY_DECIMALS,
    Chunk,
    OutcomeSpace,
    Terms,
    canonical,
)
from detente.space.sampling import OutcomeSample, sample_outcomes
from detente.space.utility import AdditiveUtility, Domain, domains, require_deal_model, utilities

__all__ = [
    "DEFAULT_CHUNK",
    "KINDS",
    "RESERVATION",
    "UTILITY_DECIMALS",
    "AdditiveUtility",
    "Chunk",
    "Deal",
    "DealPoint",
    "Demand",
    "Domain",
    "Kind",
    "OutcomeSample",
    "OutcomeSpace",
    "Terms",
    "acceptable",
    "canonical",
    "covered",
    "demands",
    "disagreement",
    "domains",
    "group_rows",
    "make_deal",
    "objective",
    "optimal_rows",
    "pareto_mask",
    "party_columns",
    "require_deal_model",
    "sample_outcomes",
    "satisfaction",
    "skyline_distinct",
    "utilities",
]
