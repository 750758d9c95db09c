"""Load scenario files (YAML or JSON) with line-accurate, actionable errors.

Loading reads the file once and writes nothing. YAML is parsed with ruamel.yaml, which
keeps the line and column of every key and value; the document is converted to plain
Python values plus a map from field path to position, validated with pydantic
(:mod:`detente.scenario.model`), then checked as a whole
(:mod:`detente.scenario.semantics`). Every problem found is reported at once in a single
:class:`~detente.errors.ScenarioError`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import ScalarString

from detente.errors import FieldError, Problem, ScenarioError, did_you_mean
from detente.scenario.model import Scenario

__all__ = ["MAX_FILE_BYTES", "MAX_NODES", "Positions", "load", "load_data", "loads"]

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000  # values in one document (guards against alias bombs)

Path_ = tuple[str | int, ...]


class Positions:
    """Line/column (1-based) of every key and value of a document, by field path."""

    def __init__(self) -> None:
        self.value: dict[Path_, tuple[int, int]] = {}
        self.key: dict[Path_, tuple[int, int]] = {}
        self.quoted: set[Path_] = set()

    def at(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """Position of ``path``, or of its nearest located ancestor."""
        p = tuple(path)
        while p:
            table = self.key if key and p in self.key else self.value
            if p in table:
                return table[p]
            if p in self.key:
                return self.key[p]
            p = p[:-1]
        return (1, 1)


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


def _to_plain(node: Any, path: Path_, pos: Positions, count: list[int]) -> Any:
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


def _parse(text: str, name: str, pos: Positions) -> Any:
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


def _clean_loc(loc: tuple[Any, ...], data: Any) -> tuple[Path_, bool]:
    """Map a pydantic error location onto the data's own keys.

    pydantic inserts union tags and validator names into locations; keep only the parts
    that exist in the document. Returns the path and whether it ends at a missing key.
    """
    path: list[str | int] = []
    cur = data
    missing = False
    tags = ("choice", "boolean", "integer")
    for part in loc:
        if isinstance(cur, dict) and isinstance(part, str) and part in cur:
            path.append(part)
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            path.append(part)
            cur = cur[part]
        elif (
            isinstance(cur, dict)
            and isinstance(part, str)
            and part.isidentifier()
            and part not in tags
            and not missing
        ):
            # a key the document lacks: the missing field itself (union tags are skipped)
            path.append(part)
            missing = True
            cur = None
    return tuple(path), missing


_EXPECTED = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "string_type": "text",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "date_from_datetime_parsing": "a date like 2024-05-06",
    "date_parsing": "a date like 2024-05-06",
    "date_type": "a date like 2024-05-06",
    "list_type": "a list",
    "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)",
    "tuple_type": "a list",
    "missing": "this field",
}


def _fields_at(model: type[Any], loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed where an unknown key was found (best effort, for hints).

    Follows the pydantic location through the models; at a union (an issue's kind) the
    location carries the chosen member's tag, which picks the model among the members.
    """
    from typing import get_args

    candidates: list[type[Any]] = [model]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = [m.model_fields[str(part)] for m in candidates if str(part) in m.model_fields]
        if fields:
            candidates = _submodels(fields[0].annotation) or candidates
            continue
        # a union tag such as 'integer' (the member whose `kind` is that literal)
        tagged = [
            m
            for m in candidates
            if "kind" in m.model_fields and part in get_args(m.model_fields["kind"].annotation)
        ]
        candidates = tagged or candidates
    return list(candidates[0].model_fields) if candidates else []


def _submodels(annotation: Any) -> list[type[Any]]:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[Any]] = []
    for arg in get_args(annotation):
        out.extend(_submodels(arg))
    return out


# What a field holds, for fields whose constraint pydantic would spell out piecemeal
# ("less than or equal to 10, or one of 'absolute'"). Keyed by the field's last one or
# two names in the pydantic location.
_FIELD_EXPECTED: dict[tuple[str, ...], str] = {
    ("firmness",): "a whole number from 1 (least firm) to 10 (firmest), or 'absolute'",
    ("reservation", "value"): "a utility between 0 and 1 (inclusive)",
    ("reservation",): "a utility between 0 and 1, or a mapping with 'value'",
    ("weight",): "a number >= 0",
    ("range",): "[lo, hi]: two whole numbers with lo <= hi",
}

_TAGS = {"int", "str", "bool", "float", "choice", "boolean", "integer"}


def _field_names(loc: tuple[Any, ...]) -> tuple[str, ...]:
    """The field names of a pydantic location, without union tags and list indices."""
    return tuple(p for p in loc if isinstance(p, str) and p.isidentifier() and p not in _TAGS)


def _field_expected(loc: tuple[Any, ...]) -> str | None:
    names = _field_names(loc)
    for n in (2, 1):
        if len(names) >= n and names[-n:] in _FIELD_EXPECTED:
            return _FIELD_EXPECTED[names[-n:]]
    return None


