"""Commands about scenario files: validate, show, check, examples, schema."""

from __future__ import annotations

from pathlib import Path

import typer

from detente.cli.app import Format, app, console, emit_json, guarded, load_scenario

__all__ = ["validate"]


@app.command()
def validate(
    file: Path = typer.Argument(..., help="Scenario file (YAML or JSON)."),
    format: Format = typer.Option(Format.text, "--format", help="text or json"),
) -> None:
    """Check a scenario file; exit 2 with located messages if anything is wrong."""
    scenario = guarded(lambda: load_scenario(file), format)
    if format is Format.json:
        emit_json({"ok": True, "id": scenario.id, "file": str(file)})
    else:
        console.print(f"[green]ok[/]: {file} ({scenario.title})")
