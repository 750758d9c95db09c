"""The tasks a worker process runs: load the scenario text, analyse, render the document.

Each task is ``fn(payload, progress) -> (status, media_type, body bytes)``: the JSON is
made in the worker (the documents of ``detente ... --format json``, through the same
:mod:`detente.report` functions), so the server process only passes bytes on. A refused
input (:class:`~detente.errors.DetenteError`) becomes the CLI's error document with
status ``422``. ``payload`` is ``{"text", "name", "command", "options"}``; options are
already checked by the API.

:func:`view` is the editor page's one round trip: the analysis document (its whole-space
frontier cut to :data:`VIEW_FRONTIER` points), the proposal checks, the Plotly figures
(SVG traces: no WebGL, so no ``eval`` under the page's CSP), the demands and amendments
behind the page's toggles, and the timeline's days.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from detente.errors import DetenteError

if TYPE_CHECKING:
    from detente.analysis.composite import Analysis
    from detente.scenario.checked import Scenario

__all__ = [
    "VIEW_FRONTIER",
    "VIEW_POINTS",
    "Result",
    "analyze",
    "gaps",
    "relaxed",
    "report",
    "stability",
    "validate",
    "view",
    "warm_up",
]

Result = tuple[int, str, bytes]
Progress = Callable[[dict[str, Any]], None]
JSON = "application/json"
VIEW_FRONTIER = 50  # whole-space frontier points sent to the page (the count is kept)
VIEW_POINTS = 2_000  # outcomes drawn in the page's deal-space plot


def _dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, default=str).encode()


def _refusal(command: str, err: DetenteError, scenario: str | None) -> Result:
    from detente.report.json.envelope import error_document

    return 422, JSON, _dumps(error_document(command, err, scenario))


def relaxed(s: Scenario, keys: Iterable[str], *, lenient: bool = False) -> Scenario:
    """``s`` with the demands ``keys`` relaxed: red lines dropped, reservations set to 0.

    The page's "relax this demand" toggle; a bridge's demands are relaxed the same way.
    The one check and rewrite of ``detente simulate --relax``
    (:func:`detente.simulate.arena.relaxed`): raises
    :class:`~detente.errors.ScenarioError` naming an unknown or absolute demand; with
    ``lenient`` (the editor page, whose date slider may reach a day before a red line
    existed) unknown demands are left out instead.
    """
    from detente.simulate.arena import relaxed as drop

    return drop(s, keys, lenient=lenient, field="relax")


def as_of(s: Scenario, day: dt.date) -> Scenario:
    """The scenario as it stood on ``day`` (``--as-of``; the page's date slider)."""
    return s.on(day)


def _scenario(payload: dict[str, Any]) -> Scenario:
    from detente.scenario import loads

    s = loads(payload["text"], payload.get("name") or "<body>")
    options = payload.get("options", {})
    if options.get("as_of"):
        s = as_of(s, dt.date.fromisoformat(options["as_of"]))
    if options.get("relax"):
        s = relaxed(s, options["relax"], lenient=bool(options.get("lenient")))
    return s


def _guarded(payload: dict[str, Any], body: Callable[[Scenario], Result]) -> Result:
    command = str(payload.get("command", "detente"))
    scenario: str | None = None
    try:
        s = _scenario(payload)
        scenario = s.id
        return body(s)
    except DetenteError as err:
        return _refusal(command, err, scenario)


def _dated(doc: dict[str, Any], s: Scenario, options: dict[str, Any]) -> bytes:
    """``doc`` with the ``as_of`` key when a day was asked for (as ``--as-of``), as JSON."""
    from detente.report.json.timeline import with_as_of

    return _dumps(with_as_of(doc, s, options.get("as_of")))


def _unlock(options: dict[str, Any]) -> list[str] | bool:
    return True if options.get("all_amendments") else list(options.get("unlock", ()))


def _progress(progress: Progress) -> Callable[[str, int, int], None]:
    last = [0.0]

    def cb(step: str, done: int, total: int) -> None:
        import time

        now = time.monotonic()
        if now - last[0] >= 0.2 or done >= total:
            last[0] = now
            progress({"step": step, "done": done, "total": total})

    return cb


def _analysis(s: Scenario, options: dict[str, Any], progress: Progress | None = None) -> Analysis:
    from detente.analysis.composite import analyze as composite

    return composite(
        s,
        engine=options.get("engine", "auto"),
        unlock=_unlock(options),
        red_lines_only=bool(options.get("red_lines_only", False)),
        limit=int(options.get("limit", 20_000_000)),
        progress=None if progress is None else _progress(progress),
    )


def validate(payload: dict[str, Any], progress: Progress) -> Result:
    """``POST /api/validate``: the document of ``detente validate --format json``."""
    from detente.report.json.scenario import validate_json

    o = payload.get("options", {})
    return _guarded(payload, lambda s: (200, JSON, _dated(validate_json(s), s, o)))


def analyze(payload: dict[str, Any], progress: Progress) -> Result:
    """``POST /api/analyze``: the document of ``detente analyze --format json``."""
    from detente.report.json.analysis import analysis_document

    options = payload.get("options", {})
    return _guarded(
        payload,
        lambda s: (
            200,
            JSON,
            _dated(analysis_document(_analysis(s, options, progress)), s, options),
        ),
    )


def gaps(payload: dict[str, Any], progress: Progress) -> Result:
    """``POST /api/gaps``: the document of ``detente gaps --format json``."""
    from detente.gaps.analysis import analyze_gaps
    from detente.report.json.envelope import envelope
    from detente.report.json.gaps import gaps_to_dict

    o = payload.get("options", {})

    def run(s: Scenario) -> Result:
        result = analyze_gaps(
            s,
            engine=o.get("engine", "auto"),
            red_lines_only=bool(o.get("red_lines_only", False)),
            gap_limit=int(o.get("limit", 50)),
            bridge_limit=int(o.get("limit", 50)),
            time_limit=float(o.get("time_limit", 60.0)),
            unlock=_unlock(o),
        )
        return 200, JSON, _dated(envelope("gaps", s.id, gaps_to_dict(result)), s, o)

    return _guarded(payload, run)


def stability(payload: dict[str, Any], progress: Progress) -> Result:
    """``POST /api/stability``: the document of ``detente stability --format json``."""
    from detente.conflict.analysis import analyze_conflict
    from detente.conflict.status_quo import status_quo_analysis
    from detente.report.json.conflict import conflict_analysis_json
    from detente.report.json.envelope import envelope

    o = payload.get("options", {})

    def run(s: Scenario) -> Result:
        sq = bool(o.get("from_status_quo", False))
        r = analyze_conflict(s, status_quo=sq, without=list(o.get("without", ())))
        if sq and r.status_quo is None:
            status_quo_analysis(r.stability)  # raises the located ScenarioError
        body = conflict_analysis_json(
            r,
            certificates=bool(o.get("certificates", False)),
            preferences=bool(o.get("preferences", False)),
        )
        return 200, JSON, _dated(envelope("stability", s.id, body), s, o)

    return _guarded(payload, run)


def report(payload: dict[str, Any], progress: Progress) -> Result:
    """``POST /api/report``: the HTML of ``detente report`` (one self-contained file)."""
    from detente.report.html.report import render_report

    o = payload.get("options", {})

    def run(s: Scenario) -> Result:
        html = render_report(_analysis(s, o, progress), plots=bool(o.get("plots", True)))
        return 200, "text/html; charset=utf-8", html.encode()

    return _guarded(payload, run)


def _svg(fig: Any) -> dict[str, Any]:
    """A figure's JSON with WebGL traces drawn as SVG (the page runs no ``eval``)."""
    data: dict[str, Any] = json.loads(fig.to_json())
    for trace in data.get("data", []):
        if trace.get("type") == "scattergl":
            trace["type"] = "scatter"
    return data


def _toggles(s: Scenario, a: Analysis) -> dict[str, Any]:
    from detente.space.demands import demands

    return {
        "demands": [
            {
                "key": d.key,
                "party": d.party,
                "party_name": s.party_name(d.party),
                "kind": d.kind,
                "label": d.label or d.rule,
                "rule": d.rule,
                "firmness": d.firmness,
                "relaxable": d.relaxable,
                "basis": d.basis,
            }
            for d in demands(s)
        ],
        "amendments": [{"id": m.id, "title": m.title} for m in s.amendments],
        "parties": {p.id: p.name for p in s.parties},
    }


def _timeline(s: Scenario) -> dict[str, Any]:
    """The date slider's days, the day shown, and the file's events.

    The days are every day the whole file's model changes or an event is reported, not
    only those up to the day shown.
    """
    from detente.timeline.changes import timeline_days

    whole = s.history.document if s.history is not None else s.document
    day = s.history.day if s.history is not None and s.history.day else s.as_of
    events = sorted(whole.events, key=lambda ev: ev.date)
    return {
        "as_of": day.isoformat() if day else None,
        "days": [d.isoformat() for d in timeline_days(whole)],
        "dated": s.history is not None,
        "events": [
            {"date": ev.date.isoformat(), "kind": ev.kind, "text": ev.text, "basis": ev.basis}
            for ev in events
        ],
    }


def view(payload: dict[str, Any], progress: Progress) -> Result:
    """``POST /api/view``: everything the editor page shows, in one document."""
    from detente.report.json.analysis import analysis_document
    from detente.report.json.envelope import envelope
    from detente.report.json.scenario import check_json
    from detente.report.json.timeline import as_of_document
    from detente.report.plots.conflict import conflict_figure
    from detente.report.plots.deal import figure
    from detente.report.text.summary import summary_lines
    from detente.space.demands import demands

    o = payload.get("options", {})
    # the toggles list the day's demands before any is relaxed (so each can be undone)
    base = {**payload, "options": {k: v for k, v in o.items() if k != "relax"}}

    def run(unrelaxed: Scenario) -> Result:
        s = relaxed(unrelaxed, o.get("relax", ()), lenient=bool(o.get("lenient")))
        a = _analysis(s, o)
        doc = analysis_document(a)
        full = doc.get("frontier_all") or []
        doc["frontier_all"] = full[:VIEW_FRONTIER]
        figures: dict[str, Any] = {"deal": None, "conflict": None}
        if a.deal is not None:
            figures["deal"] = _svg(figure(a.deal, max_points=VIEW_POINTS))
        if a.conflict is not None:
            figures["conflict"] = _svg(conflict_figure(a.conflict.stability, s))
        body = {
            "title": s.title,
            "bottom_line": summary_lines(a),
            "analysis": doc,
            "frontier_all_count": len(full),
            "check": check_json(s, a.checks),
            "figures": figures,
            "toggles": _toggles(unrelaxed, a),
            "relaxed": [d.key for d in demands(unrelaxed) if d.key in set(o.get("relax", ()))],
            "timeline": _timeline(s),
            "as_of": as_of_document(unrelaxed) if o.get("as_of") else None,
            "options": o,
        }
        return 200, JSON, _dumps(envelope("view", s.id, body))

    return _guarded(base, run)


def warm_up() -> None:
    """Run the page's view of the bundled Cairo example once (imports, caches)."""
    from importlib.resources import files

    text = (files("detente") / "examples" / "cairo-2024-05.yaml").read_text(encoding="utf-8")
    view({"text": text, "name": "cairo-2024-05.yaml", "command": "view"}, lambda _: None)
