"""The envelope every JSON document shares, and the error document.

Every command's JSON starts with ``command``, ``format_version`` and ``scenario`` (the
scenario id; ``null`` when there is none), then the command's own keys. A refusal under
``--format json`` prints an error document on standard output: the same three keys,
``ok: false`` and the ``problems`` (file, line, column, path, message, expected, hint).
:data:`FORMAT_VERSION` rises when a key is removed or renamed (docs/cli-json.md lists
the changes).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from detente.errors import DetenteError, LimitError, Problem, ScenarioError

__all__ = ["FORMAT_VERSION", "envelope", "error_document"]

FORMAT_VERSION = 2
_HEAD = ("command", "format_version", "scenario")


def envelope(command: str, scenario: str | None, body: Mapping[str, Any]) -> dict[str, Any]:
    """``command``, ``format_version``, ``scenario`` first, then ``body`` (order kept)."""
    head = {"command": command, "format_version": FORMAT_VERSION, "scenario": scenario}
    return {**head, **{k: v for k, v in body.items() if k not in _HEAD}}


def error_document(command: str, err: DetenteError, scenario: str | None = None) -> dict[str, Any]:
    """The JSON of a refusal: what went wrong, as problems (located when possible)."""
    if isinstance(err, ScenarioError):
        problems = list(err.problems)
        kind = "invalid"
    else:
        problems = [Problem(str(err))]
        kind = "refused" if isinstance(err, LimitError) else "error"
    return envelope(
        command,
        scenario,
        {"ok": False, "error": kind, "problems": [p.to_dict() for p in problems]},
    )
