"""``detente report``: the whole analysis as one HTML file to mail or print."""

from __future__ import annotations

from pathlib import Path

import typer

from detente.cli.app import (
    Format,
    app,
    console,
    document,
    emit_json,
    guarded,
    load_scenario,
    refuse_overwrite,
    write_output,
)
from detente.cli.deal_cmds import ALL_AMENDMENTS, ENGINE, UNLOCK, Engine, run_analysis

__all__ = ["report"]


@app.command()
def report(
    file: Path | None = typer.Argument(None, help="Scenario file (default: the Cairo example)."),
    output: Path = typer.Option(Path("report.html"), "-o", "--output", help="HTML file to write."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
    engine: Engine = ENGINE,
    unlock: list[str] = UNLOCK,
    all_amendments: bool = ALL_AMENDMENTS,
    plots: bool = typer.Option(True, "--plots/--no-plots", help="Embed the interactive charts."),
    format: Format = typer.Option(Format.text, "--format", help="text or json (what to print)"),
) -> None:
    """Write the whole analysis as one self-contained HTML file (no network when opened)."""
    from detente.report.html.report import render_report

    refuse_overwrite(output, force, format)
    scenario = guarded(lambda: load_scenario(file), format)
    result = run_analysis(
        scenario, format, engine=engine, unlock=True if all_amendments else list(unlock)
    )
    html = guarded(lambda: render_report(result, plots=plots), format)
    write_output(output, html, format)
    size = output.stat().st_size
    if format is Format.json:
        emit_json(document("report", scenario.id, {"output": str(output), "bytes": size}))
    else:
        console.print(f"wrote {output} ({size / 1e6:.1f} MB)", markup=False)
