"""``detente serve``: the web app (needs the ``web`` extra: FastAPI and uvicorn)."""

from __future__ import annotations

from pathlib import Path

import typer

from detente.cli.app import app, err_console, guarded
from detente.errors import DetenteError

__all__ = ["serve"]


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port (0: any free one)."),
    workspace: Path = typer.Option(
        Path("workspace"), "--workspace", help="Folder scenario files are saved in (created)."
    ),
    token: str | None = typer.Option(
        None,
        "--token",
        help="Access token (required on a non-loopback address; generated when not given).",
    ),
    workers: int = typer.Option(0, "--workers", min=0, max=64, help="Analysis workers (0: cores)."),
    queue: int = typer.Option(
        8, "--queue", min=0, max=1000, help="Requests that may wait (429 past)."
    ),
    time_limit: float = typer.Option(
        30.0, "--time-limit", min=0.5, help="Seconds an analysis may run (504 past)."
    ),
    job_time_limit: float = typer.Option(
        600.0, "--job-time-limit", min=1.0, help="Seconds a job (robustness, tournament) may run."
    ),
    memory_mb: int = typer.Option(
        2048, "--memory-mb", min=128, help="Memory an analysis worker may allocate, in MB."
    ),
    body_limit: int = typer.Option(
        2 * 1024 * 1024, "--body-limit", min=1024, help="Largest request body in bytes (413 past)."
    ),
) -> None:
    """Serve the web app: a library of scenarios, an editor, every analysis, the JSON API."""

    def settings() -> object:
        try:
            import fastapi  # noqa: F401
            import uvicorn  # noqa: F401
        except ImportError:
            raise DetenteError(
                "the web app needs the 'web' extra: pip install 'detente[web]'"
            ) from None
        from detente.web.config import Settings, is_loopback
        from detente.web.safety import new_token
        from detente.web.workers import worker_count

        chosen = token
        if not is_loopback(host) and not chosen:
            chosen = new_token()
        return Settings(
            host=host,
            port=port,
            workspace=workspace,
            token=chosen,
            body_limit=body_limit,
            workers=workers or worker_count(),
            queue=queue,
            time_limit=time_limit,
            job_time_limit=job_time_limit,
            memory_mb=memory_mb,
        )

    cfg = guarded(settings)
    from detente.web.server import run

    guarded(lambda: run(cfg, announce=lambda line: err_console.print(line, markup=False)))  # type: ignore[arg-type]
