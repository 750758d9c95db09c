"""The expression language of red lines, derived quantities and conflict rules.

:mod:`~detente.scenario.expr.syntax` parses text into a frozen AST (never ``eval``),
:mod:`~detente.scenario.expr.typecheck` checks it against issue domains and
:mod:`~detente.scenario.expr.evaluate` evaluates it over columns of outcomes.
"""

from detente.scenario.expr.syntax import (
    MAX_LENGTH,
    MAX_LITERAL,
    Arith,
    BoolOp,
    Compare,
    Const,
    Expr,
    ExprSyntaxError,
    InList,
    Name,
    Neg,
    Not,
    names,
    parse,
    unparse,
)

__all__ = [
    "MAX_LENGTH",
    "MAX_LITERAL",
    "Arith",
    "BoolOp",
    "Compare",
    "Const",
    "Expr",
    "ExprSyntaxError",
    "InList",
    "Name",
    "Neg",
    "Not",
    "names",
    "parse",
    "unparse",
]
