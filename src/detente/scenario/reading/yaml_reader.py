"""Reading YAML or JSON text into plain values, keeping every key's line and column.

ruamel.yaml composes the document into nodes that keep their line and column;
:func:`parse` converts them to plain dicts, lists and scalars and fills a
:class:`~detente.scenario.locations.Locations` by field path. Dates stay text (pydantic
parses them, so a bad date is located like any other error), and documents larger than
:data:`MAX_NODES` values (alias bombs) are refused.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from detente.errors import Problem, ScenarioError
from detente.scenario.locations import Locations, Path_
from detente.scenario.reading import MAX_NODES

__all__ = ["MAX_NODES", "parse"]


class _TooBig(Exception):
    pass


class _Duplicate(Exception):
    def __init__(self, key: str, line: int, col: int, first: int) -> None:
        super().__init__(key)
        self.key, self.line, self.col, self.first = key, line, col, first


class _Resolver(VersionedResolver):
    """ruamel's resolver, with the YAML version looked up once when the C parser reads.

    ruamel asks for the version three times per scalar, each time through two
    AttributeErrors when the C parser reads (the combined C loader is its own resolver,
    with no scanner whose ``yaml_version`` could change during the document): a third
    of reading a file. The pure-Python reader keeps ruamel's lookup.
    """

    @property
    def processing_version(self) -> Any:
        got = self.__dict__.get("_fixed_version")
        if got is not None:
            return got
        version = VersionedResolver.processing_version.fget(self)  # type: ignore[attr-defined]
        if self.loadumper is self and not hasattr(self, "_scanner"):  # the C loader
            self.__dict__["_fixed_version"] = version
        return version


_TAG = "tag:yaml.org,2002:"
_TABS = re.compile(r"\btabs?\b", re.IGNORECASE)


def _plain_key(k: Any) -> str:
    if isinstance(k, bool):
        return "true" if k else "false"
    return str(k)


def _tag(node: Node) -> str | None:
    """``node.tag`` without ruamel's per-node URI decoding when there is nothing to decode.

    A resolved tag has no handle and a plain suffix; decoding it (``Node.tag``) costs
    about 20 us a node, a quarter of reading a large file.
    """
    t = node.ctag
    if t is not None and t.handle is None and "%" not in t.suffix:
        return str(t.suffix)
    return node.tag


def _scalar(node: ScalarNode, cons: SafeConstructor) -> Any:
    """The value of a scalar node: YAML 1.2 core types; dates and unknown tags as text."""
    if _tag(node) in (_TAG + "int", _TAG + "float", _TAG + "bool", _TAG + "null"):
        value = cons.construct_object(node, deep=True)
        return float(value) if isinstance(value, float) else value
    return str(node.value)


def _pairs(node: MappingNode, cons: SafeConstructor) -> list[tuple[Node, Node]]:
    """Key/value node pairs with YAML merge keys (``<<``) applied, earlier keys winning."""
    own = [(k, v) for k, v in node.value if _tag(k) != _TAG + "merge"]
    merged: list[tuple[Node, Node]] = []
    for k, v in node.value:
        if _tag(k) == _TAG + "merge":
            for src in v.value if isinstance(v, SequenceNode) else [v]:
                if isinstance(src, MappingNode):
                    merged.extend(_pairs(src, cons))
    seen = {(_scalar(k, cons) if isinstance(k, ScalarNode) else id(k)) for k, _ in own}
    extra = []
    for k, v in merged:
        key = _scalar(k, cons) if isinstance(k, ScalarNode) else id(k)
        if key not in seen:
            seen.add(key)
            extra.append((k, v))
    return own + extra


def _to_plain(
    node: Node, path: Path_, pos: Locations, count: list[int], cons: SafeConstructor
) -> Any:
    count[0] += 1
    if count[0] > MAX_NODES:
        raise _TooBig
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        first: dict[str, int] = {}
        own = {id(k) for k, _ in node.value}
        for k, v in _pairs(node, cons):
            key = _plain_key(_scalar(k, cons)) if isinstance(k, ScalarNode) else str(k.value)
            sub = (*path, key)
            if key in first:
                if id(k) in own:
                    raise _Duplicate(
                        key, k.start_mark.line + 1, k.start_mark.column + 1, first[key]
                    )
                continue
            first[key] = k.start_mark.line + 1
            if id(k) in own:  # merged keys point at their anchor, not here: no mark
                pos.key[sub] = (k.start_mark.line + 1, k.start_mark.column + 1)
                pos.value[sub] = (v.start_mark.line + 1, v.start_mark.column + 1)
            out[key] = _to_plain(v, sub, pos, count, cons)
        return out
    if isinstance(node, SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            sub = (*path, i)
            pos.value[sub] = (item.start_mark.line + 1, item.start_mark.column + 1)
            items.append(_to_plain(item, sub, pos, count, cons))
        return items
    assert isinstance(node, ScalarNode)
    if node.style in ("'", '"'):
        pos.quoted.add(path)
    return _scalar(node, cons)


def _yaml_problem(err: YAMLError, name: str, text: str = "") -> Problem:
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
    near = (
        text.splitlines()[line - 1]
        if line is not None and 0 < line <= len(text.splitlines())
        else ""
    )
    lead = near[: len(near) - len(near.lstrip())]
    # "tab" as a word: "unacceptable character" is not about tabs
    if "\t" in str(what) or "'\\t'" in str(what) or _TABS.search(str(what)) or "\t" in lead:
        hint = "YAML does not allow tabs for indentation; use spaces"
    return Problem(message, (), name, line, col, None, hint)


def parse(text: str, name: str, pos: Locations) -> Any:
    """Plain values of a YAML (or JSON) document, filling ``pos`` with each item's place.

    The document is composed into nodes (ruamel.yaml's C parser when installed), which
    carry their line and column; values are built from the nodes here, with YAML 1.2
    core types, dates kept as text, merge keys applied and duplicate keys refused.
    """
    yaml = YAML(typ="safe", pure=False)
    yaml.Resolver = _Resolver
    try:
        doc = yaml.compose(text)
    except YAMLError as err:
        raise ScenarioError([_yaml_problem(err, name, text)]) from None
    except (ValueError, TypeError, RecursionError) as err:
        raise ScenarioError(
            [Problem(f"not valid YAML: {err}", (), name, hint="check the file's syntax")]
        ) from None
    if doc is None:
        return None
    try:
        return _to_plain(doc, (), pos, [0], yaml.constructor)
    except _Duplicate as dup:
        raise ScenarioError(
            [
                Problem(
                    f"not valid YAML: found duplicate key '{dup.key}' (first at line {dup.first})",
                    (),
                    name,
                    dup.line,
                    dup.col,
                    None,
                    "each key may appear once in a mapping; remove or rename the repeated key",
                )
            ]
        ) from None
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
