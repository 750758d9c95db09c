"""Type checking of expressions against issue domains, and resolution of option names.

:func:`check` walks a parsed expression with the types of the names it may use and
returns an equivalent *resolved* expression in which every string literal compared to a
choice issue is replaced by that option's integer index. Resolved expressions only hold
names, integers and booleans, so they compile directly to numpy arrays (choice issues as
option indices) and to CP-SAT integer variables.

Integer expressions carry interval bounds (interval arithmetic), used for derived
quantities' domains and to refuse values that could overflow 64-bit arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Union

from detente.errors import did_you_mean
from detente.scenario.expr.syntax import (
    Arith,
    BoolOp,
    Compare,
    Const,
    Expr,
    InList,
    Name,
    Neg,
    Not,
)

__all__ = [
    "MAX_MAGNITUDE",
    "BoolT",
    "ChoiceT",
    "ExprTypeError",
    "IntT",
    "Type",
    "check",
    "describe",
]

MAX_MAGNITUDE = 10**15  # bound on any intermediate integer value


@dataclass(frozen=True)
class IntT:
    """The integer type, with interval bounds ``[lo, hi]`` of the values it may take."""

    lo: int
    hi: int


@dataclass(frozen=True)
class BoolT:
    """The boolean type: boolean issues, conflict options and conditions."""


@dataclass(frozen=True)
class ChoiceT:
    """The type of a choice issue: one of its ``options`` (ids, in declared order)."""

    issue: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class _StrT:
    value: str


Type = Union[IntT, BoolT, ChoiceT]
_AnyT = Union[IntT, BoolT, ChoiceT, _StrT]


class ExprTypeError(ValueError):
    """A well-formed expression that does not type-check; ``col`` is 0-based."""

    def __init__(self, message: str, col: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.col = col
        self.hint = hint


def describe(t: _AnyT) -> str:
    """A type in words, for messages (e.g. "an integer in [0, 10]", "an option of 'x'")."""
    if isinstance(t, IntT):
        return f"an integer in [{t.lo}, {t.hi}]" if t.lo != t.hi else f"the integer {t.lo}"
    if isinstance(t, BoolT):
        return "a boolean"
    if isinstance(t, ChoiceT):
        return f"an option of '{t.issue}'"
    return f"the text '{t.value}'"


def _as_int(t: _AnyT, col: int, what: str) -> IntT:
    if isinstance(t, IntT):
        return t
    if isinstance(t, BoolT):
        return IntT(0, 1)  # booleans count as 0/1 ("a + b + c >= 1")
    raise ExprTypeError(f"{what} needs integers, got {describe(t)}", col)


def _check_bounds(t: IntT, col: int) -> IntT:
    if max(abs(t.lo), abs(t.hi)) > MAX_MAGNITUDE:
        raise ExprTypeError(
            f"values of this expression can reach {max(abs(t.lo), abs(t.hi)):,}, "
            f"beyond the limit of {MAX_MAGNITUDE:,}",
            col,
            "narrow the integer ranges involved",
        )
    return t


def _option_index(choice: ChoiceT, value: str, col: int) -> int:
    if value in choice.options:
        return choice.options.index(value)
    raise ExprTypeError(
        f"'{value}' is not an option of issue '{choice.issue}'",
        col,
        did_you_mean(value, choice.options, what="option"),
    )


def _compare_pair(
    op: str, lt: _AnyT, left: Expr, rt: _AnyT, right: Expr, col: int
) -> tuple[Expr, Expr]:
    """Check that ``left op right`` is meaningful; return resolved operands."""
    if isinstance(lt, _StrT) and isinstance(rt, ChoiceT):
        return Const(_option_index(rt, lt.value, left.col), left.col), right
    if isinstance(rt, _StrT) and isinstance(lt, ChoiceT):
        return left, Const(_option_index(lt, rt.value, right.col), right.col)
    if isinstance(lt, ChoiceT) and isinstance(rt, ChoiceT):
        if lt.issue != rt.issue:
            raise ExprTypeError(
                f"cannot compare options of '{lt.issue}' with options of '{rt.issue}'", col
            )
        return left, right
    if isinstance(lt, (IntT, BoolT)) and isinstance(rt, (IntT, BoolT)):
        if isinstance(lt, BoolT) and isinstance(rt, BoolT):
            if op not in ("==", "!="):
                raise ExprTypeError(f"'{op}' does not apply to booleans", col, "use == or !=")
            return left, right
        if isinstance(lt, BoolT) != isinstance(rt, BoolT):
            raise ExprTypeError(
                f"cannot compare {describe(lt)} with {describe(rt)}",
                col,
                "booleans compare with true/false",
            )
        return left, right
    hint = None
    for t, other in ((lt, rt), (rt, lt)):
        if isinstance(t, _StrT) and isinstance(other, (IntT, BoolT)):
            hint = "quoted text only compares with a choice issue"
    if isinstance(lt, _StrT) and isinstance(rt, _StrT):
        hint = "at least one side must name an issue"
    for t in (lt, rt):
        if isinstance(t, ChoiceT):
            # options are ordered as declared, so <, >= etc. work on quoted option ids
            hint = f"compare options with quoted option ids, e.g. {t.issue} == '{t.options[-1]}'"
    raise ExprTypeError(f"cannot compare {describe(lt)} with {describe(rt)}", col, hint)


def _walk(node: Expr, env: Mapping[str, Type]) -> tuple[Expr, _AnyT]:
    if isinstance(node, Const):
        if isinstance(node.value, bool):
            return node, BoolT()
        if isinstance(node.value, int):
            return node, IntT(node.value, node.value)
        return node, _StrT(node.value)
    if isinstance(node, Name):
        if node.id not in env:
            raise ExprTypeError(
                f"unknown name '{node.id}'",
                node.col,
                did_you_mean(node.id, env.keys(), what="name")
                or "names are issue ids, derived quantity ids or option ids; quote option values",
            )
        return node, env[node.id]
    if isinstance(node, Neg):
        inner, t = _walk(node.operand, env)
        it = _as_int(t, node.col, "'-'")
        return Neg(inner, node.col), IntT(-it.hi, -it.lo)
    if isinstance(node, Arith):
        left, lt = _walk(node.left, env)
        right, rt = _walk(node.right, env)
        a = _as_int(lt, node.col, f"'{node.op}'")
        b = _as_int(rt, node.col, f"'{node.op}'")
        if node.op == "+":
            res = IntT(a.lo + b.lo, a.hi + b.hi)
        elif node.op == "-":
            res = IntT(a.lo - b.hi, a.hi - b.lo)
        else:
            corners = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
            res = IntT(min(corners), max(corners))
        return Arith(node.op, left, right, node.col), _check_bounds(res, node.col)
    if isinstance(node, Not):
        inner, t = _walk(node.operand, env)
        if not isinstance(t, BoolT):
            raise ExprTypeError(f"'not' needs a boolean, got {describe(t)}", node.col)
        return Not(inner, node.col), BoolT()
    if isinstance(node, BoolOp):
        ops = []
        for operand in node.operands:
            resolved, t = _walk(operand, env)
            if not isinstance(t, BoolT):
                hint = None
                if isinstance(t, ChoiceT):
                    hint = f"compare it: {t.issue} == '{t.options[0]}'"
                raise ExprTypeError(
                    f"'{node.op}' needs booleans, got {describe(t)}", operand.col, hint
                )
            ops.append(resolved)
        return BoolOp(node.op, tuple(ops), node.col), BoolT()
    if isinstance(node, Compare):
        left, lt = _walk(node.left, env)
        right, rt = _walk(node.right, env)
        left, right = _compare_pair(node.op, lt, left, rt, right, node.col)
        return Compare(node.op, left, right, node.col), BoolT()
    if isinstance(node, InList):
        operand, ot = _walk(node.operand, env)
        items: list[Expr] = []
        for item in node.items:
            item_resolved, item_t = _walk(item, env)
            _, item_resolved = _compare_pair("==", ot, operand, item_t, item_resolved, item.col)
            items.append(item_resolved)
        if isinstance(ot, _StrT):
            raise ExprTypeError("the left side of 'in' must name an issue", node.operand.col)
        return InList(operand, tuple(items), node.negated, node.col), BoolT()
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover


def check(node: Expr, env: Mapping[str, Type]) -> tuple[Expr, Type]:
    """Type-check ``node`` against ``env`` and return (resolved expression, its type).

    Raises :class:`ExprTypeError` with the column of the offending part.
    """
    resolved, t = _walk(node, env)
    if isinstance(t, _StrT):
        raise ExprTypeError(
            "a bare text value is not a condition", node.col, "compare it with an issue"
        )
    return resolved, t
