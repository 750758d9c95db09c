"""``detente simulate``: play one negotiation of a scenario out; ``detente strategies``."""

from __future__ import annotations

from pathlib import Path

import typer

from detente.cli.app import Format, app, console, document, emit_json, guarded, load_scenario
from detente.cli.deal_cmds import ALL_AMENDMENTS, UNLOCK
from detente.simulate.options import party_numbers, party_values

__all__ = ["plot_simulation_cmd", "simulate_cmd", "strategies_cmd"]

STRATEGY = typer.Option(
    [],
    "--strategy",
    help="PARTY=STRATEGY (repeatable), e.g. israel=boulware or hamas=linear+ac_next; "
    "parties without one play boulware (SAO) or hill (single text).",
)
RELAX = typer.Option(
    [],
    "--relax",
    help="Relax a demand: party/red-line-id or party/reservation (repeatable); "
    "'cheapest' relaxes the cheapest bridge's demands.",
)
DEADLINE = typer.Option([], "--deadline", help="PARTY=STEPS: a party's own deadline.")
DISCOUNT = typer.Option([], "--discount", help="PARTY=FACTOR in (0, 1]: a discount factor.")


@app.command("simulate")
def simulate_cmd(
    file: Path | None = typer.Argument(None, help="Scenario file (default: the Cairo example)."),
    protocol: str = typer.Option("sao", "--protocol", help="sao or single-text."),
    strategy: list[str] = STRATEGY,
    steps: int = typer.Option(
        100, "--steps", min=1, help="The step limit N (single text: rounds)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seeds every random draw."),
    mediator: str | None = typer.Option(
        None,
        "--mediator",
        help="Single text: KIND or MEDIATOR=KIND (KIND flip, scan, anneal or bridge).",
    ),
    start: str | None = typer.Option(
        None, "--start", help="Single text: the opening text (a proposal id or 'random')."
    ),
    relax: list[str] = RELAX,
    deadline: list[str] = DEADLINE,
    discount: list[str] = DISCOUNT,
    unlock: list[str] = UNLOCK,
    all_amendments: bool = ALL_AMENDMENTS,
    metrics: bool = typer.Option(
        True,
        "--metrics/--no-metrics",
        help="Measure the outcome against the deal engine's frontier, Nash and KS points.",
    ),
    format: Format = typer.Option(Format.text, "--format", help="text or json"),
) -> None:
    """Play one negotiation out (SAO with agent strategies, or a mediator's single text)."""
    from detente.report.json.simulation import simulation_document
    from detente.simulate.simulation import simulate

    scenario = guarded(lambda: load_scenario(file), format)

    def run() -> object:
        strategies = party_values(strategy, "--strategy")
        deadlines = party_numbers(party_values(deadline, "--deadline"), "--deadline", int)
        discounts = party_numbers(party_values(discount, "--discount"), "--discount", float)
        return simulate(
            scenario,
            protocol=protocol,  # type: ignore[arg-type]  # checked by simulate
            strategies=strategies,
            steps=steps,
            seed=seed,
            unlock=True if all_amendments else unlock,
            relax=relax,
            deadlines=deadlines,
            discounts=discounts,
            mediator=mediator,
            start=start,
            with_metrics=metrics,
        )

    from detente.simulate.results import Simulation

    result = guarded(run, format)
    assert isinstance(result, Simulation)
    if format is Format.json:
        emit_json(document("simulate", scenario.id, simulation_document(result)))
    else:
        from detente.report.text.simulation import simulation_text

        console.print(simulation_text(result), markup=False, soft_wrap=True)


@app.command("strategies")
def strategies_cmd(
    format: Format = typer.Option(Format.text, "--format", help="text or json"),
) -> None:
    """The negotiation strategies and acceptance conditions registered (built-in and plug-ins)."""
    from detente.report.json.simulation import strategies_document

    def rows() -> list[dict[str, object]]:
        out: list[dict[str, object]] = strategies_document()["strategies"]
        return out

    table = guarded(rows, format)
    if format is Format.json:
        emit_json(document("strategies", None, {"strategies": table}))
        return
    for r in table:
        params = ", ".join(f"{k}={v}" for k, v in r["parameters"].items())  # type: ignore[attr-defined]
        console.print(
            f"{r['name']:<14} {r['kind']:<10} {r['family']:<12} {r['summary']}"
            + (f" [{params}]" if params else ""),
            markup=False,
            soft_wrap=True,
        )


@app.command("plot-simulation")
def plot_simulation_cmd(
    file: Path | None = typer.Argument(None, help="Scenario file (default: the Cairo example)."),
    output: Path = typer.Option(Path("simulation.html"), "-o", "--output", help="HTML file."),
    protocol: str = typer.Option("sao", "--protocol", help="sao or single-text."),
    strategy: list[str] = STRATEGY,
    steps: int = typer.Option(100, "--steps", min=1, help="The step limit N."),
    seed: int = typer.Option(0, "--seed", help="Seeds every random draw."),
    mediator: str | None = typer.Option(None, "--mediator", help="Single text: the mediator."),
    start: str | None = typer.Option(None, "--start", help="Single text: the opening text."),
    relax: list[str] = RELAX,
    unlock: list[str] = UNLOCK,
    all_amendments: bool = ALL_AMENDMENTS,
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
    format: Format = typer.Option(Format.text, "--format", help="text or json (what to print)"),
) -> None:
    """Write the offer history and the utility space of one negotiation as a Plotly page."""
    from detente.cli.app import refuse_overwrite, write_output
    from detente.report.plots.simulation import simulation_html
    from detente.simulate.simulation import simulate

    refuse_overwrite(output, force, format)
    scenario = guarded(lambda: load_scenario(file), format)
    result = guarded(
        lambda: simulate(
            scenario,
            protocol=protocol,  # type: ignore[arg-type]  # checked by simulate
            strategies=party_values(strategy, "--strategy"),
            steps=steps,
            seed=seed,
            unlock=True if all_amendments else unlock,
            relax=relax,
            mediator=mediator,
            start=start,
        ),
        format,
    )
    write_output(output, simulation_html(result), format)
    if format is Format.json:
        emit_json(document("plot-simulation", scenario.id, {"output": str(output)}))
    else:
        console.print(f"wrote {output}", markup=False)
