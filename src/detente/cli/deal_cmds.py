"""``detente analyze`` and ``detente plot``: the deal model of a scenario.

Thin commands: load, run :func:`detente.deal.analysis.analyze` (with a rich progress bar
on stderr for long enumerations), render with :mod:`detente.report`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any, Literal

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from detente.cli.app import (
    Format,
    app,
    console,
    document,
    emit_json,
    err_console,
    guarded,
    load_scenario,
    refuse_overwrite,
    write_output,
)
from detente.deal.analysis import DEFAULT_LIMIT, DealAnalysis, analyze
from detente.errors import DetenteError
from detente.gaps.analysis import GapAnalysis
from detente.scenario.checked import Scenario

__all__ = [
    "Engine",
    "analysis_document",
    "analyze_cmd",
    "plot_cmd",
    "print_analysis",
    "run_gaps",
]

PROGRESS_FROM = 2_000_000  # outcomes; smaller enumerations finish in about a second


class Engine(str, Enum):
    auto = "auto"
    enum = "enum"
    solver = "solver"


@contextmanager
def _progress(show: bool) -> Iterator[Callable[[int, int], None] | None]:
    if not show:
        yield None
        return
    bar = Progress(
        TextColumn("enumerating outcomes"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    )
    task = bar.add_task("enumerate", total=None)

    def update(done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        if not bar.live.is_started:
            bar.start()
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        bar.stop()


def _run(
    file: Path | None,
    fmt: Format,
    limit: int,
    engine: Engine,
    unlock: list[str],
    all_amendments: bool,
) -> tuple[Scenario, DealAnalysis]:
    scenario = guarded(lambda: load_scenario(file), fmt)
    unlocked: list[str] | bool = True if all_amendments else list(unlock)
    known = {a.id for a in scenario.amendments}
    unknown = [u for u in unlock if u not in known]
    if unknown:
        guarded(lambda: _unknown_amendment(unknown[0], known), fmt)
    with _progress(err_console.is_terminal) as cb:

        def run() -> DealAnalysis:
            return analyze(
                scenario, unlocked=unlocked, engine=_ENGINES[engine], limit=limit, progress=cb
            )

        return scenario, guarded(run, fmt)


def _unknown_amendment(u: str, known: set[str]) -> None:
    listed = ", ".join(sorted(known)) or "none"
    raise DetenteError(f"unknown amendment '{u}' (amendments in this scenario: {listed})")


_ENGINES: dict[Engine, Literal["auto", "enum", "solver"]] = {
    Engine.auto: "auto",
    Engine.enum: "enum",
    Engine.solver: "solver",
}

FILE = typer.Argument(None, help="Scenario file (default: the bundled Cairo example).")
FORMAT = typer.Option(Format.text, "--format", help="text or json")
LIMIT = typer.Option(DEFAULT_LIMIT, "--limit", min=1, help="Largest outcome space to enumerate.")
ENGINE = typer.Option(Engine.auto, "--engine", help="auto, enum or solver")
UNLOCK = typer.Option([], "--unlock", help="Adopt this amendment's options (repeatable).")
ALL_AMENDMENTS = typer.Option(False, "--all-amendments", help="Adopt every amendment.")


@app.command("analyze")
def analyze_cmd(
    file: Path | None = FILE,
    format: Format = FORMAT,
    limit: int = LIMIT,
    engine: Engine = ENGINE,
    unlock: list[str] = UNLOCK,
    all_amendments: bool = ALL_AMENDMENTS,
    red_lines_only: bool = typer.Option(
        False, "--red-lines-only", help="Gaps and bridges: leave reservations out."
    ),
) -> None:
    """ZOPA, Pareto frontiers, bargaining solutions, proposal scores, gaps and bridges."""
    scenario, result = _run(file, format, limit, engine, unlock, all_amendments)
    adopted: list[str] | bool = True if all_amendments else list(unlock)
    gap_result = run_gaps(scenario, engine, red_lines_only, format, adopted)
    if format is Format.json:
        emit_json(document("analyze", analysis_document(result, gap_result)))
    else:
        print_analysis(scenario, result, gap_result)


def run_gaps(
    scenario: Scenario,
    engine: Engine,
    red_lines_only: bool,
    fmt: Format,
    unlocked: list[str] | bool = False,
) -> GapAnalysis:
    """Gaps, bridges, near misses and amendments (issue 4) for ``analyze`` and ``demo``.

    Amendments in ``unlocked`` are taken as adopted, as in the deal analysis.
    """
    from detente.gaps.analysis import analyze_gaps

    return guarded(
        lambda: analyze_gaps(
            scenario,
            engine=_ENGINES[engine],
            red_lines_only=red_lines_only,
            unlocked=unlocked or (),
        ),
        fmt,
    )


def analysis_document(result: DealAnalysis, gap_result: GapAnalysis) -> dict[str, Any]:
    """The JSON document of ``detente analyze`` (docs/cli-json.md)."""
    from detente.report.json.deal import analysis_to_dict
    from detente.report.json.gaps import gaps_to_dict

    data = analysis_to_dict(result)
    gap_data = gaps_to_dict(gap_result)
    for key in (
        "gaps",
        "gaps_complete",
        "bridges",
        "bridges_complete",
        "near_misses",
        "amendments",
    ):
        data[key] = gap_data[key]
    return data


def print_analysis(scenario: Scenario, result: DealAnalysis, gap_result: GapAnalysis) -> None:
    """Render the deal analysis and the gap analysis as text."""
    from detente.report.text.deal import analysis_renderables
    from detente.report.text.gaps import gaps_text

    for part in analysis_renderables(result):
        console.print(part)
        console.print()
    console.print(gaps_text(gap_result, scenario), markup=False, soft_wrap=True)


@app.command("plot")
def plot_cmd(
    file: Path | None = FILE,
    output: Path = typer.Option(Path("deal.html"), "-o", "--output", help="HTML file to write."),
    format: Format = FORMAT,
    limit: int = LIMIT,
    engine: Engine = ENGINE,
    unlock: list[str] = UNLOCK,
    all_amendments: bool = ALL_AMENDMENTS,
    points: int = typer.Option(20_000, "--points", min=1, help="Most outcomes drawn."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
) -> None:
    """Write an interactive Plotly page of the utility space."""
    from detente.report.plots.deal import plot_html

    refuse_overwrite(output, force, format)
    _, result = _run(file, format, limit, engine, unlock, all_amendments)
    write_output(output, plot_html(result, max_points=points), format)
    html_bytes = output.stat().st_size
    if format is Format.json:
        emit_json(document("plot", {"written": str(output), "bytes": html_bytes}))
    else:
        console.print(f"wrote {output}")
