"""The ``detente`` command line (typer + rich). Rendering only: analyses live elsewhere."""

from __future__ import annotations

import sys

from detente.cli import scenario_cmds as _scenario_cmds  # noqa: F401  (registers commands)
from detente.cli.app import app

__all__ = ["app", "main"]

_OPTIONAL = ("deal_cmds", "conflict_cmds", "gaps_cmds", "interop_cmds", "demo_cmds")


def _register_optional() -> None:
    import importlib

    for name in _OPTIONAL:
        try:
            importlib.import_module(f"detente.cli.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"detente.cli.{name}":
                raise


def main() -> None:
    """Console-script entry point."""
    _register_optional()
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
