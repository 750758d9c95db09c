"""The ``detente`` command line (typer + rich). Rendering only: analyses live elsewhere.

Each sibling module registers its commands on :data:`detente.cli.app.app` when imported.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

# pydantic scans every installed package for plugins on first use; the command line
# needs none (a library user's process is left alone); startup also skips the loader
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

# isort: off
from detente.cli import startup  # first: it tunes the collector for start-up
from detente.cli.app import app
# isort: on

# Importing a module registers its commands; --help lists them in this order.
# isort: off
from detente.cli import scenario_cmds  # noqa: F401
from detente.cli import deal_cmds  # noqa: F401
from detente.cli import gaps_cmds  # noqa: F401
from detente.cli import conflict_cmds  # noqa: F401
from detente.cli import interop_cmds  # noqa: F401
from detente.cli import report_cmds  # noqa: F401
from detente.cli import demo_cmds  # noqa: F401
from detente.cli import robustness_cmds  # noqa: F401
from detente.cli import serve_cmds  # noqa: F401
from detente.cli import simulate_cmds  # noqa: F401
from detente.cli import tournament_cmds  # noqa: F401
from detente.cli import timeline_cmds  # noqa: F401
# isort: on

__all__ = ["app", "main", "run"]


def _invoked(args: list[str]) -> str | None:
    """The command name ``args`` invoke (after the root's own flags), if there is one."""
    for a in args:
        if a != "--debug":
            return None if a.startswith("-") else a
    return None


def main() -> None:
    """The command line on ``sys.argv`` (ends by raising ``SystemExit``, as click does)."""
    # typer turns every registered command into a click command before it parses the
    # arguments (about 20 of them, a tenth of a short command's run); a process runs
    # one, so only that one is built. An unknown name, ``--help`` or no command at all
    # sees the whole tree, so listings and suggestions are unchanged.
    from typer.main import get_command_name as command_name  # loaded by app already

    name = _invoked(sys.argv[1:])
    commands, groups = app.registered_commands, app.registered_groups
    one = [
        c for c in commands if c.callback and (c.name or command_name(c.callback.__name__)) == name
    ]
    sub = [g for g in groups if g.name == name]
    if one or sub:
        app.registered_commands, app.registered_groups = one, sub
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
    finally:
        app.registered_commands, app.registered_groups = commands, groups


def run() -> NoReturn:
    """Console-script entry point: :func:`main`, then :func:`startup.leave` with its code.

    :func:`main` raises ``SystemExit`` as usual (in-process callers and tests rely on
    it); the ``detente`` process itself also skips the interpreter's teardown when that
    loses nothing.
    """
    try:
        main()
    except SystemExit as done:
        startup.leave(done.code)
    startup.leave(0)
