"""Scenario files: schema, loading with located errors, checks, and the expression language.

:func:`load` (and :func:`loads`, :func:`load_data`) return a checked :class:`Scenario`,
the immutable value every analysis takes; the document it holds is a
:class:`~detente.scenario.model.ScenarioDocument`.
"""

from detente.scenario.checked import Scenario, ScenarioLike
from detente.scenario.loader import load, load_data, loads
from detente.scenario.model import ScenarioDocument

__all__ = ["Scenario", "ScenarioDocument", "ScenarioLike", "load", "load_data", "loads"]
