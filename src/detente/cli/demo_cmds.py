"""``detente demo [FILE]``: the main job on any scenario (the bundled Cairo talks by default).

One pass over everything a first-time user should see: the bottom line first; what the
scenario holds and what rests on assumptions; each proposal against each party's red
lines; the deal analysis with its gaps and bridges; and, when the scenario has a
strategic model, the stable states with and without the mediators' options (does
outside pressure change them?).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from detente.cli.app import (
    Format,
    app,
    bundled_example,
    console,
    document,
    emit_json,
    guarded,
    load_scenario,
)
from detente.cli.deal_cmds import print_analysis, run_analysis
from detente.cli.scenario_cmds import example_paths
from detente.errors import DetenteError, did_you_mean

if TYPE_CHECKING:
    from rich.text import Text

    from detente.scenario.checked import Scenario

__all__ = ["assumption_summary", "demo"]


def assumption_summary(s: Scenario) -> dict[str, int]:
    """Counts of reported and assumed items (red lines, priorities, reservations)."""
    counts = {"reported": 0, "assumed": 0}
    for pos in s.positions.values():
        for item in [*pos.red_lines, *pos.priorities.values(), pos.reservation]:
            counts[item.basis] += 1
    return counts


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _header(s: Scenario) -> list[Text | str]:
    from rich.text import Text  # rich loads only for text output

    parties = [p.name for p in s.parties if p.role == "party"]
    mediators = [p.name for p in s.parties if p.role == "mediator"]
    counts = assumption_summary(s)
    return [
        Text(s.title, style="bold"),
        f"As of {s.as_of.isoformat() if s.as_of else 'an unstated date'}; file {s.origin}",
        f"Parties: {', '.join(parties)}"
        + (f"; mediators: {', '.join(mediators)}" if mediators else ""),
        ", ".join(
            [
                _count(len(s.issues), "issue"),
                _count(sum(len(p.red_lines) for p in s.positions.values()), "red line"),
                _count(len(s.proposals), "proposal"),
                _count(len(s.amendments), "amendment"),
                _count(len(s.events), "dated event"),
            ]
        )
        + f" from {_count(len(s.sources), 'source')}.",
        f"Of the positions' {counts['reported'] + counts['assumed']} items (red lines, priorities,"
        f" reservations), {counts['reported']} are reported with a source and"
        f" {counts['assumed']} are the analyst's assumptions: conclusions that rest on them"
        " move when they do.",
    ]


@app.command()
def demo(
    file: Path | None = typer.Argument(
        None, help="Scenario file (default: the bundled Cairo example)."
    ),
    example: str | None = typer.Option(None, "--example", help="Bundled example to run on."),
    format: Format = typer.Option(Format.text, "--format", help="text or json"),
) -> None:
    """Run the whole analysis, bottom line first (on the Cairo talks by default)."""
    from detente.report.json.analysis import analysis_document
    from detente.report.json.scenario import check_json, show_json
    from detente.report.text.scenario import check_renderables

    def find() -> Path | None:
        if example is None:
            return file
        paths = example_paths()
        if example not in paths:
            hint = did_you_mean(example, paths, what="example") or "see 'detente examples list'"
            raise DetenteError(f"no bundled example '{example}'; {hint}")
        return bundled_example(example)

    path = guarded(find, format)
    scenario = guarded(lambda: load_scenario(path), format)
    result = run_analysis(scenario, format)
    if format is Format.json:
        analyzed = analysis_document(result)
        strategic = analyzed["stability"]  # what `detente stability` prints, in its envelope
        body = {
            "show": show_json(scenario),
            "check": check_json(scenario, result.checks),
            "analyze": analyzed,
            "stability": None
            if strategic is None
            else document("stability", scenario.id, strategic),
        }
        emit_json(document("demo", scenario.id, body))
        return
    from detente.report.text.summary import summary_text

    console.print(summary_text(result), markup=False, soft_wrap=True)
    console.rule("Scenario")
    for line in _header(scenario):
        console.print(line, markup=False)
    console.print(f"Full summary: detente show {scenario.origin}", style="dim", markup=False)
    if result.checks:
        console.rule("Proposals checked against red lines and reservations")
        for part in check_renderables(scenario, result.checks):
            console.print(part)
            console.print()
    if result.deal is not None:
        console.rule("Deal analysis: zone of agreement, gaps and bridges")
    print_analysis(result, summary=False)
    console.rule()
    console.print(
        "Next: 'detente report' writes all of it as one HTML file; 'detente plot' and "
        "'detente plot-conflict' draw it; 'detente examples copy cairo-2024-05 .' gives you "
        "the file to edit.",
        style="dim",
        markup=False,
    )
