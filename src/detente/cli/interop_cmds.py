"""Commands that bring other tools' formats in: ``detente import-genius``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from detente.cli.app import (
    Format,
    app,
    console,
    document,
    emit_json,
    guarded,
    refuse_overwrite,
    write_output,
)

if TYPE_CHECKING:
    from detente.scenario.checked import Scenario

__all__ = ["import_genius"]


@app.command("import-genius")
def import_genius(
    source: Path = typer.Argument(..., help="GENIUS folder, or the domain XML file."),
    profiles: list[Path] = typer.Argument(
        None, help="Profile XML files (when SOURCE is a domain file)."
    ),
    output: Path = typer.Option(..., "-o", "--output", help="Scenario YAML file to write."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
    format: Format = typer.Option(Format.text, "--format", help="text or json"),
) -> None:
    """Convert a GENIUS / ANAC domain (XML) into a detente scenario file."""
    from detente.interop.genius import dump_yaml, find_genius_files, genius_to_document
    from detente.scenario.loader import loads

    refuse_overwrite(output, force, format)

    def run() -> tuple[Scenario, str]:
        if profiles:
            domain, profs = source, list(profiles)
        else:
            domain, profs = find_genius_files(source)
        text = dump_yaml(genius_to_document(domain, list(profs)))
        return loads(text, f"{domain} (imported)"), text  # validated before writing

    scenario, text = guarded(run, format)
    write_output(output, text, format)
    if format is Format.json:
        emit_json(
            document(
                "import-genius",
                scenario.id,
                {
                    "ok": True,
                    "output": str(output),
                    "parties": scenario.bargainers,
                    "issues": [i.id for i in scenario.issues],
                },
            )
        )
    else:
        console.print(
            f"wrote {output}: {len(scenario.issues)} issues, parties "
            + ", ".join(scenario.bargainers),
            markup=False,
        )
