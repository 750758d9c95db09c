"""The Cairo case with random dates: it loads or is refused cleanly, and its timeline runs.

Dates are moved on red lines, responses, the proposal, the amendment and the conflict
options (``until`` too), including dates that put an option's use before the amendment
adding it, or an ``until`` before its ``date``; every outcome is a checked scenario whose
timeline and ``--as-of`` views analyse without error, or a ScenarioError with a place.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import detente
from detente.scenario.loader import load_data
from detente.scenario.locations import Locations
from detente.scenario.reading.yaml_reader import parse
from detente.timeline import timeline
from strategies import examples

CAIRO = Path(detente.__file__).parent / "examples" / "cairo-2024-05.yaml"
DATA = parse(CAIRO.read_text(), str(CAIRO), Locations())
DAYS = [None, *(f"2024-05-0{d}" for d in range(4, 10))]


def _targets(doc: dict[str, Any]) -> list[dict[str, Any]]:
    out = [rl for pos in doc["positions"].values() for rl in pos.get("red_lines", [])]
    for p in doc["proposals"]:
        out.append(p)
        out.extend(p.get("responses", []))
    out.extend(doc.get("amendments", []))
    out.extend(o for dm in doc["conflict"]["decision_makers"] for o in dm["options"])
    return out


@st.composite
def _redated(draw: st.DrawFn) -> dict[str, Any]:
    doc = copy.deepcopy(DATA)
    items = _targets(doc)
    for _ in range(draw(st.integers(1, 4))):
        item = items[draw(st.integers(0, len(items) - 1))]
        field = draw(st.sampled_from(["date", "until"]))
        day = draw(st.sampled_from(DAYS))
        if day is None:
            item.pop(field, None)
        else:
            item[field] = day
    return doc


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_redated())
def test_redated_cairo_loads_or_is_refused_cleanly(doc: dict[str, Any]) -> None:
    try:
        s = load_data(doc, "cairo")
    except detente.ScenarioError as err:
        assert err.problems
        assert all(p.message for p in err.problems)
        return
    t = timeline(s)
    for d in t.days:
        assert d.date is not None
        assert d.analysis.summary is not None
    detente.analyze(s.on(dt.date(2024, 5, 5)))
