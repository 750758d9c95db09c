"""Strategic analysis with the Graph Model for Conflict Resolution (GMCR).

Typical use from a notebook::

    import detente
    from detente.conflict import analyze_conflict

    scenario = detente.load("conflict.yaml")
    result = analyze_conflict(scenario)      # stability, status quo, with/without mediators
    result.equilibria("seq")                 # state ids
    st = result.stability
    st.certificate("us", 7, "gmr")           # each improvement and its sanction
    st.to_dataframe()                        # needs the [pandas] extra

Modules: :mod:`~detente.conflict.analysis` (the one entry point),
:mod:`~detente.conflict.model` (states), :mod:`~detente.conflict.moves`
(R_i, R_i^+), :mod:`~detente.conflict.preferences`, :mod:`~detente.conflict.stability`
(Nash, GMR, SMR, SEQ), :mod:`~detente.conflict.certificates`,
:mod:`~detente.conflict.status_quo`, :mod:`~detente.conflict.compare` (with/without a
decision maker).
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detente.conflict.analysis import ConflictAnalysis, analyze_conflict
    from detente.conflict.compare import Comparison, compare_without
    from detente.conflict.concepts import Concept
    from detente.conflict.model import CompiledConflict, compile_conflict
    from detente.conflict.stability import CONCEPTS, StabilityAnalysis, analyze_stability
    from detente.conflict.status_quo import StatusQuoAnalysis, status_quo_analysis

__all__ = [
    "CONCEPTS",
    "Comparison",
    "Concept",
    "ConflictAnalysis",
    "CompiledConflict",
    "StabilityAnalysis",
    "StatusQuoAnalysis",
    "analyze_conflict",
    "analyze_stability",
    "compare_without",
    "compile_conflict",
    "status_quo_analysis",
]

# names load on first use: importing one module of the package loads only what it needs
_LAZY = {
    "CONCEPTS": "detente.conflict.stability",
    "Comparison": "detente.conflict.compare",
    "CompiledConflict": "detente.conflict.model",
    "Concept": "detente.conflict.concepts",
    "ConflictAnalysis": "detente.conflict.analysis",
    "StabilityAnalysis": "detente.conflict.stability",
    "StatusQuoAnalysis": "detente.conflict.status_quo",
    "analyze_conflict": "detente.conflict.analysis",
    "analyze_stability": "detente.conflict.stability",
    "compare_without": "detente.conflict.compare",
    "compile_conflict": "detente.conflict.model",
    "status_quo_analysis": "detente.conflict.status_quo",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
