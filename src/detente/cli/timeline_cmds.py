"""``detente timeline``, ``detente diff`` and ``detente plot-timeline``: the talks over time.

Thin commands: load, run :func:`detente.timeline.timeline` or
:func:`detente.timeline.diff`, render with :mod:`detente.report` (text narrative, or
JSON through the envelope).
"""

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
    parse_day,
    refuse_overwrite,
    write_output,
)
from detente.cli.deal_cmds import ENGINE, Engine

__all__ = ["diff_cmd", "plot_timeline_cmd", "timeline_cmd"]

FILE = typer.Argument(None, help="Scenario file (default: the bundled Cairo example).")
FORMAT = typer.Option(Format.text, "--format", help="text or json")


@app.command("timeline")
def timeline_cmd(
    file: Path | None = FILE,
    format: Format = FORMAT,
    engine: Engine = ENGINE,
    context: bool = typer.Option(
        True, "--context/--no-context", help="Text: list the reported events of each day."
    ),
) -> None:
    """The analysis on every day the model changes, and what each move did."""
    from detente.report.json.timeline import timeline_document
    from detente.report.text.timeline import timeline_text
    from detente.timeline import timeline

    scenario = guarded(lambda: load_scenario(file), format)
    result = guarded(lambda: timeline(scenario, engine=engine.value), format)
    if format is Format.json:
        emit_json(timeline_document(result))
    else:
        console.print(timeline_text(result, context=context), markup=False, soft_wrap=True, end="")


@app.command("diff")
def diff_cmd(
    file: Path | None = FILE,
    date_from: str = typer.Option(..., "--from", metavar="DATE", help="The earlier day."),
    date_to: str = typer.Option(..., "--to", metavar="DATE", help="The later day."),
    format: Format = FORMAT,
    engine: Engine = ENGINE,
) -> None:
    """What changed between two days, and its effect on the analysis."""
    from detente.report.json.timeline import diff_document
    from detente.report.text.timeline import diff_text
    from detente.timeline import diff

    d1 = guarded(lambda: parse_day(date_from, "--from"), format)
    d2 = guarded(lambda: parse_day(date_to, "--to"), format)
    scenario = guarded(lambda: load_scenario(file), format)
    result = guarded(lambda: diff(scenario, d1, d2, engine=engine.value), format)
    if format is Format.json:
        emit_json(diff_document(result))
    else:
        console.print(diff_text(result), markup=False, soft_wrap=True, end="")


@app.command("plot-timeline")
def plot_timeline_cmd(
    file: Path | None = FILE,
    output: Path = typer.Option(..., "-o", "--output", help="HTML file to write (self-contained)."),
    format: Format = typer.Option(Format.text, "--format", help="text or json (what to print)"),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
    engine: Engine = ENGINE,
) -> None:
    """Draw the concession curves and the dated events, gaps opening and closing, as HTML."""
    from detente.report.page import figure_page
    from detente.report.plots.timeline import timeline_figure
    from detente.timeline import timeline
    from detente.timeline.curves import concession_curves

    refuse_overwrite(output, force, format)
    scenario = guarded(lambda: load_scenario(file), format)
    result = guarded(lambda: timeline(scenario, engine=engine.value), format)
    curves = concession_curves(result)
    page = figure_page(f"{scenario.title}: the talks over time", timeline_figure(result, curves))
    write_output(output, page, format)
    if format is Format.json:
        body = {"output": str(output), "days": len(result.days), "proposals": len(curves.points)}
        emit_json(document("plot-timeline", scenario.id, body))
    else:
        console.print(
            f"wrote {output} ({len(result.days)} days, {len(curves.points)} proposal points)",
            markup=False,
        )
