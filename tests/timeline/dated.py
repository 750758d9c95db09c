"""Random dated scenarios for the timeline's property tests (test_timeline, test_frames).

Two parties over integer, choice and boolean issues; red lines, reservations (some
moving on a day), proposals and an amendment, each with a random ``date``/``until``
among ``days``. ``wide`` adds what the shared frames must handle: firmness (absolute
included), more red lines, a further weighted integer issue ``w`` and more reservation
values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st


def dated_documents(
    days: Sequence[dt.date], rules: Sequence[str], *, wide: bool = False
) -> st.SearchStrategy[dict[str, Any]]:
    """Scenario documents with dated items (module docstring)."""

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        def period() -> dict[str, Any]:
            out: dict[str, Any] = {}
            i = draw(st.integers(-1, len(days) - 1))
            if i >= 0:
                out["date"] = days[i].isoformat()
            j = draw(st.integers(i + 1, len(days)))
            if j < len(days) and draw(st.booleans()):
                out["until"] = days[j].isoformat()
            return out

        def red_line(p: str, k: int) -> dict[str, Any]:
            line: dict[str, Any] = {"id": f"{p}{k}", "rule": draw(st.sampled_from(rules))}
            if wide:
                line["firmness"] = draw(st.sampled_from([1, 3, 7, "absolute"]))
            return {**line, **period()}

        positions: dict[str, Any] = {}
        for p in ("a", "b"):
            rls = [red_line(p, k) for k in range(draw(st.integers(0, 4 if wide else 3)))]
            res: Any = draw(st.sampled_from([0.0, 0.3, 0.6]))
            if draw(st.booleans()):
                cut = draw(st.sampled_from(days[1:])).isoformat()
                later = [0.2, 0.5, 0.7] if wide else [0.2, 0.5]
                res = [
                    {"value": res, "until": cut},
                    {"value": draw(st.sampled_from(later)), "date": cut},
                ]
            priorities: dict[str, Any] = {
                "x": {"weight": 1, "values": "increasing" if p == "a" else "decreasing"},
                "y": {"weight": 0.5, "values": {"y1": 1, "y2": 0.5, "y3": 0.2}},
            }
            if wide:
                priorities["w"] = {
                    "weight": draw(st.sampled_from([0, 0.5, 2])),
                    "values": "increasing",
                }
            positions[p] = {"red_lines": rls, "priorities": priorities, "reservation": res}
        proposals = [
            {"id": f"p{k}", "by": ["a"], "terms": {"x": draw(st.integers(0, 6))}, **period()}
            for k in range(draw(st.integers(0, 2)))
        ]
        amendments = (
            [{"id": "m1", "adds": {"y": ["y3"]}, **period()}] if draw(st.booleans()) else []
        )
        issues: list[dict[str, Any]] = [
            {"id": "x", "kind": "integer", "range": [0, 6]},
            {"id": "y", "kind": "choice", "options": ["y1", "y2", "y3"]},
            {"id": "z", "kind": "boolean"},
        ]
        if wide:
            issues.append({"id": "w", "kind": "integer", "range": [0, 4]})
        return {
            "id": "random-dated",
            "title": "Random dated",
            "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
            "issues": issues,
            "positions": positions,
            "proposals": proposals,
            "amendments": amendments,
        }

    return build()
