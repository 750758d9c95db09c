"""Robustness of conclusions: how far each holds when the assumed numbers move.

:func:`analyze_robustness` is the entry point (seeded Monte Carlo over the
``uncertainty`` section, exact flip distances and verdicts where they exist,
one-at-a-time stability intervals, SMAA-2 descriptors of deals and bridges).
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detente.robustness.analysis import analyze_robustness
    from detente.robustness.results import ConclusionResult, RobustnessResult

__all__ = ["ConclusionResult", "RobustnessResult", "analyze_robustness"]

# names load on first use: importing one module of the package loads only what it needs
_LAZY = {
    "ConclusionResult": "detente.robustness.results",
    "RobustnessResult": "detente.robustness.results",
    "analyze_robustness": "detente.robustness.analysis",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'detente.robustness' has no attribute {name!r}")
