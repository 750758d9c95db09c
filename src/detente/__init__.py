"""detente: analyse multi-party negotiations and conflicts.

``detente.load(path)`` returns the validated :class:`~detente.scenario.model.Scenario`
that every analysis and the ``detente`` command use.
"""

from detente.errors import DetenteError, LimitError, Problem, ScenarioError
from detente.scenario import Scenario, load, loads

__all__ = ["DetenteError", "LimitError", "Problem", "Scenario", "ScenarioError", "load", "loads"]
__version__ = "0.1.0"
