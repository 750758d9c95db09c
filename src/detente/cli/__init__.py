"""The ``detente`` command line (typer + rich). Rendering only: analyses live elsewhere.

Each sibling module registers its commands on :data:`detente.cli.app.app` when imported.
"""

from __future__ import annotations

import os
import sys

# pydantic scans every installed package for plugins on first use; the command line
# needs none (a library user's process is left alone)
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

# isort: off
from detente.cli import startup  # noqa: F401  (first: it tunes the collector for start-up)
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

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
