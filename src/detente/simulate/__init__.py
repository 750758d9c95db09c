"""Negotiations played out: protocols (SAO, a mediator's single text), strategies, tournaments.

:func:`simulate` plays one negotiation of a scenario and returns a frozen
:class:`~detente.simulate.results.Simulation`; :mod:`detente.simulate.strategies` holds
the strategy plug-ins. Nothing here prints or writes files.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detente.simulate.arena import Arena, prepare
    from detente.simulate.results import Simulation
    from detente.simulate.simulation import simulate

__all__ = ["Arena", "Simulation", "prepare", "simulate"]

_LAZY = {
    "Arena": "detente.simulate.arena",
    "prepare": "detente.simulate.arena",
    "Simulation": "detente.simulate.results",
    "simulate": "detente.simulate.simulation",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
