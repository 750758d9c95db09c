"""Turning pydantic's validation errors into located, actionable problems.

Each error's location is mapped onto the document's own keys (pydantic inserts union
tags and validator names), given the line and column the reader recorded, a plain
statement of what was expected, and a hint (``did you mean ...?``, the allowed fields).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from detente.errors import FieldError, Problem, did_you_mean
from detente.scenario.locations import Locations, Path_
from detente.scenario.model import ScenarioDocument

__all__ = ["clean_location", "validation_problems"]


def clean_location(loc: tuple[Any, ...], data: Any) -> tuple[Path_, bool]:
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


def _tag_problem(e: dict[str, Any], path: Path_, name: str, pos: Locations) -> Problem:
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


def validation_problems(
    err: ValidationError, data: Any, name: str, pos: Locations
) -> list[Problem]:
    """One located problem per field path that pydantic's ``err`` complains about.

    Errors are grouped by cleaned path (:func:`clean_location`), in pydantic's order;
    ``name`` is the file name and ``pos`` the positions of ``data``'s keys and values.
    """
    grouped: dict[Path_, list[dict[str, Any]]] = {}
    order: list[Path_] = []
    for e in err.errors(include_url=False):
        path, _ = clean_location(tuple(e["loc"]), data)
        if path not in grouped:
            grouped[path] = []
            order.append(path)
        grouped[path].append(dict(e))
    problems = []
    for path in order:
        errs = grouped[path]
        if {e["type"] for e in errs} == {"too_short"} and any(
            len(o) > len(path) and o[: len(path)] == path for o in order
        ):
            continue  # pydantic counts only the valid items: the refused ones are reported
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
            allowed = _fields_at(ScenarioDocument, tuple(first["loc"]))
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
        elif types == {"too_short"}:
            least = int(first.get("ctx", {}).get("min_length", 1))
            message = "the list is empty" if least == 1 else "the list is too short"
            expected = f"at least {least} item{'s' if least != 1 else ''}"
            hint = "add one" if least == 1 else "add more"
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
            types = {str(e_["type"]) for e_ in errs}
            numeric_field = types & _NUMBER_TYPES or _field_expected(tuple(first["loc"]))
            if isinstance(value, str) and numeric_field and _numeric(value):
                message = f"{value!r} is text (it is quoted), not a number"
                hint = f"write {value.strip()} without quotes"
            elif isinstance(value, str) and types & _DATE_TYPES:
                why = _date_reason(value)
                if why:
                    message = f"{value!r} is not a date: {why}"
        problems.append(Problem(message, path, name, line, col, expected, hint))
    return problems


_NUMBER_TYPES = {"int_type", "float_type", "int_parsing", "float_parsing"}
_DATE_TYPES = {"date_parsing", "date_from_datetime_parsing", "date_type"}
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _date_reason(text: str) -> str | None:
    """Why a YYYY-MM-DD text is no date (month 13, 31 November), or None."""
    import calendar
    import re

    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", text)
    if m is None:
        return "write dates as YYYY-MM-DD, e.g. 2024-05-06" if text.strip() else None
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        return f"there is no month {month} (months are 1 to 12)"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{_MONTHS[month - 1]} {year} has {days} days"
    return None
