"""Reading a JSON scenario without composing YAML nodes, its positions read on demand.

JSON is YAML 1.2, so :func:`~detente.scenario.reading.yaml_reader.parse` reads it too,
with every key's line and column. Most files load without a problem and need no
position: :func:`parse_json` gives the same values with the standard library's parser,
and :class:`DeferredLocations` runs the YAML reading only if a position is asked for.
"""

from __future__ import annotations

import json
from typing import Any

from detente.errors import ScenarioError
from detente.scenario.locations import Locations
from detente.scenario.reading import MAX_NODES

__all__ = ["DeferredLocations", "parse_json"]


class _NotPlain(Exception):
    """JSON that only the YAML reading can turn into the same values (or refuse alike)."""


def _pairs_once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len({k for k, _ in pairs}) != len(pairs):
        raise _NotPlain  # duplicate keys: the YAML reading refuses them with their line
    return dict(pairs)


def _constant(name: str) -> Any:
    raise _NotPlain  # NaN, Infinity: not JSON; YAML reads them as text


def parse_json(text: str) -> dict[str, Any] | None:
    """The plain values that YAML reading gives a JSON document, without its nodes.

    Raises :class:`json.JSONDecodeError` for text that is not JSON. None when it is not
    a mapping, has a repeated key, NaN, Infinity or an integer too long to convert, or
    could hold more than :data:`MAX_NODES` values: the YAML reading
    (:func:`~detente.scenario.reading.yaml_reader.parse`) then says what is wrong where.
    Otherwise the same values as that reading (JSON is YAML 1.2 with every string quoted
    and every number a core int or float), several times faster and without ruamel.yaml.
    """
    try:
        data = json.loads(text, object_pairs_hook=_pairs_once, parse_constant=_constant)
    except json.JSONDecodeError:
        raise
    except (ValueError, _NotPlain, RecursionError):
        return None
    if len(text) > MAX_NODES:  # could hold too many values: the YAML reading counts them
        return None
    return data if isinstance(data, dict) else None


class DeferredLocations(Locations):
    """The :class:`Locations` of a text, read from it only when a position is asked for.

    A document that loads without a problem usually needs no position at all (they
    serve messages and the editor), so its text is composed into nodes only then.
    """

    def __init__(self, text: str, name: str) -> None:  # no tables until asked
        self._text: str | None = text
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        text = self.__dict__.get("_text")
        if attr not in ("value", "key", "quoted") or text is None:
            raise AttributeError(attr)
        from detente.scenario.reading.yaml_reader import parse  # ruamel.yaml, only now

        Locations.__init__(self)
        self._text = None
        try:
            parse(text, self._name, self)
        except ScenarioError:  # JSON that YAML refuses (tabs between tokens): no positions
            Locations.__init__(self)
        return getattr(self, attr)
