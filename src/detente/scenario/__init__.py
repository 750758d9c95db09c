"""Scenario files: schema, loading with located errors, and the expression language."""

from detente.scenario.loader import load, loads
from detente.scenario.model import Scenario

__all__ = ["Scenario", "load", "loads"]
