"""``detente report``: the whole analysis as one HTML file to mail or print."""

from __future__ import annotations

from pathlib import Path

import typer

from detente.cli.app import (
    AS_OF,
    Format,
    app,
    console,
    dated,
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
    as_of: str | None = AS_OF,
    timeline: bool = typer.Option(
        True, "--timeline/--no-timeline", help="Add the talks over time (dated scenarios)."
    ),
    robustness: bool = typer.Option(
        False, "--robustness", help="Add how far each conclusion holds (detente robustness)."
    ),
    draws: int = typer.Option(10_000, "--draws", min=1, help="Draws of the robustness run."),
    seed: int = typer.Option(0, "--seed", min=0, help="Seed of the robustness run."),
    simulate: bool = typer.Option(
        False,
        "--simulate",
        help="Add negotiations played out: SAO (Boulware pair) and a mediator's single "
        "text (bridge mediator, rational voters), 100 steps each (detente simulate).",
    ),
) -> None:
    """Write the whole analysis as one self-contained HTML file (no network when opened)."""
    from detente.report.html.report import render_report

    refuse_overwrite(output, force, format)
    scenario = guarded(lambda: load_scenario(file, as_of), format)
    result = run_analysis(
        scenario, format, engine=engine, unlock=True if all_amendments else list(unlock)
    )
    extra = []
    if as_of is not None:
        from detente.report.html.timeline_sections import as_of_section

        extra.append(as_of_section(scenario))
    if timeline and scenario.history is not None and as_of is None:
        from detente.report.html.timeline_sections import timeline_analysis_section
        from detente.timeline import timeline as run_timeline
        from detente.timeline.curves import concession_curves

        t = guarded(lambda: run_timeline(scenario, engine=engine.value), format)
        extra.append(timeline_analysis_section(t, concession_curves(t)))
    bottom: list[str] = []
    if robustness:
        from detente.report.html.robustness_sections import robustness_section
        from detente.report.text.robustness import bottom_line
        from detente.robustness.analysis import analyze_robustness

        rob = guarded(lambda: analyze_robustness(scenario, draws=draws, seed=seed), format)
        names = {p.id: p.name for p in scenario.parties}
        extra.append(robustness_section(rob, names, plots=plots))
        bottom.append(f"Robustness ({rob.completed:,} draws): " + bottom_line(rob, names))
    if simulate:
        from detente.report.plots.simulation import simulation_section
        from detente.report.text.simulation import simulation_text
        from detente.simulate.simulation import simulate as play

        unlocked = True if all_amendments else list(unlock)
        for proto, key, title in (
            ("sao", "simulation-sao", "Played out: alternating offers"),
            ("single-text", "simulation-text", "Played out: a mediator's single text"),
        ):
            kw = {"mediator": "bridge"} if proto == "single-text" else {}
            voters = {p: "rational" for p in scenario.document.positions}
            sim = guarded(
                lambda proto=proto, kw=kw, voters=voters: play(  # type: ignore[misc]
                    scenario,
                    protocol=proto,
                    strategies=voters if proto == "single-text" else None,
                    steps=100,
                    seed=seed,
                    unlock=unlocked,
                    **kw,
                ),
                format,
            )
            extra.append(
                simulation_section(sim, simulation_text(sim), plots=plots, key=key, title=title)
            )
    html = guarded(lambda: render_report(result, extra=extra, plots=plots, bottom=bottom), format)
    write_output(output, html, format)
    size = output.stat().st_size
    if format is Format.json:
        body = {"output": str(output), "bytes": size}
        emit_json(dated(document("report", scenario.id, body), scenario, as_of))
    else:
        console.print(f"wrote {output} ({size / 1e6:.1f} MB)", markup=False)
