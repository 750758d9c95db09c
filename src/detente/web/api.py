"""The JSON API: the CLI's ``--format json`` documents, over HTTP.

Each route takes the scenario text as the raw request body (``Content-Type:
application/yaml`` or ``application/json``) and the command's options as query
parameters, and answers the same document as the command (same envelope, same keys).
A bad scenario answers ``422`` with the CLI's error document (problems with file, line,
column, field, expected and hint); a busy server ``429`` with ``Retry-After``; an
analysis past its time or memory limit ``504`` with a message. Long runs are jobs
(:mod:`detente.web.jobs`): ``202`` and the job's URLs.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from detente.errors import Problem, ScenarioError
from detente.web.jobs import Job, JobStore
from detente.web.safety import REPORT_CSP, alias_budget
from detente.web.workers import Busy, Crashed, Failed, MemoryLimit, TaskError, TimeLimit, WorkerPool

__all__ = [
    "BODY",
    "RESPONSES",
    "Engine",
    "router",
    "run_task",
    "scenario_payload",
    "submit_job",
    "task_error",
]

router = APIRouter(prefix="/api")

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The scenario file's text (YAML or JSON).",
        "content": {
            "application/yaml": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object"}},
        },
    }
}
_PROBLEMS = {
    "description": "The error document: ok false, error, problems (file, line, column, path, message, expected, hint).",
    "content": {"application/json": {"schema": {"type": "object"}}},
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The command's JSON document.",
        "content": {"application/json": {"schema": {"type": "object"}}},
    },
    413: {"description": "Request body over the limit."},
    415: {"description": "Not YAML or JSON."},
    422: _PROBLEMS,
    429: {"description": "Busy: every worker is taken and the queue is full; see Retry-After."},
    504: {"description": "The analysis ran past its time or memory limit and was stopped."},
}
NAME = Query("scenario.yaml", max_length=200, description="File name the problems name.")
UNLOCK = Query([], description="Adopt this amendment's options (repeatable).")
RELAX = Query(
    [], description="Relax this demand (party/red-line-id or party/reservation; repeatable)."
)
AS_OF = Query(None, description="Analyse the scenario as it stood on this day (YYYY-MM-DD).")


class Engine(str, Enum):
    """The back end a user asks for (as ``--engine``)."""

    auto = "auto"
    enum = "enum"
    merge = "merge"
    solver = "solver"


def _error(
    command: str, status: int, kind: str, message: str, scenario: str | None = None
) -> JSONResponse:
    from detente.report.json.envelope import envelope

    body = envelope(
        command,
        scenario,
        {"ok": False, "error": kind, "problems": [Problem(message).to_dict()]},
    )
    return JSONResponse(body, status_code=status)


def _refused(command: str, err: ScenarioError) -> JSONResponse:
    from detente.report.json.envelope import error_document

    return JSONResponse(error_document(command, err), status_code=422)


def _media_type(request: Request) -> str:
    return (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()


async def scenario_payload(
    request: Request, command: str, name: str, options: dict[str, Any]
) -> dict[str, Any] | Response:
    """The task payload of a request, or the response refusing its body."""
    media = _media_type(request)
    if media not in YAML_TYPES and media != "application/json":
        return _error(
            command,
            415,
            "unsupported",
            f"send the scenario as application/yaml or application/json, not '{media or 'nothing'}'",
        )
    raw = await request.body()
    if b"\x00" in raw:
        err = ScenarioError(
            [Problem("binary data, not a text scenario", (), name, 1, 1, "YAML or JSON text")]
        )
        return _refused(command, err)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        err = ScenarioError(
            [Problem(f"not UTF-8 text (byte {exc.start})", (), name, line, None, "UTF-8 text")]
        )
        return _refused(command, err)
    try:
        if len(text) > 65_536:
            await run_in_threadpool(alias_budget, text, name)
        else:
            alias_budget(text, name)
    except ScenarioError as err:
        return _refused(command, err)
    return {"text": text, "name": name, "command": command, "options": options}


def _pool(request: Request) -> WorkerPool:
    pool: WorkerPool = request.app.state.pool
    return pool


def task_error(command: str, err: TaskError) -> JSONResponse:
    """The response of a task that did not finish: 429 busy, 504 past a limit, 500."""
    if isinstance(err, Busy):
        r = _error(command, 429, "busy", str(err))
        r.headers["Retry-After"] = str(err.retry_after)
        return r
    if isinstance(err, (TimeLimit, MemoryLimit, Crashed)):
        kind = "time_limit" if isinstance(err, TimeLimit) else "memory_limit"
        return _error(command, 504, kind, str(err))
    assert isinstance(err, (Failed, TaskError))
    return _error(command, 500, "failed", str(err))


async def run_task(
    request: Request, command: str, task: str, name: str, options: dict[str, Any]
) -> Response:
    """Run ``task`` on the request's scenario and answer its document."""
    payload = await scenario_payload(request, command, name, options)
    if isinstance(payload, Response):
        return payload
    try:
        code, media, body = await _pool(request).run(task, payload)
    except TaskError as err:
        return task_error(command, err)
    return Response(body, status_code=code, media_type=media)


