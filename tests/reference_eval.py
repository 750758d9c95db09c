"""A pure-Python reference meaning of expressions, one assignment at a time.

The independent oracle for :func:`detente.scenario.expr.evaluate.evaluate`: written from the
grammar's definition with plain Python operators, no numpy. Works on resolved
expressions (choices as option indices) and, given ``option_index``, on unresolved ones
whose quoted options compare by declared order. :func:`free_names` lists the names an
expression reads, so an oracle can evaluate it once per combination of their values.
"""

from __future__ import annotations

from collections.abc import Mapping

from detente.scenario.expr import Arith, BoolOp, Compare, Const, Expr, InList, Name, Neg, Not

Value = int | bool | str


def reference_eval(
    node: Expr, row: Mapping[str, Value], option_index: Mapping[str, int] | None = None
) -> Value:
    """Meaning of ``node`` when the names take the values in ``row``."""

    def ev(node: Expr) -> Value:
        if isinstance(node, Name):
            return row[node.id]
        if isinstance(node, Const):
            return node.value
        if isinstance(node, Not):
            return not ev(node.operand)
        if isinstance(node, Neg):
            return -int(ev(node.operand))
        if isinstance(node, Arith):
            a, b = int(ev(node.left)), int(ev(node.right))
            return a + b if node.op == "+" else a - b if node.op == "-" else a * b
        if isinstance(node, Compare):
            a, b = ev(node.left), ev(node.right)
            if option_index is not None and (isinstance(a, str) or isinstance(b, str)):
                a, b = option_index[str(a)], option_index[str(b)]
            return {
                "==": a == b,
                "!=": a != b,
                "<": a < b,  # type: ignore[operator]
                "<=": a <= b,  # type: ignore[operator]
                ">": a > b,  # type: ignore[operator]
                ">=": a >= b,  # type: ignore[operator]
            }[node.op]
        if isinstance(node, InList):
            a = ev(node.operand)
            return any(a == ev(i) for i in node.items) != node.negated
        assert isinstance(node, BoolOp)
        vals = [bool(ev(o)) for o in node.operands]
        if node.op == "and":
            return all(vals)
        if node.op == "or":
            return any(vals)
        if node.op == "implies":
            return (not vals[0]) or vals[1]
        return vals[0] == vals[1]

    return ev(node)


def free_names(node: Expr) -> frozenset[str]:
    """The names ``node`` reads (its value depends on nothing else)."""
    if isinstance(node, Name):
        return frozenset({node.id})
    if isinstance(node, Const):
        return frozenset()
    if isinstance(node, Not | Neg):
        return free_names(node.operand)
    if isinstance(node, Arith | Compare):
        return free_names(node.left) | free_names(node.right)
    if isinstance(node, InList):
        return free_names(node.operand).union(*(free_names(i) for i in node.items))
    assert isinstance(node, BoolOp)
    return frozenset().union(*(free_names(o) for o in node.operands))