def _close(word: object, pool: list[str]) -> str | None:
    """'did you mean' only when something is close (the pool is listed elsewhere)."""
    hint = did_you_mean(str(word), pool)
    return hint if hint and hint.startswith("did you mean") else None


def _singular(section: str | int) -> str:
    text = str(section)
    if text.endswith("ies"):
        return text[:-3] + "y"
    return text[:-1] if text.endswith("s") else text


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _tag_problem(e: dict[str, Any], path: Path_, name: str, pos: Positions) -> Problem:
    """A discriminated union whose tag (an issue's ``kind``) is missing or unknown."""
    ctx = e.get("ctx", {})
    field = str(ctx.get("discriminator", "'kind'")).strip("'")
    noun = _singular(path[-2]) if len(path) >= 2 else "item"
    raw_tags = str(ctx.get("expected_tags", "'choice', 'boolean', 'integer'"))
    tags = [t.strip(" '") for t in raw_tags.split(",")]
    expected = f"{field}: " + ", ".join(tags)
    if e["type"] == "union_tag_invalid":
        tag = str(ctx.get("tag", ""))
        at = (*path, field)
        line, col = pos.at(at)
        hint = did_you_mean(tag, tags, what=field)
        return Problem(f"unknown {noun} {field} '{tag}'", at, name, line, col, expected, hint)
    line, col = pos.at(path)
    hint = f"add '{field}: {tags[0]}' (or another of the above)"
    return Problem(f"this {noun} has no '{field}'", path, name, line, col, expected, hint)


def _validation_problems(
    err: ValidationError, data: Any, name: str, pos: Positions
) -> list[Problem]:
    grouped: dict[Path_, list[dict[str, Any]]] = {}
    order: list[Path_] = []
    for e in err.errors(include_url=False):
        path, _ = _clean_loc(tuple(e["loc"]), data)
        if path not in grouped:
            grouped[path] = []
            order.append(path)
        grouped[path].append(dict(e))
    problems = []
    for path in order:
        errs = grouped[path]
        types = {e["type"] for e in errs}
        first = errs[0]
        line, col = pos.at(path, key="extra_forbidden" in types or "missing" in types)
        hint: str | None = None
        expected: str | None = None
        error = first.get("ctx", {}).get("error")
        if types & {"union_tag_invalid", "union_tag_not_found"}:
            tagged = next(e for e in errs if str(e["type"]).startswith("union_tag"))
            problems.append(_tag_problem(tagged, path, name, pos))
            continue
        if "extra_forbidden" in types:
            key = str(path[-1]) if path else "?"
            allowed = _fields_at(Scenario, tuple(first["loc"]))
            message = f"unknown field '{key}'"
            hint = did_you_mean(key, allowed, what="field") if allowed else None
            expected = "one of: " + ", ".join(allowed) if allowed else None
        elif "missing" in types:
            message = (
                f"required field '{path[-1]}' is missing" if path else "required field missing"
            )
            hint = "add it"
        elif len(errs) == 1 and isinstance(error, FieldError):
            message, expected, hint = error.message, error.expected, error.hint
        else:
            value = first.get("input")
            msgs = []
            for err_ in errs:
                if err_["type"] in ("literal_error", "enum"):
                    exp = err_.get("ctx", {}).get("expected", "")
                    msgs.append(f"one of {exp}")
                    literals = [s.strip(" '") for s in exp.replace(" or ", ",").split(",")]
                    if isinstance(value, str):
                        hint = hint or _close(value, [s for s in literals if s])
                elif err_["type"] == "value_error":
                    msgs.append(str(err_.get("ctx", {}).get("error", err_["msg"])))
                elif err_["type"] in _EXPECTED:
                    msgs.append(_EXPECTED[err_["type"]])
                else:
                    msgs.append(
                        err_["msg"].removeprefix("Input should be ").removeprefix("Value error, ")
                    )
            uniq = list(dict.fromkeys(msgs))
            if len(uniq) == 1 and first["type"] == "value_error":
                message = uniq[0]
            else:
                message = f"invalid value {_shown(value)}"
                expected = _field_expected(tuple(first["loc"])) or ", or ".join(uniq)
        problems.append(Problem(message, path, name, line, col, expected, hint))
    return problems


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
    pos = Positions()
    data = _parse(text, name, pos)
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
    return _validate(data, name, pos)


class _Unlocated(Positions):
    """Positions of a document built in memory: there are no lines to point at."""

    def at(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        return (None, None)


def _validate(data: dict[str, Any], name: str, pos: Positions) -> Scenario:
    from detente.scenario.semantics import check_scenario

    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(_validation_problems(err, data, name, pos)) from None
    problems = check_scenario(scenario, name, pos)
    if problems:
        raise ScenarioError(problems)
    scenario._origin = name
    return scenario


def load_data(data: dict[str, Any], name: str = "<data>") -> Scenario:
    """Validate a scenario document already in memory (plain dicts, lists and scalars).

    The same checks as :func:`loads`; problems name the field path but no line.
    """
    return _validate(data, name, _Unlocated())


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
            json.loads(text)
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
    return loads(text, name)
