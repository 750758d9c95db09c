"""``detente gaps``: why there is no deal, what would bridge it, how close the parties come."""

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
    document,
    emit_json,
    guarded,
    load_scenario,
    print_as_of,
)
from detente.cli.deal_cmds import ALL_AMENDMENTS, ENGINE, UNLOCK, Engine, progress_bar

__all__ = ["gaps"]


@app.command()
def gaps(
    file: Path | None = typer.Argument(None, help="Scenario file (default: the Cairo example)."),
    format: Format = typer.Option(Format.text, "--format", help="text or json"),
    engine: Engine = ENGINE,
    red_lines_only: bool = typer.Option(
        False, "--red-lines-only", help="Leave reservations out of the demands."
    ),
    limit: int = typer.Option(
        50, "--limit", min=1, max=10_000, help="Most gaps and bridges to list."
    ),
    time_limit: float = typer.Option(
        60.0, "--time-limit", min=0.1, help="Seconds per CP-SAT call."
    ),
    unlock: list[str] = UNLOCK,
    all_amendments: bool = ALL_AMENDMENTS,
    as_of: str | None = AS_OF,
) -> None:
    """Irreconcilable gaps (minimal conflicts), bridges, near misses and amendments."""
    from detente.gaps.analysis import analyze_gaps
    from detente.report.json.gaps import gaps_to_dict
    from detente.report.text.gaps import gaps_text

    scenario = guarded(lambda: load_scenario(file, as_of), format)
    with progress_bar(sys.stderr.isatty() and format is not Format.json) as cb:
        result = guarded(
            lambda: analyze_gaps(
                scenario,
                engine=engine.value,
                red_lines_only=red_lines_only,
                gap_limit=limit,
                bridge_limit=limit,
                time_limit=time_limit,
                unlock=True if all_amendments else unlock,
                progress=None if cb is None else (lambda d, t: cb("tabulating outcomes", d, t)),
            ),
            format,
        )
    if format is Format.json:
        emit_json(dated(document("gaps", scenario.id, gaps_to_dict(result)), scenario, as_of))
    else:
        print_as_of(scenario, as_of)
        console.print(gaps_text(result, scenario), markup=False, soft_wrap=True)
