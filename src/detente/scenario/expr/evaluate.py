"""Vectorised evaluation of resolved expressions over numpy arrays.

A resolved expression (see :func:`detente.scenario.expr.typecheck.check`) is evaluated once
per AST node, each node an array operation over all rows at once: there is no Python
loop per outcome or per state. Choice issues are option indices, booleans are ``bool``
arrays, integers are ``int64``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import reduce

import numpy as np
import numpy.typing as npt

from detente.scenario.expr.syntax import Arith, Compare, Const, Expr, InList, Name, Neg, Not

__all__ = ["evaluate"]

Array = npt.NDArray[np.generic]
Value = Array | int | bool

_COMPARE = {
    "==": np.equal,
    "!=": np.not_equal,
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
}


def _int(v: Value) -> Value:
    if isinstance(v, np.ndarray) and v.dtype == np.bool_:
        return v.astype(np.int64)
    if isinstance(v, bool):
        return int(v)
    return v


def evaluate(node: Expr, env: Mapping[str, Array]) -> Value:
    """Evaluate a resolved expression with names bound to equally long arrays.

    Returns an array (or a scalar when the expression mentions no name).
    """
    if isinstance(node, Name):
        return env[node.id]
    if isinstance(node, Const):
        assert not isinstance(node.value, str), "evaluate() takes resolved expressions"
        return node.value
    if isinstance(node, Not):
        return np.logical_not(evaluate(node.operand, env))
    if isinstance(node, Neg):
        return np.negative(_int(evaluate(node.operand, env)))
    if isinstance(node, Arith):
        a = _int(evaluate(node.left, env))
        b = _int(evaluate(node.right, env))
        if node.op == "+":
            return np.add(a, b)
        if node.op == "-":
            return np.subtract(a, b)
        return np.multiply(a, b)
    if isinstance(node, Compare):
        a = evaluate(node.left, env)
        b = evaluate(node.right, env)
        return _COMPARE[node.op](a, b)  # type: ignore[no-any-return,unused-ignore]
    if isinstance(node, InList):
        a = evaluate(node.operand, env)
        hits = reduce(np.logical_or, (np.equal(a, evaluate(i, env)) for i in node.items))
        return np.logical_not(hits) if node.negated else hits
    vals = [evaluate(o, env) for o in node.operands]
    if node.op == "and":
        return reduce(np.logical_and, vals)
    if node.op == "or":
        return reduce(np.logical_or, vals)
    if node.op == "implies":
        return np.logical_or(np.logical_not(vals[0]), vals[1])
    return np.equal(vals[0], vals[1])  # iff
