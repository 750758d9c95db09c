"""Every problem in one run: checking the rest of a file whose shape is partly wrong.

When pydantic refuses part of a document (a wrong type, an unknown field), the
whole-file checks would normally never run, and a user would fix one round of mistakes
only to meet the next. :func:`all_problems` removes the offending items (the list item
or mapping entry holding each error), validates what is left, runs the whole-file checks
on it, and reports both kinds of problem together, leaving out the consequences of the
removal (problems inside removed items, references to the ids they declared).
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from detente.errors import Problem
from detente.scenario.dates.checks import check_file
from detente.scenario.locations import Locations, Path_
from detente.scenario.model import ScenarioDocument
from detente.scenario.reading.pydantic_problems import clean_location, validation_problems

__all__ = ["all_problems"]

_ROUNDS = 8
_REQUIRED_TOP = {"id", "title", "parties"}


def _remove(data: Any, path: Path_) -> tuple[Path_, str | None] | None:
    """Delete the list item or mapping entry holding ``path``; its path and declared id."""
    cut = None
    for k in range(len(path) - 1, -1, -1):
        if isinstance(path[k], int):
            cut = k + 1
            break
    if cut is None:
        if len(path) < 2 and (not path or path[0] in _REQUIRED_TOP):
            return None
        cut = len(path)
    target = path[:cut]
    parent: Any = data
    try:
        for part in target[:-1]:
            parent = parent[part]
    except (KeyError, IndexError, TypeError):
        return None
    last = target[-1]
    try:
        item = parent[last]
    except (KeyError, IndexError, TypeError):
        return None
    ident = item.get("id") if isinstance(item, dict) else None
    if isinstance(parent, list) and isinstance(last, int):
        parent.pop(last)
    elif isinstance(parent, dict):
        del parent[last]
    else:
        return None
    return target, ident if isinstance(ident, str) else None


def all_problems(
    data: dict[str, Any], err: ValidationError, name: str, locations: Locations
) -> list[Problem]:
    """The validation problems of ``data`` and, when the rest can be checked, its others."""
    problems = validation_problems(err, data, name, locations)
    work = copy.deepcopy(data)
    removed: list[Path_] = []
    ids: set[str] = set()
    current = err
    for _ in range(_ROUNDS):
        paths = {clean_location(tuple(e["loc"]), work)[0] for e in current.errors()}
        # deepest first, so removing one item does not shift another's index
        for path in sorted(paths, key=lambda p: (len(p), p), reverse=True):
            got = _remove(work, path)
            while got is None and len(path) > 2:  # a required field: drop what holds it
                path = path[:-1]
                got = _remove(work, path)
            if got is None:
                return problems
            removed.append(got[0])
            if got[1] is not None:
                ids.add(got[1])
                # a refused id such as 'min-wage' reads as 'min - wage' where it is used
                ids.update(x for x in re.split(r"[^A-Za-z0-9_]", got[1]) if x)
        try:
            document = ScenarioDocument.model_validate(work)
            break
        except ValidationError as again:
            current = again
    else:
        return problems
    more = check_file(document, name, _Shrunk(locations, removed))  # over time if dated
    keep = []
    for p in more:
        original = _original_path(p.path, removed)
        if any(original[: len(r)] == r for r in removed):
            continue
        if any(len(original) < len(r) and r[: len(original)] == original for r in removed):
            continue  # about a section that only lost the removed items
        if ids and any(re.search(rf"'{re.escape(i)}'", p.message) for i in ids):
            continue  # a consequence of the removal: the item declaring it is gone
        keep.append(replace(p, path=original))
    out = problems + keep
    return sorted(out, key=lambda p: (p.line or 0, p.column or 0))


def _original_path(path: Path_, removed: list[Path_]) -> Path_:
    """The path in the original document of a path in the shrunk one.

    Removals are undone last first: a list index at or after a removed item moves up one.
    """
    out = list(path)
    for r in reversed(removed):
        if not r or not isinstance(r[-1], int):
            continue
        n = len(r) - 1
        if len(out) > n and tuple(out[:n]) == r[:-1]:
            idx = out[n]
            if isinstance(idx, int) and idx >= r[-1]:
                out[n] = idx + 1
    return tuple(out)


class _Shrunk(Locations):
    """Positions of the shrunk document, read from the original file's positions."""

    def __init__(self, original: Locations, removed: list[Path_]) -> None:
        super().__init__()
        self.original = original
        self.removed = removed
        self.quoted = original.quoted

    def at(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        return self.original.at(_original_path(path, self.removed), key=key)
