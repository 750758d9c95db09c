"""Negotiation strategies as plug-ins: metadata, registry, the built-in families.

See :mod:`detente.simulate.strategies.base` (the seam), :mod:`.registry` (names, specs,
the ``detente.strategies`` entry point group), :mod:`.time_based`, :mod:`.acceptance`,
:mod:`.tit_for_tat` and :mod:`.simple`.
"""

from detente.simulate.strategies.base import BOA, Negotiator, Parameter, StrategyInfo
from detente.simulate.strategies.registry import (
    DEFAULT_STRATEGY,
    Spec,
    conditions,
    info,
    make,
    parse,
    register,
    strategies,
)

__all__ = [
    "BOA",
    "DEFAULT_STRATEGY",
    "Negotiator",
    "Parameter",
    "Spec",
    "StrategyInfo",
    "conditions",
    "info",
    "make",
    "parse",
    "register",
    "strategies",
]
