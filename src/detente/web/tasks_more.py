"""Worker tasks of the analyses built on the composite.

Simulation, the timeline and robustness (a job: it reports its progress).

Same contract as :mod:`detente.web.tasks`: ``fn(payload, progress) -> (status, media
type, body)``, the body the document of the matching command's ``--format json``, a
refusal the CLI's error document with ``422``. Imported only inside a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from detente.simulate.options import party_numbers, party_values
from detente.web.tasks import JSON, Progress, Result, _dumps, _guarded, _unlock

if TYPE_CHECKING:
    from detente.scenario.checked import Scenario

__all__ = ["DEFAULT_ENTRANTS", "robustness", "simulate", "strategies", "timeline", "tournament"]

# a tournament's entrants when none are named: the time-based families and two foils
DEFAULT_ENTRANTS = ("boulware", "linear", "conceder", "hardliner", "naive-tft")


def simulate(payload: dict[str, Any], progress: Progress) -> Result:
    """``POST /api/simulate``: the document of ``detente simulate --format json``.

    With ``replay`` the document gains one key, ``replay``: every party's utility of each
    offer in the trace (the page's replay plot), in trace order.
    """
    from detente.report.json.envelope import envelope
    from detente.report.json.simulation import simulation_document
    from detente.simulate.arena import prepare
    from detente.simulate.simulation import resolve_relax
    from detente.simulate.simulation import simulate as play

    o = payload.get("options", {})
    # the library relaxes demands itself ('cheapest' included): not the page's relax
    inner = {**payload, "options": {k: v for k, v in o.items() if k != "relax"}}

    def run(s: Scenario) -> Result:
        unlock = _unlock(o)
        relax = list(o.get("relax", ()))
        arena = None
        if o.get("replay"):
            keys, _ = resolve_relax(s, relax, unlock)
            arena = prepare(s, unlock=unlock, relax=keys)
        result = play(
            s,
            protocol=o.get("protocol", "sao"),
            strategies=party_values(list(o.get("strategy", ())), "strategy"),
            steps=int(o.get("steps", 100)),
            seed=int(o.get("seed", 0)),
            unlock=unlock,
            relax=relax,
            deadlines=party_numbers(
                party_values(list(o.get("deadline", ())), "deadline"), "deadline", int
            ),
            discounts=party_numbers(
                party_values(list(o.get("discount", ())), "discount"), "discount", float
            ),
            mediator=o.get("mediator"),
            start=o.get("start"),
            arena=arena,
        )
        doc = envelope("simulate", s.id, simulation_document(result))
        if arena is not None:
            doc["replay"] = _replay(arena, doc["trace"])
        return 200, JSON, _dumps(doc)

    return _guarded(inner, run)


def _replay(arena: Any, trace: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for a in trace:
        terms = a.get("terms")
        if not terms:
            continue
        try:
            u = arena.utility_dict(arena.encode(terms))
        except ValueError:  # terms outside the arena (cannot happen for its own offers)
            continue
        out.append(
            {"step": a["step"], "party": a.get("party"), "action": a["action"], "utilities": u}
        )
    return out


def strategies(payload: dict[str, Any], progress: Progress) -> Result:
    """``GET /api/strategies``: the document of ``detente strategies --format json``."""
    from detente.report.json.envelope import envelope
    from detente.report.json.simulation import strategies_document

    return 200, JSON, _dumps(envelope("strategies", None, strategies_document()))


def timeline(payload: dict[str, Any], progress: Progress) -> Result:
    """``POST /api/timeline``: the document of ``detente timeline --format json``."""
    from detente.report.json.timeline import timeline_document
    from detente.timeline import timeline as over_time

    o = payload.get("options", {})
    inner = {**payload, "options": {k: v for k, v in o.items() if k != "as_of"}}

    def run(s: Scenario) -> Result:
        return 200, JSON, _dumps(timeline_document(over_time(s, engine=o.get("engine", "auto"))))

    return _guarded(inner, run)


def robustness(payload: dict[str, Any], progress: Progress) -> Result:
    """``POST /api/robustness`` (a job): the document of ``detente robustness --format json``.

    Progress is reported as ``{"step": "draws", "done", "total"}`` after each chunk.
    """
    from detente.report.json.robustness import robustness_document
    from detente.robustness.analysis import analyze_robustness

    o = payload.get("options", {})

    def run(s: Scenario) -> Result:
        result = analyze_robustness(
            s,
            draws=int(o.get("draws", 10_000)),
            seed=int(o.get("seed", 0)),
            intervals=bool(o.get("intervals", True)),
            progress=lambda done, total: progress({"step": "draws", "done": done, "total": total}),
        )
        return 200, JSON, _dumps(robustness_document(result))

    return _guarded(payload, run)


def tournament(payload: dict[str, Any], progress: Progress) -> Result:
    """``POST /api/tournament`` (a job): a round robin of strategies on the scenario.

    The document of ``detente tournament --format json`` (``out`` is ``null``: the web
    app stores no rows); progress is ``{"step": "negotiations", "done", "total"}``.
    """
    from detente.report.json.envelope import envelope
    from detente.report.json.simulation import tournament_document
    from detente.simulate.tournament import run_tournament

    o = payload.get("options", {})

    def run(s: Scenario) -> Result:
        result = run_tournament(
            [s],
            strategies=list(o.get("strategy") or DEFAULT_ENTRANTS),
            steps=int(o.get("steps", 100)),
            repetitions=int(o.get("repetitions", 1)),
            seed=int(o.get("seed", 0)),
            progress=lambda done, total: progress(
                {"step": "negotiations", "done": done, "total": total}
            ),
        )
        body = tournament_document(result, result.ranking, total=len(result.rows), out=None)
        return 200, JSON, _dumps(envelope("tournament", s.id, body))

    return _guarded(payload, run)
