"""``detente stability`` and ``detente plot-conflict``: the strategic (GMCR) analysis."""

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
    print_as_of,
    refuse_overwrite,
    write_output,
)

__all__ = ["plot_conflict", "stability"]


@app.command()
def stability(
    file: Path | None = typer.Argument(None, help="Scenario file (default: the Cairo example)."),
    format: Format = typer.Option(Format.text, "--format", help="text or json"),
    from_status_quo: bool = typer.Option(
        False, "--from-status-quo", help="Add which equilibria the status quo can reach, and how."
    ),
    without: list[str] = typer.Option(
        [],
        "--without",
        help="Also analyze without this decision maker (its options held at N); repeatable.",
    ),
    certificates: bool = typer.Option(
        False,
        "--certificates",
        help="JSON: add, for every equilibrium, each improvement and the sanction blocking it.",
    ),
    preferences: bool = typer.Option(
        False,
        "--preferences",
        help="Each decision maker's ranking of the states, most preferred first, with ties.",
    ),
    as_of: str | None = AS_OF,
) -> None:
    """Nash, GMR, SMR and SEQ stability of every state for every decision maker; equilibria."""
    from detente.conflict.analysis import ConflictAnalysis, analyze_conflict
    from detente.conflict.status_quo import status_quo_analysis
    from detente.report.json.conflict import conflict_analysis_json
    from detente.report.text.conflict import conflict_text, preferences_text

    scenario = guarded(lambda: load_scenario(file, as_of), format)

    def run() -> ConflictAnalysis:
        r = analyze_conflict(scenario, status_quo=from_status_quo, without=without)
        if from_status_quo and r.status_quo is None:  # no status quo: refuse, with where
            status_quo_analysis(r.stability)  # raises the located ScenarioError
        return r

    result = guarded(run, format)
    if format is Format.json:
        body = conflict_analysis_json(result, certificates=certificates, preferences=preferences)
        emit_json(dated(document("stability", scenario.id, body), scenario, as_of))
        return
    print_as_of(scenario, as_of)
    if preferences:
        console.print(preferences_text(result, scenario), markup=False, soft_wrap=True)
    console.print(
        conflict_text(result.stability, scenario, result.status_quo, result.comparison),
        markup=False,
        soft_wrap=True,
        end="",
    )


@app.command("plot-conflict")
def plot_conflict(
    file: Path | None = typer.Argument(None, help="Scenario file (default: the Cairo example)."),
    output: Path = typer.Option(..., "-o", "--output", help="HTML file to write (self-contained)."),
    without: list[str] = typer.Option(
        [], "--without", help="Draw without this decision maker; repeatable."
    ),
    format: Format = typer.Option(Format.text, "--format", help="text or json (what to print)"),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
) -> None:
    """Draw the state graph (moves per decision maker, equilibria highlighted) as HTML."""
    from detente.conflict.model import compile_conflict
    from detente.conflict.stability import analyze_stability
    from detente.report.plots.conflict import conflict_figure

    refuse_overwrite(output, force, format)
    scenario = guarded(lambda: load_scenario(file), format)
    result = guarded(lambda: analyze_stability(compile_conflict(scenario, without=without)), format)
    fig = guarded(lambda: conflict_figure(result, scenario), format)
    import json

    from detente.report.page import figure_page

    page = figure_page(f"{scenario.title}: state graph", json.loads(fig.to_json()))
    write_output(output, page, format)
    if format is Format.json:
        body = {"output": str(output), "states": result.conflict.n_states}
        emit_json(document("plot-conflict", scenario.id, body))
    else:
        console.print(f"wrote {output} ({result.conflict.n_states} states)", markup=False)