def _options(**kw: Any) -> dict[str, Any]:
    out = {}
    for k, v in kw.items():
        if isinstance(v, Enum):
            v = v.value
        elif isinstance(v, dt.date):
            v = v.isoformat()
        out[k] = v
    return out


@router.post("/validate", openapi_extra=BODY, responses=RESPONSES, summary="detente validate")
async def validate(request: Request, name: str = NAME) -> Response:
    """Check a scenario: the document of ``detente validate --format json``."""
    return await run_task(request, "validate", "detente.web.tasks:validate", name, {})


@router.post("/analyze", openapi_extra=BODY, responses=RESPONSES, summary="detente analyze")
async def analyze(
    request: Request,
    name: str = NAME,
    engine: Engine = Engine.auto,
    unlock: list[str] = UNLOCK,
    all_amendments: bool = False,
    red_lines_only: bool = False,
    limit: int = Query(20_000_000, ge=1, le=100_000_000),
    relax: list[str] = RELAX,
    as_of: dt.date | None = AS_OF,
) -> Response:
    """The composite analysis: the document of ``detente analyze --format json``."""
    options = _options(
        engine=engine,
        unlock=unlock,
        all_amendments=all_amendments,
        red_lines_only=red_lines_only,
        limit=limit,
        relax=relax,
        as_of=as_of,
    )
    return await run_task(request, "analyze", "detente.web.tasks:analyze", name, options)


@router.post("/gaps", openapi_extra=BODY, responses=RESPONSES, summary="detente gaps")
async def gaps(
    request: Request,
    name: str = NAME,
    engine: Engine = Engine.auto,
    red_lines_only: bool = False,
    limit: int = Query(50, ge=1, le=10_000),
    time_limit: float = Query(60.0, ge=0.1, le=600.0),
    unlock: list[str] = UNLOCK,
    all_amendments: bool = False,
    relax: list[str] = RELAX,
    as_of: dt.date | None = AS_OF,
) -> Response:
    """Gaps, bridges, near misses, amendments: ``detente gaps --format json``."""
    options = _options(
        engine=engine,
        red_lines_only=red_lines_only,
        limit=limit,
        time_limit=time_limit,
        unlock=unlock,
        all_amendments=all_amendments,
        relax=relax,
        as_of=as_of,
    )
    return await run_task(request, "gaps", "detente.web.tasks:gaps", name, options)


@router.post("/stability", openapi_extra=BODY, responses=RESPONSES, summary="detente stability")
async def stability(
    request: Request,
    name: str = NAME,
    from_status_quo: bool = False,
    without: list[str] = Query([], description="Also analyse without this decision maker."),
    certificates: bool = False,
    preferences: bool = False,
    as_of: dt.date | None = AS_OF,
) -> Response:
    """GMCR stability: the document of ``detente stability --format json``."""
    options = _options(
        from_status_quo=from_status_quo,
        without=without,
        certificates=certificates,
        preferences=preferences,
        as_of=as_of,
    )
    return await run_task(request, "stability", "detente.web.tasks:stability", name, options)


