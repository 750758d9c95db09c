"""Reading YAML or JSON text into plain values, keeping every key's line and column.

ruamel.yaml keeps the position of every key and value; :func:`parse` converts its
document to plain dicts, lists and scalars and fills a
:class:`~detente.scenario.locations.Locations` by field path. Dates stay text (pydantic
parses them, so a bad date is located like any other error), and documents larger than
:data:`MAX_NODES` values (alias bombs) are refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import ScalarString

from detente.errors import Problem, ScenarioError
from detente.scenario.locations import Locations, Path_

__all__ = ["MAX_NODES", "parse"]

MAX_NODES = 200_000  # values in one document (guards against alias bombs)


class _TooBig(Exception):
    pass


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that leaves dates as text.

    ruamel.yaml turns ``2024-13-45`` into a ValueError with no position; kept as text,
    the date is parsed by pydantic, whose error we can locate like any other.
    """


def _timestamp_as_text(self: RoundTripConstructor, node: Any) -> Any:
    return self.construct_scalar(node)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def _plain_key(k: Any) -> str:
    if isinstance(k, bool):
        return "true" if k else "false"
    return str(k)


def _to_plain(node: Any, path: Path_, pos: Locations, count: list[int]) -> Any:
    count[0] += 1
    if count[0] > MAX_NODES:
        raise _TooBig
    if isinstance(node, CommentedMap):
        out: dict[str, Any] = {}
        for k in node:
            sub = (*path, _plain_key(k))
            try:
                kl, kc = node.lc.key(k)
                vl, vc = node.lc.value(k)
                pos.key[sub] = (kl + 1, kc + 1)
                pos.value[sub] = (vl + 1, vc + 1)
            except (KeyError, TypeError, AttributeError):  # merged keys carry no mark
                pass
            out[_plain_key(k)] = _to_plain(node[k], sub, pos, count)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, item in enumerate(node):
            sub = (*path, i)
            try:
                il, ic = node.lc.item(i)
                pos.value[sub] = (il + 1, ic + 1)
            except (KeyError, TypeError, AttributeError):
                pass
            items.append(_to_plain(item, sub, pos, count))
        return items
    if isinstance(node, dict):
        return {
            _plain_key(k): _to_plain(v, (*path, _plain_key(k)), pos, count) for k, v in node.items()
        }
    if isinstance(node, list):
        return [_to_plain(v, (*path, i), pos, count) for i, v in enumerate(node)]
    if isinstance(node, ScalarString):
        if type(node).__name__ in ("SingleQuotedScalarString", "DoubleQuotedScalarString"):
            pos.quoted.add(path)
        return str(node)
    if isinstance(node, bool):
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, dt.datetime):
        return node.date() if (node.hour, node.minute, node.second) == (0, 0, 0) else node
    return node


def _yaml_problem(err: YAMLError, name: str) -> Problem:
    line = col = None
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    if isinstance(err, MarkedYAMLError) and mark is not None:
        line, col = mark.line + 1, mark.column + 1
    what = getattr(err, "problem", None) or str(err).splitlines()[0]
    context = getattr(err, "context", None)
    message = f"not valid YAML: {what}" + (f" ({context})" if context else "")
    hint = "check indentation, colons and quotes near this line"
    if "duplicate key" in str(err) or "found duplicate key" in str(what):
        hint = "each key may appear once in a mapping; remove or rename the repeated key"
    if "\t" in str(what) or "'\\t'" in str(what) or "tab" in str(what).lower():
        hint = "YAML does not allow tabs for indentation; use spaces"
    return Problem(message, (), name, line, col, None, hint)


def parse(text: str, name: str, pos: Locations) -> Any:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.preserve_quotes = True
    try:
        doc = yaml.load(text)
    except YAMLError as err:
        raise ScenarioError([_yaml_problem(err, name)]) from None
    except (ValueError, TypeError, RecursionError) as err:
        raise ScenarioError(
            [Problem(f"not valid YAML: {err}", (), name, hint="check the file's syntax")]
        ) from None
    try:
        return _to_plain(doc, (), pos, [0])
    except (_TooBig, RecursionError):
        raise ScenarioError(
            [
                Problem(
                    f"document has more than {MAX_NODES:,} values (or deeply nested aliases)",
                    (),
                    name,
                    1,
                    1,
                    hint="split the scenario, or remove YAML aliases that expand it",
                )
            ]
        ) from None
