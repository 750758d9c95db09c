"""``detente tournament``: every seating of strategies on scenarios, stored as Parquet.

Rows are stored as they arrive: each finished task's rows go to a part file in
``OUT.parts/`` (written to a temporary name, then renamed), and at the end the parts and
any earlier ``OUT`` are merged into ``OUT``. Re-running the same command after an
interruption reads ``OUT`` and ``OUT.parts/``, skips the negotiations already stored and
plays only the rest: nothing lost, nothing done twice. The run's settings are kept in
the Parquet metadata; resuming with other settings is refused (``--force`` starts over).
Parquet needs the ``[tables]`` extra (pyarrow), imported only here.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
from pathlib import Path
from typing import Any

import typer

from detente.cli.app import Format, app, console, document, emit_json, err_console, guarded
from detente.errors import DetenteError

__all__ = ["tournament_cmd"]

META_KEY = b"detente.tournament"


def _pyarrow() -> Any:
    import importlib

    try:  # the [tables] extra, only here
        pa: Any = importlib.import_module("pyarrow")
        pq: Any = importlib.import_module("pyarrow.parquet")
    except ImportError:
        raise DetenteError("writing Parquet needs pyarrow: pip install 'detente[tables]'") from None
    return pa, pq


def _read_rows(path: Path, settings: dict[str, Any]) -> list[dict[str, Any]]:
    _, pq = _pyarrow()
    table = pq.read_table(path)
    meta = (table.schema.metadata or {}).get(META_KEY)
    if meta is None or json.loads(meta) != settings:
        raise DetenteError(
            f"{path} holds a tournament with other settings; not resuming it "
            "(use --force to start over)"
        )
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows


def _write(path: Path, rows: list[dict[str, Any]], settings: dict[str, Any]) -> None:
    pa, pq = _pyarrow()
    table = pa.Table.from_pylist(rows)
    table = table.replace_schema_metadata({META_KEY: json.dumps(settings).encode()})
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


@app.command("tournament")
def tournament_cmd(
    files: list[Path] = typer.Argument(..., help="Scenario files."),
    strategies: str = typer.Option(
        "boulware,linear,conceder", "--strategies", help="Comma-separated strategy specs."
    ),
    steps: int = typer.Option(100, "--steps", min=1, help="The step limit N of each negotiation."),
    repetitions: int = typer.Option(1, "--repetitions", min=1, help="Plays of each seating."),
    seed: int = typer.Option(0, "--seed", help="Seeds every negotiation."),
    workers: int = typer.Option(1, "--workers", min=1, help="Local worker processes."),
    dask: str | None = typer.Option(
        None, "--dask", help="A Dask scheduler address (needs the distributed extra)."
    ),
    out: Path = typer.Option(..., "--out", help="Parquet file of the rows (resumed if present)."),
    force: bool = typer.Option(False, "--force", help="Start over, replacing OUT."),
    format: Format = typer.Option(Format.text, "--format", help="text or json"),
) -> None:
    """Play every seating of the strategies on every scenario; rank the strategies."""
    from detente.cli.app import load_scenario
    from detente.simulate.tournament import ranking, run_tournament

    scenarios = [guarded(lambda f=f: load_scenario(f), format) for f in files]  # type: ignore[misc]
    specs = [s.strip() for s in strategies.split(",") if s.strip()]
    ids = [s.id for s in scenarios]
    settings: dict[str, Any] = {
        "scenarios": ids,
        "strategies": specs,
        "steps": steps,
        "repetitions": repetitions,
        "seed": seed,
    }
    parts = out.with_name(out.name + ".parts")

    def previous() -> list[dict[str, Any]]:
        if force:
            if out.exists():
                out.unlink()
            shutil.rmtree(parts, ignore_errors=True)
            return []
        rows = _read_rows(out, settings) if out.exists() else []
        if parts.is_dir():
            for p in sorted(parts.glob("*.parquet")):
                rows += _read_rows(p, settings)
        return rows

    old = guarded(previous, format)
    done = {(r["scenario_index"], r["assignment"], r["repetition"]) for r in old}
    show = sys.stderr.isatty() and format is not Format.json
    bar: Any = None
    task: Any = None
    if show:
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(
            TextColumn("negotiations"),
            BarColumn(),
            TextColumn("{task.completed:,}/{task.total:,}"),
            TimeRemainingColumn(),
            console=err_console,
            transient=True,
        )

    def store(rows: list[dict[str, Any]]) -> None:
        parts.mkdir(parents=True, exist_ok=True)
        _write(parts / f"part-{uuid.uuid4().hex}.parquet", rows, settings)

    def progress(n: int, total: int) -> None:
        nonlocal task
        if bar is None:
            return
        if task is None:
            bar.start()
            task = bar.add_task("negotiations", total=total)
        bar.update(task, completed=n)

    try:
        result = guarded(
            lambda: run_tournament(
                scenarios,
                strategies=specs,
                steps=steps,
                repetitions=repetitions,
                seed=seed,
                workers=workers,
                dask=dask,
                skip=done,
                on_rows=store,
                progress=progress,
            ),
            format,
        )
    finally:
        if bar is not None:
            bar.stop()
    rows = sorted(
        [*old, *(dict(r) for r in result.rows)],
        key=lambda r: (r["scenario_index"], r["assignment"], r["repetition"]),
    )
    guarded(lambda: _write(out, rows, settings), format)
    shutil.rmtree(parts, ignore_errors=True)
    ranked = ranking(rows)
    from detente.report.json.simulation import tournament_document

    body = tournament_document(result, ranked, total=len(rows), out=str(out))
    if format is Format.json:
        emit_json(document("tournament", ",".join(ids), body))
        return
    from detente.report.text.simulation import tournament_text

    console.print(tournament_text(body), markup=False, soft_wrap=True)
