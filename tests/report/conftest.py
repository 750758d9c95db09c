"""Shared analyses for the renderer tests (computed once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.cli.app import bundled_example
from detente.deal.analysis import DealAnalysis, analyze_deal
from detente.scenario import load
from detente.scenario.checked import Scenario

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "detente" / "examples"


@pytest.fixture(scope="session")
def cairo() -> Scenario:
    return load(bundled_example())


@pytest.fixture(scope="session")
def cairo_analysis(cairo: Scenario) -> DealAnalysis:
    return analyze_deal(cairo)


@pytest.fixture(scope="session")
def salary_analysis() -> DealAnalysis:
    return analyze_deal(load(DATA / "salary.yaml"))


@pytest.fixture(scope="session")
def climate_analysis() -> DealAnalysis:
    return analyze_deal(load(EXAMPLES / "climate-finance.yaml"))
