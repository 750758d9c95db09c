"""``detente analyze`` and ``detente plot``: the whole analysis, and the deal space drawn.

Thin commands: load, run :func:`detente.analysis.composite.analyze` (with a rich progress
bar on stderr for long steps, never in JSON or piped output), render with
:mod:`detente.report`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from detente.cli.app import (
    AS_OF,
    Format,
    app,
    console,
    dated,
    document,
    emit_json,
    err_console,
    guarded,
    load_scenario,
    print_as_of,
    refuse_overwrite,
    write_output,
)

if TYPE_CHECKING:
    from detente.analysis.composite import Analysis
    from detente.deal.analysis import DealAnalysis
    from detente.scenario.checked import Scenario

__all__ = [
    "ALL_AMENDMENTS",
    "ENGINE",
    "Engine",
    "UNLOCK",
    "analyze_cmd",
    "plot_cmd",
    "print_analysis",
    "progress_bar",
    "run_analysis",
]

PROGRESS_FROM = 2_000_000  # outcomes; smaller enumerations finish in about a second


class Engine(str, Enum):
    """The ``--engine`` choice, as :data:`detente.backends.base.Engine` (auto, enum, merge, solver)."""

    auto = "auto"
    enum = "enum"
    merge = "merge"
    solver = "solver"


@contextmanager
def progress_bar(show: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A rich progress bar on stderr, fed ``(step, done, total)``; None when not shown."""
    if not show:
        yield None
        return
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    )
    tasks: dict[str, TaskID] = {}

    def update(step: str, done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        if not bar.live.is_started:
            bar.start()
        if step not in tasks:
            tasks[step] = bar.add_task(step, total=total)
        bar.update(tasks[step], completed=done, total=total)

    try:
        yield update
    finally:
        bar.stop()


FILE = typer.Argument(None, help="Scenario file (default: the bundled Cairo example).")
FORMAT = typer.Option(Format.text, "--format", help="text or json")
LIMIT = typer.Option(20_000_000, "--limit", min=1, help="Largest outcome space to enumerate.")
ENGINE = typer.Option(Engine.auto, "--engine", help="auto, enum, merge or solver")
UNLOCK = typer.Option([], "--unlock", help="Adopt this amendment's options (repeatable).")
ALL_AMENDMENTS = typer.Option(False, "--all-amendments", help="Adopt every amendment.")


def run_analysis(
    scenario: Scenario,
    fmt: Format,
    *,
    engine: Engine = Engine.auto,
    unlock: list[str] | bool = False,
    red_lines_only: bool = False,
    limit: int = 20_000_000,
) -> Analysis:
    """The composite analysis with a progress bar on an interactive stderr."""
    from detente.analysis.composite import analyze

    show = sys.stderr.isatty() and fmt is not Format.json
    with progress_bar(show) as cb:
        return guarded(
            lambda: analyze(
                scenario,
                engine=engine.value,
                unlock=unlock or (),
                red_lines_only=red_lines_only,
                limit=limit,
                progress=cb,
            ),
            fmt,
        )


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
    as_of: str | None = AS_OF,
) -> None:
    """The bottom line, then ZOPA, frontiers, solutions, proposals, gaps, bridges, strategy."""
    scenario = guarded(lambda: load_scenario(file, as_of), format)
    result = run_analysis(
        scenario,
        format,
        engine=engine,
        unlock=True if all_amendments else list(unlock),
        red_lines_only=red_lines_only,
        limit=limit,
    )
    if format is Format.json:
        from detente.report.json.analysis import analysis_document

        emit_json(dated(analysis_document(result), scenario, as_of))
    else:
        print_as_of(scenario, as_of)
        print_analysis(result)


def print_analysis(result: Analysis, *, summary: bool = True) -> None:
    """Render the composite analysis as text: the bottom line first, then the details."""
    from detente.report.text.conflict import conflict_text
    from detente.report.text.deal import analysis_renderables
    from detente.report.text.gaps import gaps_text
    from detente.report.text.summary import summary_text

    if summary:
        console.print(summary_text(result), markup=False, soft_wrap=True)
        console.print()
    if result.deal is not None:
        for part in analysis_renderables(result.deal):
            console.print(part)
            console.print()
    if result.gaps is not None:
        console.print(gaps_text(result.gaps, result.source), markup=False, soft_wrap=True)
    if result.conflict is not None:
        c = result.conflict
        console.rule("Strategic analysis (Graph Model for Conflict Resolution)")
        console.print(
            conflict_text(c.stability, result.source, c.status_quo, c.comparison),
            markup=False,
            soft_wrap=True,
            end="",
        )


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
    from detente.deal.analysis import analyze_deal
    from detente.report.plots.deal import plot_html

    refuse_overwrite(output, force, format)
    scenario = guarded(lambda: load_scenario(file), format)
    adopted: list[str] | bool = True if all_amendments else list(unlock)

    def run() -> DealAnalysis:
        return analyze_deal(
            scenario,
            unlock=adopted,
            engine=engine.value,
            limit=limit,
        )

    result = guarded(run, format)
    write_output(output, plot_html(result, max_points=points), format)
    html_bytes = output.stat().st_size
    if format is Format.json:
        emit_json(document("plot", scenario.id, {"output": str(output), "bytes": html_bytes}))
    else:
        console.print(f"wrote {output}", markup=False)