@router.post(
    "/report",
    openapi_extra=BODY,
    responses={**RESPONSES, 200: {"description": "The HTML report.", "content": {"text/html": {}}}},
    response_class=Response,
    summary="detente report",
)
async def report(
    request: Request,
    name: str = NAME,
    engine: Engine = Engine.auto,
    unlock: list[str] = UNLOCK,
    all_amendments: bool = False,
    plots: bool = True,
    relax: list[str] = RELAX,
    as_of: dt.date | None = AS_OF,
) -> Response:
    """The whole analysis as one self-contained HTML file (``detente report``)."""
    options = _options(
        engine=engine,
        unlock=unlock,
        all_amendments=all_amendments,
        plots=plots,
        relax=relax,
        as_of=as_of,
    )
    r = await run_task(request, "report", "detente.web.tasks:report", name, options)
    if r.status_code == 200:
        stem = name.rsplit(".", 1)[0] or "scenario"
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in stem)[:80]
        r.headers["Content-Disposition"] = f'attachment; filename="{safe}-report.html"'
        r.headers["Content-Security-Policy"] = REPORT_CSP
    return r


@router.post("/view", openapi_extra=BODY, responses=RESPONSES, summary="The editor page's view")
async def view(
    request: Request,
    name: str = NAME,
    unlock: list[str] = UNLOCK,
    all_amendments: bool = False,
    relax: list[str] = RELAX,
    as_of: dt.date | None = AS_OF,
) -> Response:
    """Everything the editor page shows, in one round trip.

    The analysis document, the proposal checks, the figures, the toggles' demands and
    amendments, the timeline's days.
    """
    options = _options(unlock=unlock, all_amendments=all_amendments, relax=relax, as_of=as_of)
    options["lenient"] = True  # a relaxed demand not in force on the day is left out
    return await run_task(request, "view", "detente.web.tasks:view", name, options)


# -- jobs --------------------------------------------------------------------------------


def _jobs(request: Request) -> JobStore:
    jobs: JobStore = request.app.state.jobs
    return jobs


async def submit_job(
    request: Request, command: str, task: str, name: str, options: dict[str, Any]
) -> Response:
    """Start ``task`` as a job: ``202`` with the job's JSON and ``Location``."""
    payload = await scenario_payload(request, command, name, options)
    if isinstance(payload, Response):
        return payload
    try:
        job = _jobs(request).submit(command, task, payload)
    except Busy as err:
        return task_error(command, err)
    return JSONResponse(job.to_dict(), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})


def _job(request: Request, job_id: str) -> Job | JSONResponse:
    job = _jobs(request).get(job_id)
    if job is None:
        return JSONResponse(
            {
                "detail": f"no job '{job_id[:40]}' (jobs are kept until the server stops, the last {_jobs(request).keep})"
            },
            status_code=404,
        )
    return job


@router.get("/jobs/{job_id}", summary="A job's status")
async def job_status(request: Request, job_id: str) -> Response:
    """Where a job stands: status, progress, and its result's URL once done."""
    job = _job(request, job_id)
    return job if isinstance(job, Response) else JSONResponse(job.to_dict())


@router.get("/jobs/{job_id}/result", summary="A job's result")
async def job_result(request: Request, job_id: str) -> Response:
    """The finished job's document (``409`` while it runs)."""
    job = _job(request, job_id)
    if isinstance(job, Response):
        return job
    if job.result is None:
        if job.finished:
            return _error(
                job.kind, 504 if job.error else 500, "failed", job.error or "the job failed"
            )
        return JSONResponse({"detail": f"job {job.id} is {job.status}"}, status_code=409)
    return Response(job.result, status_code=job.status_code or 200, media_type=job.media_type)


@router.get(
    "/jobs/{job_id}/events",
    summary="A job's progress (server-sent events)",
    responses={200: {"content": {"text/event-stream": {}}}},
    response_class=StreamingResponse,
)
async def job_events(request: Request, job_id: str) -> Response:
    """``progress`` events, then ``done`` or ``failed``, each with the job's JSON."""
    job = _job(request, job_id)
    if isinstance(job, Response):
        return job
    return StreamingResponse(
        _jobs(request).events(job),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
