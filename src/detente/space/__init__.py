"""The outcome space: issue domains, utilities, demands, dominance and bargaining objectives.

Everything the analyses share about outcomes and what parties make of them; no analysis
lives here. See docs/architecture.md.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from detente.space.utility import (
        AdditiveUtility,
        Domain,
        domains,
        require_deal_model,
        utilities,
    )

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

# names load on first use: importing one module of the package loads only what it needs
_LAZY = {
    "AdditiveUtility": "detente.space.utility",
    "Chunk": "detente.space.outcomes",
    "DEFAULT_CHUNK": "detente.space.outcomes",
    "Deal": "detente.space.bargaining",
    "DealPoint": "detente.space.bargaining",
    "Demand": "detente.space.demands",
    "Domain": "detente.space.utility",
    "KINDS": "detente.space.bargaining",
    "Kind": "detente.space.bargaining",
    "OutcomeSample": "detente.space.sampling",
    "OutcomeSpace": "detente.space.outcomes",
    "RESERVATION": "detente.space.demands",
    "Terms": "detente.space.outcomes",
    "UTILITY_DECIMALS": "detente.space.outcomes",
    "acceptable": "detente.space.demands",
    "canonical": "detente.space.outcomes",
    "covered": "detente.space.dominance",
    "demands": "detente.space.demands",
    "disagreement": "detente.space.demands",
    "domains": "detente.space.utility",
    "group_rows": "detente.space.dominance",
    "make_deal": "detente.space.bargaining",
    "objective": "detente.space.bargaining",
    "optimal_rows": "detente.space.bargaining",
    "pareto_mask": "detente.space.dominance",
    "party_columns": "detente.space.demands",
    "require_deal_model": "detente.space.utility",
    "sample_outcomes": "detente.space.sampling",
    "satisfaction": "detente.space.demands",
    "skyline_distinct": "detente.space.dominance",
    "utilities": "detente.space.utility",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
