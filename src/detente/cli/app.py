"""The typer application and what every command shares: output format, errors, exit codes.

Commands live in sibling modules (``scenario_cmds``, ``deal_cmds``, ``conflict_cmds``)
that register themselves on :data:`app`. Bad input exits with code 2 and a located,
readable message; a Python traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from detente.errors import DetenteError, LimitError, ScenarioError

if TYPE_CHECKING:
    from rich.console import Console

    from detente.scenario.checked import Scenario

__all__ = [
    "Format",
    "app",
    "bundled_example",
    "console",
    "document",
    "emit_json",
    "err_console",
    "guarded",
    "load_scenario",
    "refuse_overwrite",
    "write_output",
    "state",
]

app = typer.Typer(
    name="detente",
    help="Analyze multi-party negotiations and conflicts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# User text and locations are never markup or emoji (":100:" stays ":100:"); piped
# output is not cut at 80 columns
_WIDE = 200


class _Lazy:
    """A rich Console made on first use, so that JSON output never loads rich."""

    def __init__(self, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Any = None

    def _get(self) -> Console:
        if self._console is None:
            from rich.console import Console

            stream = sys.stderr if self._stderr else sys.stdout
            self._console = Console(
                stderr=self._stderr,
                highlight=False,
                emoji=False,
                width=None if stream.isatty() else _WIDE,
            )
        return self._console  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._get(), name)


console: Console = _Lazy(stderr=False)  # type: ignore[assignment]
err_console: Console = _Lazy(stderr=True)  # type: ignore[assignment]
state: dict[str, Any] = {"debug": False, "command": None, "scenario": None}

T = TypeVar("T")


class Format(str, Enum):
    text = "text"
    json = "json"


def document(command: str, scenario: str | None, body: Mapping[str, Any]) -> dict[str, Any]:
    """A command's JSON document: the envelope (command, format_version, scenario), then ``body``."""
    from detente.report.json.envelope import envelope

    return envelope(command, scenario, body)


def emit_json(data: Any) -> None:
    """Print stable JSON (sorted keys are not used: key order is part of the contract)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def _report_error(err: DetenteError, fmt: Format | None) -> None:
    from rich.markup import escape  # messages quote user text such as "[lo, hi]"

    if fmt is Format.json:
        from detente.report.json.envelope import error_document

        emit_json(error_document(str(state["command"] or "detente"), err, state["scenario"]))
    if isinstance(err, ScenarioError):
        err_console.print(f"[bold red]error:[/] {escape(err.render())}", soft_wrap=True)
    elif isinstance(err, LimitError):
        err_console.print(f"[bold red]refused:[/] {escape(str(err))}", soft_wrap=True)
    else:
        err_console.print(f"[bold red]error:[/] {escape(str(err))}", soft_wrap=True)


def guarded(fn: Callable[[], T], fmt: Format | None = None) -> T:
    """Run a command body; turn detente's own errors into a message and exit code 2."""
    try:
        return fn()
    except DetenteError as err:
        if state["debug"]:
            raise
        _report_error(err, fmt)
        raise typer.Exit(2) from None


def refuse_overwrite(path: Path, force: bool, fmt: Format | None = None) -> None:
    """Exit 2 with a message when ``path`` exists and ``--force`` was not given."""

    def check() -> None:
        if path.exists() and not force:
            raise DetenteError(f"{path} exists; not overwriting it (use --force to replace it)")

    guarded(check, fmt)


def write_output(path: Path, text: str, fmt: Format | None = None) -> None:
    """Write a command's output file; an OS error becomes a message and exit code 2."""

    def write() -> None:
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as err:
            raise DetenteError(f"cannot write {path}: {err.strerror}") from None

    guarded(write, fmt)


def bundled_example(name: str = "cairo-2024-05") -> Path:
    """Path of a scenario bundled with the package."""
    from importlib.resources import files

    return Path(str(files("detente") / "examples" / f"{name}.yaml"))


def load_scenario(path: Path | None) -> Scenario:
    """Load ``path``, or the bundled Cairo example when no path is given."""
    from detente.scenario import load

    scenario = load(path if path is not None else bundled_example())
    state["scenario"] = scenario.id  # named by the error document of a later refusal
    return scenario


@app.callback()
def _root(
    ctx: typer.Context,
    debug: bool = typer.Option(False, "--debug", help="Show Python tracebacks on errors."),
) -> None:
    """Analyze multi-party negotiations and conflicts."""
    state["debug"] = debug
    state["command"] = ctx.invoked_subcommand
    state["scenario"] = None
