"""Structured, actionable errors for bad scenario files.

Every problem found while loading a scenario becomes a :class:`Problem` that says where
(file, line, column, field path), what was expected, and how to fix it. Loading collects
as many problems as it can and raises one :class:`ScenarioError` carrying all of them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "DetenteError",
    "LimitError",
    "Problem",
    "ScenarioError",
    "close_matches",
    "did_you_mean",
    "format_path",
]


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


def _distance(a: str, b: str, cutoff: float = math.inf) -> float:
    """Edit distance with adjacent transpositions at half cost (optimal string alignment).

    A swapped pair of letters ('fpd' for 'fdp') is the likeliest typo, so it ranks before
    a wrong letter ('spd'); insertions, deletions and substitutions cost 1. Returns
    ``inf`` as soon as the distance must exceed ``cutoff``.
    """
    a, b = a.lower(), b.lower()
    d = [[0.0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = float(i)
    for j in range(len(b) + 1):
        d[0][j] = float(j)
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0.0 if a[i - 1] == b[j - 1] else 1.0
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 0.5)
        # later rows cost at least this row's minimum, or the last one's plus a swap
        if min(min(d[i]), min(d[i - 1]) + 0.5) > cutoff:
            return math.inf
    return d[len(a)][len(b)]


def close_matches(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """Every choice close to ``word``, best first (at most ``limit``); none when none is.

    Close: within an edit distance of a third of the word's length (at least 1), or
    similar by :mod:`difflib`'s ratio (0.75 or more) for longer names.
    """
    import difflib  # only a refusal pays for it

    w = str(word)
    wl = w.lower()
    pool = list(dict.fromkeys(str(c) for c in choices if str(c) != w))
    allowed = max(1.0, len(w) / 3)
    scored = []
    for c in pool:
        cl = c.lower()
        matcher = difflib.SequenceMatcher(None, wl, cl)
        prefix = len(w) >= 3 and cl.startswith(wl)  # 'bool' for 'boolean'
        # cheap bounds first: the distance is at least the length difference, and the
        # quick ratios bound the ratio from above (an error lists every name it knows)
        similar = matcher.real_quick_ratio() > 0.8 and matcher.quick_ratio() > 0.8
        if not (prefix or similar or abs(len(w) - len(c)) <= allowed):
            continue
        dist = _distance(w, c, math.inf if prefix or similar else allowed)
        if dist > allowed and not (prefix or similar):
            continue
        ratio = matcher.ratio()
        if dist <= allowed or ratio > 0.8 or prefix:
            scored.append((min(dist, 0.75) if prefix else dist, -ratio, c))
    return [c for _, _, c in sorted(scored)[:limit]]


def did_you_mean(word: str, choices: Iterable[str], *, what: str = "") -> str | None:
    """A 'did you mean ...?' hint naming every close candidate, best first, or None.

    With no close match, a short pool (up to 12 distinct names) is listed instead.
    """
    pool = list(dict.fromkeys(str(c) for c in choices))
    close = close_matches(str(word), pool)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
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
        """Where the problem is, as ``file:line:column`` (``<input>`` when there is no file)."""
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def render(self) -> str:
        """The problem as text: location, field path and message, then expected and hint."""
        text = f"{self.location()}: {format_path(self.path)}: {self.message}"
        if self.expected:
            text += f"\n    expected: {self.expected}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def to_dict(self) -> dict[str, object]:
        """The problem as a JSON-ready mapping (field path formatted as in :meth:`render`)."""
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
        """Every problem as text, one per entry, under a count of the problems."""
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found"
        return head + ":\n" + "\n".join(p.render() for p in self.problems)

    def __str__(self) -> str:
        return self.render()


class LimitError(DetenteError):
    """Work refused because it would be too large; the message says how big and what to do."""
