"""``detente robustness``: how far each conclusion holds when the assumed numbers move."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from detente.cli.app import (
    AS_OF,
    Format,
    app,
    console,
    dated,
    emit_json,
    guarded,
    load_scenario,
    print_as_of,
)
from detente.cli.deal_cmds import progress_bar

__all__ = ["robustness"]


@app.command()
def robustness(
    file: Path | None = typer.Argument(None, help="Scenario file (default: the Cairo example)."),
    draws: int = typer.Option(10_000, "--draws", min=1, max=100_000_000, help="Monte Carlo draws."),
    seed: int = typer.Option(0, "--seed", min=0, help="Seed (numpy SeedSequence)."),
    workers: int | None = typer.Option(
        None, "--workers", min=1, max=256, help="Run on a Dask LocalCluster of K processes."
    ),
    dask: str | None = typer.Option(
        None, "--dask", help="Run on the Dask cluster at ADDRESS (tcp://host:port)."
    ),
    uncertainty: Path | None = typer.Option(
        None, "--uncertainty", help="Read the uncertainty section from this file."
    ),
    limit: int = typer.Option(
        5_000_000, "--limit", min=1, help="Largest outcome space to enumerate."
    ),
    intervals: bool = typer.Option(
        True, "--intervals/--no-intervals", help="One-at-a-time stability intervals."
    ),
    confidence_draws: int | None = typer.Option(
        None,
        "--confidence-draws",
        min=1,
        max=10_000_000,
        help="Draws behind each SMAA confidence factor (default 1,000).",
    ),
    as_of: str | None = AS_OF,
    format: Format = typer.Option(Format.text, "--format", help="text or json"),
) -> None:
    """Support, exact verdicts, flip distances and SMAA acceptability of every conclusion."""
    from detente.robustness.analysis import analyze_robustness
    from detente.scenario.uncertainty_checks import load_uncertainty

    if workers is not None and dask is not None:
        from detente.errors import DetenteError

        guarded(lambda: _refuse(DetenteError("give --workers or --dask, not both")), format)
    scenario = guarded(lambda: load_scenario(file, as_of), format)
    entries = (
        guarded(lambda: load_uncertainty(uncertainty, scenario.document), format)
        if uncertainty is not None
        else None
    )
    show = sys.stderr.isatty() and format is not Format.json
    with progress_bar(show) as cb:
        result = guarded(
            lambda: analyze_robustness(
                scenario, draws=draws, seed=seed, uncertainty=entries, workers=workers,
                address=dask, intervals=intervals, limit=limit,
                **({} if confidence_draws is None else {"confidence_draws": confidence_draws}),
                progress=None if cb is None else (lambda d, t: cb("draws", d, t)),
            ),
            format,
        )  # fmt: skip
    if format is Format.json:
        from detente.report.json.robustness import robustness_document

        emit_json(dated(robustness_document(result), scenario, as_of))
    else:
        from detente.report.text.robustness import robustness_text

        print_as_of(scenario, as_of)
        names = {p.id: p.name for p in scenario.parties}
        console.print(robustness_text(result, names), markup=False, soft_wrap=True)


def _refuse(err: Exception) -> None:
    raise err
