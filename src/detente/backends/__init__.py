"""Solving back ends: the tabulation and enumeration back end, and CP-SAT.

The engine a user picks (:data:`Engine`) selects a back end; gap questions go through
the :class:`Backend` protocol. CP-SAT (OR-Tools) loads only when the solver back end is
used: :class:`SolverBackend` and :class:`Compiled` are imported on first access.
"""

from typing import TYPE_CHECKING, Any

from detente.backends.base import Backend, DealKind, Engine, Evaluator, NearMiss, Witness
from detente.backends.masks import EnumBackend
from detente.backends.tabulation import MAX_TABULATED, Tabulation, TabulationBuilder, fits

if TYPE_CHECKING:
    from detente.backends.cpsat import Compiled
    from detente.backends.solver import SolverBackend

__all__ = [
    "MAX_TABULATED",
    "Backend",
    "Compiled",
    "DealKind",
    "Engine",
    "EnumBackend",
    "Evaluator",
    "NearMiss",
    "SolverBackend",
    "Tabulation",
    "TabulationBuilder",
    "Witness",
    "fits",
]


def __getattr__(name: str) -> Any:
    if name == "SolverBackend":
        from detente.backends.solver import SolverBackend

        return SolverBackend
    if name == "Compiled":
        from detente.backends.cpsat import Compiled

        return Compiled
    raise AttributeError(f"module 'detente.backends' has no attribute {name!r}")
