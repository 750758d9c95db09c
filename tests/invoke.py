"""Run the ``detente`` command line in-process or as a real process, with one result type.

In-process runs go through typer's test runner: the same code path from argument parsing
to the exit code, at a fraction of a process start (about 0.3 s each). An exception that
escapes a command fails the test there and then (a user would have seen a traceback).
The real process stays for what only a process shows: exit codes as the shell sees them,
no traceback leaking out, import costs, signals (:func:`process`).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

DETENTE = Path(sys.executable).with_name("detente")
# Wide, colourless, not a terminal: what the tests read, in both kinds of run.
ENV = {"COLUMNS": "160", "NO_COLOR": "1", "TERM": "dumb"}


@dataclass(frozen=True)
class Outcome:
    """What a run of the command gave: exit code and the two streams."""

    returncode: int
    stdout: str
    stderr: str


def detente(
    *args: str | Path,
    cwd: Path | None = None,
    input: str | None = None,
    env: dict[str, str] | None = None,
) -> Outcome:
    """``detente ARGS`` in this process (typer's runner), from folder ``cwd`` if given.

    ``env`` adds environment variables for the run (restored afterwards).
    """
    from detente.cli import app

    runner = CliRunner()
    with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
        result = runner.invoke(app, [str(a) for a in args], env={**ENV, **(env or {})}, input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Outcome(result.exit_code, result.stdout, result.stderr)


def process(*args: str | Path, cwd: Path | None = None) -> Outcome:
    """``detente ARGS`` as a real process, as a user runs it."""
    done = subprocess.run(
        [str(DETENTE), *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
        cwd=cwd,
        check=False,
    )
    return Outcome(done.returncode, done.stdout, done.stderr)
