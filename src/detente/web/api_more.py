"""Routes of the analyses built on the composite.

Timeline, robustness, simulation, tournaments. Robustness and tournaments are jobs
(``202``, progress by server-sent events).
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from detente.web.api import (
    BODY,
    NAME,
    RELAX,
    RESPONSES,
    UNLOCK,
    Engine,
    run_task,
    submit_job,
    task_error,
)
from detente.web.workers import TaskError, WorkerPool

__all__ = ["router"]

router = APIRouter(prefix="/api")

_JOB = {
    **RESPONSES,
    202: {"description": "The job started: its URL, events and (once done) result."},
}


@router.post("/timeline", openapi_extra=BODY, responses=RESPONSES, summary="detente timeline")
async def timeline(request: Request, name: str = NAME, engine: Engine = Engine.auto) -> Response:
    """The scenario over its timeline: the document of ``detente timeline --format json``."""
    opts = {"engine": engine.value}
    return await run_task(request, "timeline", "detente.web.tasks_more:timeline", name, opts)


@router.post(
    "/robustness",
    openapi_extra=BODY,
    responses=_JOB,
    summary="detente robustness (a job)",
)
async def robustness(
    request: Request,
    name: str = NAME,
    draws: int = Query(10_000, ge=1, le=1_000_000, description="Monte Carlo draws."),
    seed: int = Query(0, ge=0, le=2**32 - 1, description="Seed (numpy SeedSequence)."),
    intervals: bool = Query(True, description="One-at-a-time stability intervals."),
) -> Response:
    """Robustness of each conclusion to the assumed numbers, run as a job.

    ``202`` and the job's URLs; its result is the document of ``detente robustness
    --format json``.
    """
    opts = {"draws": draws, "seed": seed, "intervals": intervals}
    return await submit_job(request, "robustness", "detente.web.tasks_more:robustness", name, opts)


@router.post("/simulate", openapi_extra=BODY, responses=RESPONSES, summary="detente simulate")
async def simulate(
    request: Request,
    name: str = NAME,
    protocol: str = Query("sao", max_length=40, description="sao or single-text."),
    strategy: list[str] = Query(
        [], description="PARTY=STRATEGY (repeatable), e.g. israel=boulware or hamas=linear+ac_next."
    ),
    steps: int = Query(100, ge=1, le=10_000, description="The step limit (single text: rounds)."),
    seed: int = Query(0, ge=0, le=2**32 - 1),
    mediator: str | None = Query(None, max_length=80, description="Single text: KIND or ID=KIND."),
    start: str | None = Query(
        None, max_length=120, description="Single text: a proposal id or 'random'."
    ),
    deadline: list[str] = Query([], description="PARTY=STEPS (repeatable)."),
    discount: list[str] = Query([], description="PARTY=FACTOR in (0, 1] (repeatable)."),
    unlock: list[str] = UNLOCK,
    all_amendments: bool = False,
    relax: list[str] = Query(
        [], description="Relax a demand (party/red-line-id, party/reservation, or 'cheapest')."
    ),
    replay: bool = Query(False, description="Add each offer's utilities (key 'replay')."),
) -> Response:
    """One negotiation played out: the document of ``detente simulate --format json``."""
    opts = {
        "protocol": protocol,
        "strategy": strategy,
        "steps": steps,
        "seed": seed,
        "mediator": mediator,
        "start": start,
        "deadline": deadline,
        "discount": discount,
        "unlock": unlock,
        "all_amendments": all_amendments,
        "relax": relax,
        "replay": replay,
    }
    return await run_task(request, "simulate", "detente.web.tasks_more:simulate", name, opts)


@router.post(
    "/tournament",
    openapi_extra=BODY,
    responses=_JOB,
    summary="detente tournament (a job)",
)
async def tournament(
    request: Request,
    name: str = NAME,
    strategy: list[str] = Query(
        [], description="Strategies to enter (repeatable; default five built-in ones)."
    ),
    steps: int = Query(100, ge=1, le=10_000),
    repetitions: int = Query(1, ge=1, le=100),
    seed: int = Query(0, ge=0, le=2**32 - 1),
    relax: list[str] = RELAX,
) -> Response:
    """A round robin of strategies on the scenario, run as a job.

    ``202`` and the job's URLs; its result is the leaderboard document of ``detente
    tournament`` (on the scenario with the ``relax`` demands relaxed).
    """
    opts = {
        "strategy": strategy,
        "steps": steps,
        "repetitions": repetitions,
        "seed": seed,
        "relax": relax,
    }
    return await submit_job(request, "tournament", "detente.web.tasks_more:tournament", name, opts)


@router.get("/strategies", summary="detente strategies", responses=RESPONSES)
async def strategies(request: Request) -> Response:
    """The negotiation strategies and acceptance conditions: ``detente strategies``."""
    pool: WorkerPool = request.app.state.pool
    try:
        code, media, body = await pool.run("detente.web.tasks_more:strategies", {})
    except TaskError as err:
        return task_error("strategies", err)
    return Response(body, status_code=code, media_type=media)
