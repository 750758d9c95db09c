"""docs/timeline.md names every key ``detente timeline`` and ``detente diff`` print."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import detente
from detente.report.json.timeline import diff_document, timeline_document
from detente.timeline import diff, timeline

DOC = Path(__file__).resolve().parents[2] / "docs" / "timeline.md"
CAIRO = Path(detente.__file__).parent / "examples" / "cairo-2024-05.yaml"


def _keys(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set(data).union(*(_keys(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(_keys(v) for v in data))
    return set()


def test_every_key_is_documented() -> None:
    s = detente.load(CAIRO)
    ids = {p.id for p in s.parties} | {p.id for p in s.proposals} | {i.id for i in s.issues}
    docs = [
        timeline_document(timeline(s)),
        diff_document(diff(s, dt.date(2024, 5, 6), dt.date(2024, 5, 9))),
    ]
    # states ("NNNN") and ids used as keys are data
    keys = {k for d in docs for k in _keys(d) if k not in ids and set(k) - set("YN")}
    page = DOC.read_text(encoding="utf-8")
    assert sorted(k for k in keys if f"`{k}`" not in page) == []
