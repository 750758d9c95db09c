"""Where each key and value of a scenario document is: line and column, by field path.

Filled while a YAML or JSON document is read (:mod:`detente.scenario.loader`) and kept
by the checked scenario, so that any later message (a refused analysis, the web editor)
can point at the line a user wrote. A document built in memory has no lines:
:class:`Unlocated` answers ``(None, None)`` for every path.
"""

from __future__ import annotations

__all__ = ["Locations", "Path_", "Unlocated"]

Path_ = tuple[str | int, ...]


class Locations:
    """Line/column (1-based) of every key and value of a document, by field path."""

    def __init__(self) -> None:
        self.value: dict[Path_, tuple[int, int]] = {}
        self.key: dict[Path_, tuple[int, int]] = {}
        self.quoted: set[Path_] = set()

    def at(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """Position of ``path``, or of its nearest located ancestor (1, 1 at the top)."""
        p = tuple(path)
        while p:
            table = self.key if key and p in self.key else self.value
            if p in table:
                return table[p]
            if p in self.key:
                return self.key[p]
            p = p[:-1]
        return (1, 1)


class Unlocated(Locations):
    """Positions of a document built in memory: there are no lines to point at."""

    def at(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """No position, ``(None, None)``, whatever the path."""
        return (None, None)
