"""The typer application and what every command shares: output format, errors, exit codes.

Commands live in sibling modules (``scenario_cmds``, ``deal_cmds``, ``conflict_cmds``)
that register themselves on :data:`app`. Bad input exits with code 2 and a located,
readable message; a Python traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import datetime as dt
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
    "AS_OF",
    "Format",
    "app",
    "bundled_example",
    "console",
    "dated",
    "document",
    "emit_json",
    "err_console",
    "guarded",
    "load_scenario",
    "parse_day",
    "print_as_of",
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
    # click suggests a close command name itself; typer's own suggestion repeated it
    suggest_commands=False,
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
    """The ``--format`` of a command's output: ``text`` for people, ``json`` for programs."""

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


def load_scenario(path: Path | None, as_of: str | None = None) -> Scenario:
    """Load ``path``, or the bundled Cairo example when no path is given.

    With ``as_of`` (``--as-of DATE``), the scenario as it stood that day
    (:meth:`~detente.scenario.checked.Scenario.on`).
    """
    from detente.scenario import load

    day = parse_day(as_of, "--as-of") if as_of is not None else None
    scenario = load(path if path is not None else bundled_example())
    state["scenario"] = scenario.id  # named by the error document of a later refusal
    return scenario.on(day) if day is not None else scenario


AS_OF = typer.Option(
    None,
    "--as-of",
    metavar="DATE",
    help="The scenario as it stood on DATE (YYYY-MM-DD): later or ended items left out.",
)


def parse_day(text: str, option: str) -> dt.date:
    """A ``YYYY-MM-DD`` option value as a date; a clear refusal otherwise."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DetenteError(
            f"{option}: '{text}' is not a date; expected YYYY-MM-DD, e.g. 2024-05-08"
        ) from None


def print_as_of(scenario: Scenario, as_of: str | None) -> None:
    """Under ``--as-of``: say the day shown and what of the file it leaves out."""
    if as_of is None:
        return
    from detente.report.text.timeline import as_of_text

    console.print(as_of_text(scenario), markup=False, soft_wrap=True)


def dated(doc: dict[str, Any], scenario: Scenario, as_of: str | None) -> dict[str, Any]:
    """A JSON document with the ``as_of`` key when ``--as-of`` was given (else unchanged)."""
    from detente.report.json.timeline import with_as_of

    return with_as_of(doc, scenario, as_of)


@app.callback()
def _root(
    ctx: typer.Context,
    debug: bool = typer.Option(False, "--debug", help="Show Python tracebacks on errors."),
) -> None:
    """Analyze multi-party negotiations and conflicts."""
    state["debug"] = debug
    state["command"] = ctx.invoked_subcommand
    state["scenario"] = None
