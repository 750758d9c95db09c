"""The web app: :func:`create_app` builds the FastAPI application from :class:`Settings`.

The application is the JSON API (:mod:`detente.web.api`, :mod:`detente.web.api_files`,
:mod:`detente.web.api_more`), the pages (one HTML shell and its bundled script, served
from ``detente/web/static``; Plotly from the ``plotly`` package's own bundle), and the
raw ASGI layers around them (:mod:`detente.web.safety`): the host and token guard
outermost, then the body-size limit. Analyses run in worker processes
(:mod:`detente.web.workers`), started when the application starts and stopped with it.
Nothing is fetched from the internet, at build time or at run time.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response

from detente.web.config import Settings
from detente.web.jobs import JobStore
from detente.web.safety import Access, BodyLimit, Guard
from detente.web.workers import Limits, WorkerPool
from detente.web.workspace import Workspace

__all__ = ["STATIC", "create_app", "plotly_bundle"]

STATIC = Path(str(files("detente") / "web" / "static"))
_LOG = logging.getLogger("detente.web")
_PAGES = {"/": "index.html", "/edit": "index.html"}
_STATIC_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".html": "text/html; charset=utf-8",
    ".yaml": "application/yaml; charset=utf-8",
}


@cache
def plotly_bundle() -> bytes:
    """The ``plotly`` package's own ``plotly.min.js`` (it matches the figures' version)."""
    import plotly

    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()


def _command(path: str) -> str:
    """The CLI command a path answers for (``/api/gaps`` -> ``gaps``)."""
    part = path.removeprefix("/api/").split("/", 1)[0]
    return part or "detente"


def _problem_of(err: dict[str, Any]) -> dict[str, Any]:
    loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body")]
    where = ".".join(loc) or "request"
    ctx = err.get("ctx") or {}
    expected = ctx.get("expected") or ctx.get("pattern")
    limits = [
        f"{k.replace('_', ' ')} {v}"
        for k, v in ctx.items()
        if k in ("ge", "le", "gt", "lt", "max_length")
    ]
    return {
        "file": None,
        "line": None,
        "column": None,
        "path": where,
        "message": f"query parameter '{where}': {err.get('msg', 'invalid')}",
        "expected": str(expected) if expected else (", ".join(limits) or None),
        "hint": None,
    }


def _exception_handlers(app: FastAPI) -> None:
    from detente.report.json.envelope import envelope

    @app.exception_handler(RequestValidationError)
    async def bad_options(request: Request, exc: RequestValidationError) -> JSONResponse:
        """A bad option answers like a bad scenario: 422 and located problems."""
        body = envelope(
            _command(request.url.path),
            None,
            {"ok": False, "error": "invalid", "problems": [_problem_of(e) for e in exc.errors()]},
        )
        return JSONResponse(body, status_code=422)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        """No stack trace reaches a response: it goes to the server's log."""
        _LOG.exception("unexpected error on %s", request.url.path)
        body = envelope(
            _command(request.url.path),
            None,
            {
                "ok": False,
                "error": "failed",
                "problems": [
                    {"message": "the server failed unexpectedly (its log has the details)"}
                ],
            },
        )
        return JSONResponse(body, status_code=500)


def _pages(app: FastAPI) -> None:
    @app.get("/static/plotly.min.js", include_in_schema=False)
    async def plotly_js() -> Response:
        return Response(
            plotly_bundle(),
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> Response:
        path = STATIC / name
        if "/" in name or name.startswith(".") or not path.is_file():
            return JSONResponse({"detail": f"no file '{name[:60]}'"}, status_code=404)
        return FileResponse(
            path,
            media_type=_STATIC_TYPES.get(path.suffix, "application/octet-stream"),
            headers={"Cache-Control": "no-cache"},
        )

    for route, page in _PAGES.items():

        async def serve_page(page: str = page) -> Response:
            return FileResponse(
                STATIC / page,
                media_type="text/html; charset=utf-8",
                headers={"Cache-Control": "no-cache"},
            )

        app.add_api_route(route, serve_page, methods=["GET"], include_in_schema=False)

    @app.get("/api/health", summary="Whether the server is up, and its workers")
    async def health(request: Request) -> dict[str, Any]:
        """``ok``, the analysis workers, those started, and the tasks waiting for one."""
        pool: WorkerPool = request.app.state.pool
        return {"ok": True, "workers": pool.size, "ready": pool.ready, "waiting": pool.waiting}


def create_app(settings: Settings | None = None) -> Any:
    """The ASGI application for ``settings`` (the guard and body limit around FastAPI).

    Returns the FastAPI application wrapped in the raw ASGI middleware; its
    ``.fastapi`` attribute is the FastAPI object (routes, state, OpenAPI).
    """
    from detente.web import api, api_files, api_more

    cfg = settings or Settings()
    if cfg.token is None and cfg.hosts is None:
        raise ValueError("a server on a non-loopback address needs a token")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = WorkerPool(cfg.workers, Limits(cfg.time_limit, cfg.memory_mb), cfg.queue)
        job_pool = WorkerPool(
            cfg.job_workers, Limits(cfg.job_time_limit, cfg.memory_mb), cfg.job_queue
        )
        await pool.start()
        await job_pool.start()
        app.state.pool = pool
        app.state.jobs = JobStore(job_pool, seconds=cfg.job_time_limit)
        try:
            yield
        finally:
            await app.state.jobs.close()
            await job_pool.close()
            await pool.close()

    app = FastAPI(
        title="detente",
        summary="Analyse multi-party negotiations: the detente command line's JSON over HTTP.",
        version=_version(),
        lifespan=lifespan,
        docs_url=None,  # the interactive docs page loads scripts from a CDN
        redoc_url=None,
    )
    app.state.settings = cfg
    app.state.workspace = Workspace(cfg.workspace)
    _exception_handlers(app)
    app.include_router(api.router)
    app.include_router(api_files.router)
    app.include_router(api_more.router)
    _pages(app)
    inner = BodyLimit(app, cfg.body_limit)
    outer = Guard(inner, Access(cfg.hosts, cfg.token))
    outer.fastapi = app  # type: ignore[attr-defined]
    return outer


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("detente")
    except PackageNotFoundError:
        return "0"
