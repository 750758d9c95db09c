"""Commands about scenario files: validate, show, check, examples, schema.

Each command loads through :func:`detente.cli.app.load_scenario` (the same loader as
``detente.load``), computes with :mod:`detente.deal.proposals`, and renders with
:mod:`detente.report`; bad input exits with code 2 via :func:`~detente.cli.app.guarded`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
    state,
)
from detente.deal.limits import MAX_COMPLETIONS
from detente.errors import DetenteError, did_you_mean

__all__ = [
    "check",
    "example_paths",
    "examples_copy",
    "examples_list",
    "schema",
    "show",
    "validate",
]

FORMAT_OPTION = typer.Option(Format.text, "--format", help="text or json")

examples_app = typer.Typer(help="List or copy the bundled example scenarios.", no_args_is_help=True)
app.add_typer(examples_app, name="examples")


@examples_app.callback()
def _examples(ctx: typer.Context) -> None:
    """List or copy the bundled example scenarios."""
    state["command"] = f"examples {ctx.invoked_subcommand}"  # as the JSON documents name it


@app.command()
def validate(
    file: Path = typer.Argument(..., help="Scenario file (YAML or JSON)."),
    format: Format = FORMAT_OPTION,
) -> None:
    """Check a scenario file; exit 2 with located messages if anything is wrong."""
    scenario = guarded(lambda: load_scenario(file), format)
    if format is Format.json:
        from detente.report.json.scenario import validate_json

        emit_json(validate_json(scenario))
    else:
        from rich.text import Text

        line = Text("ok", style="green")
        line.append(f": {file} ({scenario.title})")
        console.print(line)


@app.command()
def show(
    file: Path = typer.Argument(..., help="Scenario file (YAML or JSON)."),
    format: Format = FORMAT_OPTION,
    as_of: str | None = AS_OF,
) -> None:
    """Summarise a scenario: parties, issues, red lines with sources, proposals, timeline."""
    from detente.report.json.scenario import show_json
    from detente.report.text.scenario import show_renderables

    scenario = guarded(lambda: load_scenario(file, as_of), format)
    if format is Format.json:
        emit_json(dated(show_json(scenario), scenario, as_of))
        return
    print_as_of(scenario, as_of)
    for part in show_renderables(scenario):
        console.print(part)


def checks_of(scenario: Any, proposal: list[str], max_completions: int) -> Any:
    from detente.deal.proposals import check_proposal

    known = [p.id for p in scenario.proposals]
    for pid in proposal:
        if pid not in known:
            hint = did_you_mean(pid, known, what="proposal") or "the scenario has no proposals"
            raise DetenteError(f"unknown proposal '{pid}'; {hint}")
    chosen = [p for p in scenario.proposals if not proposal or p.id in proposal]
    return tuple(check_proposal(scenario, p, max_completions=max_completions) for p in chosen)


@app.command()
def check(
    file: Path = typer.Argument(..., help="Scenario file (YAML or JSON)."),
    format: Format = FORMAT_OPTION,
    proposal: list[str] = typer.Option(
        [], "--proposal", "-p", help="Only this proposal (repeatable)."
    ),
    max_completions: int = typer.Option(
        MAX_COMPLETIONS,
        "--max-completions",
        min=1,
        help="Refuse proposals with more completions of open terms.",
    ),
    as_of: str | None = AS_OF,
) -> None:
    """Check each proposal against each party's red lines and reservation value."""
    from detente.report.json.scenario import check_json
    from detente.report.text.scenario import check_renderables

    scenario = guarded(lambda: load_scenario(file, as_of), format)
    checks = guarded(lambda: checks_of(scenario, proposal, max_completions), format)
    if format is Format.json:
        emit_json(dated(check_json(scenario, checks), scenario, as_of))
        return
    print_as_of(scenario, as_of)
    for part in check_renderables(scenario, checks):
        console.print(part)
        console.print()


def example_paths() -> dict[str, Path]:
    """The bundled example scenarios (``detente/examples/*.yaml``), by file stem."""
    from importlib.resources import files  # only the commands that list examples need it

    folder = Path(str(files("detente") / "examples"))
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def _example_summary(path: Path) -> dict[str, Any]:
    from detente.errors import ScenarioError
    from detente.scenario import load

    try:
        s = load(path)
    except ScenarioError as err:  # a broken bundled file should not hide the others
        return {
            "name": path.stem,
            "title": None,
            "summary": f"(invalid: {len(err.problems)} problems)",
        }
    return {"name": path.stem, "title": s.title, "summary": _first_sentence(s.description or "")}


def _first_sentence(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    end = flat.find(". ")
    if 0 <= end < 30:  # a tag such as "Illustrative only." says too little alone
        nxt = flat.find(". ", end + 2)
        end = nxt if nxt >= 0 else -1
    first = flat if end < 0 else flat[: end + 1]
    return first if len(first) <= limit else first[: limit - 3].rstrip() + "..."


@examples_app.command("list")
def examples_list(format: Format = FORMAT_OPTION) -> None:
    """List the bundled example scenarios."""
    rows = [_example_summary(p) for p in example_paths().values()]
    if format is Format.json:
        emit_json(document("examples list", None, {"examples": rows}))
        return
    from rich.table import Table

    t = Table("name", "title", "summary")
    for r in rows:
        t.add_row(r["name"], r["title"] or "", r["summary"])
    console.print(t)


def _copy(name: str, folder: Path, force: bool) -> Path:
    paths = example_paths()
    key = name.removesuffix(".yaml")
    if key not in paths:
        hint = did_you_mean(key, paths, what="example") or "see 'detente examples list'"
        raise DetenteError(f"no bundled example '{name}'; {hint}")
    if folder.exists() and not folder.is_dir():
        raise DetenteError(f"'{folder}' is a file, not a folder; give a folder to copy into")
    target = folder / f"{key}.yaml"
    if target.exists() and not force:
        raise DetenteError(f"'{target}' already exists; pass --force to overwrite it")
    folder.mkdir(parents=True, exist_ok=True)
    target.write_bytes(paths[key].read_bytes())
    return target


@examples_app.command("copy")
def examples_copy(
    name: str = typer.Argument(..., help="Example name (see 'detente examples list')."),
    folder: Path = typer.Argument(..., help="Folder to copy into (created if missing)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
    format: Format = FORMAT_OPTION,
) -> None:
    """Copy a bundled example into FOLDER as NAME.yaml, to edit and analyze."""
    target = guarded(lambda: _copy(name, folder, force), format)
    if format is Format.json:
        emit_json(document("examples copy", None, {"ok": True, "output": str(target)}))
    else:
        console.print(f"wrote {target}", markup=False, highlight=False)


@app.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editors and validators)."""
    from detente.scenario.model import ScenarioDocument

    out = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    out.update(ScenarioDocument.model_json_schema())
    emit_json(out)
