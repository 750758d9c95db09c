"""Load scenario files (YAML or JSON) with line-accurate, actionable errors.

Loading reads the file once and writes nothing. YAML is parsed with ruamel.yaml, which
keeps the line and column of every key and value; the document is converted to plain
Python values plus a map from field path to position, validated with pydantic
(:mod:`detente.scenario.model`), then checked as a whole
(:mod:`detente.scenario.semantics`). Every problem found is reported at once in a single
:class:`~detente.errors.ScenarioError`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from detente.errors import Problem, ScenarioError
from detente.scenario.checked import Scenario
from detente.scenario.locations import Locations
from detente.scenario.reading import MAX_NODES
from detente.scenario.reading.json_reader import DeferredLocations, parse_json

__all__ = ["MAX_FILE_BYTES", "MAX_NODES", "load", "load_data", "loads"]

MAX_FILE_BYTES = 5 * 1024 * 1024


def loads(text: str, name: str = "<string>") -> Scenario:
    """Load a scenario from YAML or JSON text. Raises :class:`ScenarioError`."""
    if not text.strip():
        raise ScenarioError(
            [
                Problem(
                    "the file is empty",
                    (),
                    name,
                    1,
                    1,
                    "a scenario mapping",
                    "start from 'detente examples copy'",
                )
            ]
        )
    from detente.scenario.reading.yaml_reader import parse  # ruamel.yaml: only for reading YAML

    pos = Locations()
    data = parse(text, name, pos)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        raise ScenarioError(
            [
                Problem(
                    f"the top level is {kind}, not a mapping",
                    (),
                    name,
                    1,
                    1,
                    "keys such as id, title, parties, issues",
                    "see docs/scenario-format.md or 'detente examples list'",
                )
            ]
        )
    return Scenario.from_plain(data, name, pos)


def load_data(data: dict[str, Any], name: str = "<data>") -> Scenario:
    """Validate a scenario document already in memory (plain dicts, lists and scalars).

    The same checks as :func:`loads`; problems name the field path but no line.
    """
    return Scenario.from_data(data, name)


def load(path: str | Path) -> Scenario:
    """Load and validate a scenario file (YAML, or JSON). Reads only; never writes.

    Raises :class:`~detente.errors.ScenarioError` listing every problem found.
    """
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise ScenarioError([Problem("no such file", (), name, hint="check the path")])
    if p.is_dir():
        raise ScenarioError([Problem("this is a folder, not a scenario file", (), name)])
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ScenarioError(
            [
                Problem(
                    f"file is {size / 1e6:.1f} MB, larger than the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit",
                    (),
                    name,
                    expected="a scenario file of a few kilobytes",
                    hint="is this the right file? scenarios are small text files",
                )
            ]
        )
    raw = p.read_bytes()
    if b"\x00" in raw[:8192]:
        raise ScenarioError(
            [
                Problem(
                    "this is a binary file, not a text scenario",
                    (),
                    name,
                    1,
                    1,
                    "YAML or JSON text",
                )
            ]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise ScenarioError(
            [
                Problem(
                    f"not UTF-8 text (byte {err.start} is {raw[err.start]:#04x})",
                    (),
                    name,
                    line,
                    col,
                    "UTF-8 encoded YAML or JSON",
                    "save the file as UTF-8 (it may be Latin-1 or Windows-1252)",
                )
            ]
        ) from None
    if p.suffix.lower() == ".json":
        try:
            data = parse_json(text)
        except json.JSONDecodeError as err:
            raise ScenarioError(
                [
                    Problem(
                        f"not valid JSON: {err.msg}",
                        (),
                        name,
                        err.lineno,
                        err.colno,
                        hint="check commas, brackets and quotes",
                    )
                ]
            ) from None
        if data is not None:  # the same values; positions only if a message needs one
            return Scenario.from_plain(data, name, DeferredLocations(text, name))
    return loads(text, name)
