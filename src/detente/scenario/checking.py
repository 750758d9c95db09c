"""Shared machinery of the whole-file checks: a problem collector and reference checks.

:class:`Collector` gathers every problem with its position (so one run reports them
all) and what checking computes (resolved expressions, bounds). The checks themselves
live in :mod:`detente.scenario.semantics` (issues, positions, proposals, events) and
:mod:`detente.scenario.conflict.checks` (the conflict section).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from detente.errors import Problem, did_you_mean, plural
from detente.scenario.locations import Locations, Path_

if TYPE_CHECKING:  # the expression language loads when a file has an expression
    from detente.scenario.expr import Expr
    from detente.scenario.expr.typecheck import Type

__all__ = ["Collector", "duplicates", "provenance", "ref"]


class Collector:
    """Every problem found in one document, located, and what checking computed.

    ``name`` is the file name problems are reported against, ``pos`` the document's
    :class:`~detente.scenario.locations.Locations`.
    """

    def __init__(self, name: str, pos: Locations) -> None:
        self.name = name
        self.pos = pos
        self.problems: list[Problem] = []
        # derived quantities already reported as wrong: expressions using them are
        # skipped, so one mistake is not echoed as "unknown name" everywhere
        self.broken: set[str] = set()
        # what checking computes: resolved expressions and bounds, by item
        self.derived: dict[str, Expr] = {}
        self.bounds: dict[str, tuple[int, int] | None] = {}
        self.red_lines: dict[tuple[str, str], Expr] = {}
        self.statements: dict[str, list[Expr | None]] = {}
        self.infeasible: list[Expr | None] = []

    def add(
        self,
        path: Path_,
        message: str,
        *,
        expected: str | None = None,
        hint: str | None = None,
        key: bool = False,
        col_offset: int | None = None,
    ) -> None:
        """Record a problem at ``path`` (its key when ``key``; ``col_offset`` into its value)."""
        line, col = self.pos.at(path, key=key)
        if col_offset is not None and col is not None and path in self.pos.value:
            col = col + col_offset + (1 if path in self.pos.quoted else 0)
        self.problems.append(Problem(message, path, self.name, line, col, expected, hint))

    def expression(
        self, path: Path_, text: str, env: Mapping[str, Type], want: str
    ) -> tuple[Expr, Type] | None:
        """Parse and type-check; report a located problem and return None on failure."""
        from detente.scenario.expr import ExprSyntaxError, names, parse
        from detente.scenario.expr.typecheck import BoolT, ExprTypeError, IntT, check

        try:
            node = parse(text)
            if names(node) & self.broken:
                return None
            resolved, t = check(node, env)
        except (ExprSyntaxError, ExprTypeError) as err:
            caret = f"\n      {text}\n      {' ' * err.col}^"
            self.add(
                path,
                f"in expression: {err.message}{caret}",
                hint=err.hint,
                col_offset=err.col,
            )
            return None
        if want == "bool" and not isinstance(t, BoolT):
            self.add(
                path,
                f"this expression gives {'an integer' if isinstance(t, IntT) else 'an option'}, "
                "not a condition",
                expected='a condition such as "raise >= 3"',
                hint="compare it with something",
            )
            return None
        return resolved, t


_NO_ID = object()


def duplicates(c: Collector, items: Sequence[object], path: Path_, what: str) -> None:
    """Report each item of ``items`` whose id (or party) repeats an earlier one's."""
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        # 'party' only where there is no 'id': a missing attribute of a pydantic model
        # goes through its slow __getattr__ (a quarter of a dated file's duplicate checks)
        got = getattr(item, "id", _NO_ID)
        ident = str(getattr(item, "party", "") if got is _NO_ID else got)
        if ident in seen:
            c.add(
                (*path, i, "id") if got is not _NO_ID else (*path, i),
                f"duplicate {what} id '{ident}' (first defined at {path[-1]}[{seen[ident]}])",
                hint=f"each {what} needs its own id",
            )
        else:
            seen[ident] = i


def ref(
    c: Collector,
    path: Path_,
    ref: str | None,
    known: Iterable[str],
    what: str,
    *,
    key: bool = False,
) -> bool:
    """Whether ``ref`` is None or one of ``known``; else report it, with a did-you-mean hint."""
    if ref is None:
        return True
    pool = list(known)
    if ref in pool:
        return True
    hint = did_you_mean(ref, pool, what=what)
    if not pool:
        hint = f"no {plural(what)} are declared yet; add one (or fix the reference)"
    c.add(path, f"unknown {what} '{ref}'", hint=hint, key=key)
    return False


def provenance(
    c: Collector, path: Path_, basis: str, source: str | None, sources: list[str]
) -> None:
    """Check an item's provenance: a named source must exist; ``reported`` needs one."""
    if source is not None:
        ref(c, (*path, "source"), source, sources, "source")
    elif basis == "reported":
        c.add(
            (*path, "basis"),
            "marked 'reported' but names no source",
            expected="a 'source' id from the sources section",
            hint="add 'source: <id>', or mark it 'basis: assumed'",
        )
