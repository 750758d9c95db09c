"""``detente demo``: the main job on a bundled example (the Cairo talks by default).

One pass over everything a first-time user should see: what the scenario holds and what
rests on assumptions, each proposal against each party's red lines, the deal analysis
with its gaps and bridges, and, when the scenario has a strategic model, the stable
states with and without the mediators' options (does outside pressure change them?).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

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
from detente.cli.deal_cmds import Engine, analysis_document, print_analysis, run_gaps
from detente.cli.scenario_cmds import checks_of, example_paths
from detente.errors import DetenteError, did_you_mean
from detente.scenario.checked import Scenario

__all__ = ["demo", "assumption_summary"]


def assumption_summary(s: Scenario) -> dict[str, int]:
    """Counts of reported and assumed items (red lines, priorities, reservations)."""
    counts = {"reported": 0, "assumed": 0}
    for pos in s.positions.values():
        for item in [*pos.red_lines, *pos.priorities.values(), pos.reservation]:
            counts[item.basis] += 1
    return counts


def _header(s: Scenario, path: Path) -> list[Text | str]:
    parties = [p.name for p in s.parties if p.role == "party"]
    mediators = [p.name for p in s.parties if p.role == "mediator"]
    counts = assumption_summary(s)
    lines: list[Text | str] = [
        Text(s.title, style="bold"),
        f"As of {s.as_of.isoformat() if s.as_of else 'an unstated date'}; file {path}",
        f"Parties: {', '.join(parties)}"
        + (f"; mediators: {', '.join(mediators)}" if mediators else ""),
        f"{len(s.issues)} issues, {sum(len(p.red_lines) for p in s.positions.values())} red lines,"
        f" {len(s.proposals)} proposals, {len(s.amendments)} amendments,"
        f" {len(s.events)} dated events from {len(s.sources)} sources.",
        f"Of the positions' {counts['reported'] + counts['assumed']} items (red lines, priorities,"
        f" reservations), {counts['reported']} are reported with a source and"
        f" {counts['assumed']} are the analyst's assumptions: conclusions that rest on them"
        " move when they do.",
    ]
    return lines


def _mediator_dms(s: Scenario) -> list[str]:
    if s.conflict is None:
        return []
    roles = {p.id: p.role for p in s.parties}
    return [dm.party for dm in s.conflict.decision_makers if roles.get(dm.party) == "mediator"]


@app.command()
def demo(
    example: str = typer.Option("cairo-2024-05", "--example", help="Bundled example to run on."),
    format: Format = typer.Option(Format.text, "--format", help="text or json"),
) -> None:
    """Run the whole analysis on a bundled example (the Cairo talks by default)."""
    from detente.conflict.compare import compare_without
    from detente.conflict.model import compile_conflict
    from detente.conflict.stability import analyse
    from detente.conflict.status_quo import status_quo_analysis
    from detente.deal.analysis import analyze
    from detente.report.json.conflict import conflict_json
    from detente.report.json.scenario import check_json, show_json
    from detente.report.text.conflict import conflict_text
    from detente.report.text.scenario import check_renderables

    def find() -> Path:
        paths = example_paths()
        if example not in paths:
            hint = did_you_mean(example, paths, what="example") or "see 'detente examples list'"
            raise DetenteError(f"no bundled example '{example}'; {hint}")
        return bundled_example(example)

    path = guarded(find, format)
    scenario: Scenario = guarded(lambda: load_scenario(path), format)
    checks = guarded(lambda: checks_of(scenario, [], 1_000_000), format)
    deal = gaps = None
    if scenario.issues and scenario.bargainers:
        deal = guarded(lambda: analyze(scenario), format)
        gaps = run_gaps(scenario, Engine.auto, False, format)
    strategic = status_quo = comparison = None
    if scenario.conflict is not None:
        strategic = guarded(lambda: analyse(compile_conflict(scenario)), format)
        status_quo = guarded(lambda: status_quo_analysis(strategic), format)
        removed = _mediator_dms(scenario)
        if removed:
            comparison = guarded(lambda: compare_without(scenario, removed), format)

    if format is Format.json:
        out = document(
            "demo",
            {
                "example": example,
                "show": show_json(scenario),
                "check": check_json(scenario, checks),
                "analyze": analysis_document(deal, gaps) if deal and gaps else None,
                "stability": (
                    conflict_json(strategic, status_quo, comparison) if strategic else None
                ),
            },
        )
        emit_json(out)
        return
    console.rule("Scenario")
    for line in _header(scenario, path):
        console.print(line)
    console.print(f"Full summary: detente show {path}", style="dim")
    console.rule("Proposals checked against red lines and reservations")
    for part in check_renderables(scenario, checks):
        console.print(part)
        console.print()
    if deal is not None and gaps is not None:
        console.rule("Deal analysis: zone of agreement, gaps and bridges")
        print_analysis(scenario, deal, gaps)
    if strategic is not None:
        console.rule("Strategic analysis (Graph Model for Conflict Resolution)")
        console.print(
            conflict_text(strategic, scenario, status_quo, comparison),
            markup=False,
            soft_wrap=True,
            end="",
        )
    console.rule()
    console.print(
        "Next: 'detente plot' and 'detente plot-conflict' draw these results; "
        "'detente examples copy cairo-2024-05 .' gives you the file to edit.",
        style="dim",
    )
