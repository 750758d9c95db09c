"""Structured, actionable errors for bad scenario files.

Every problem found while loading a scenario becomes a :class:`Problem` that says where
(file, line, column, field path), what was expected, and how to fix it. Loading collects
as many problems as it can and raises one :class:`ScenarioError` carrying all of them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["DetenteError", "LimitError", "Problem", "ScenarioError", "did_you_mean", "format_path"]


def format_path(path: Sequence[str | int]) -> str:
    """Render a field path as ``positions.israel.red_lines[0].rule``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def plural(noun: str) -> str:
    """English plural of a (possibly multi-word) noun: party -> parties, option -> options."""
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def did_you_mean(word: str, choices: Iterable[str], *, what: str = "") -> str | None:
    """A 'did you mean ...?' hint for a misspelled name, or None when nothing is close.

    With no close match, a short pool (up to 12 distinct names) is listed instead.
    """
    pool = list(dict.fromkeys(str(c) for c in choices))
    close = difflib.get_close_matches(str(word), pool, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if pool and len(pool) <= 12:
        label = f"known {plural(what)}" if what else "allowed values"
        return f"{label}: " + ", ".join(f"'{c}'" for c in pool)
    return None


class FieldError(ValueError):
    """A validator's complaint about one field, with what was expected and a hint.

    Raised inside pydantic validators; the loader unpacks ``expected`` and ``hint`` into
    the :class:`Problem` it reports instead of folding them into one sentence.
    """

    def __init__(
        self, message: str, *, expected: str | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.hint = hint


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    message: str
    path: tuple[str | int, ...] = ()
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    expected: str | None = None
    hint: str | None = None

    def location(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def render(self) -> str:
        text = f"{self.location()}: {format_path(self.path)}: {self.message}"
        if self.expected:
            text += f"\n    expected: {self.expected}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": format_path(self.path),
            "message": self.message,
            "expected": self.expected,
            "hint": self.hint,
        }


class DetenteError(Exception):
    """Base class of the errors detente raises on purpose (bad input, refused work)."""


@dataclass
class ScenarioError(DetenteError):
    """A scenario file could not be loaded; ``problems`` lists every problem found."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.render())

    def render(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found"
        return head + ":\n" + "\n".join(p.render() for p in self.problems)

    def __str__(self) -> str:
        return self.render()


class LimitError(DetenteError):
    """Work refused because it would be too large; the message says how big and what to do."""
