"""Property tests of the expression language against a pure-Python reference.

- unparse/parse round trip on random typed ASTs;
- :func:`evaluate` (vectorised numpy) equals a reference evaluator written directly
  from the grammar's meaning, row by row, on random environments;
- the interval bounds the type checker derives contain every evaluated value.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.scenario.expr import (
    Expr,
    parse,
    unparse,
)
from detente.scenario.expr.evaluate import evaluate
from detente.scenario.expr.typecheck import IntT, check
from reference_eval import reference_eval
from strategies import (
    EXPR_BOOLS,
    EXPR_CHOICES,
    EXPR_ENV,
    EXPR_OPTION_INDEX,
    bool_exprs,
    examples,
    expr_rows,
    int_exprs,
)

Value = int | bool | str


def _strip(node: Expr) -> Expr:
    """The same tree with every column set to 0 (columns depend on spacing)."""
    kw: dict[str, object] = {"col": 0}
    for f in dataclasses.fields(node):
        v = getattr(node, f.name)
        if f.name in ("left", "right", "operand"):
            kw[f.name] = _strip(v)
        elif f.name in ("items", "operands"):
            kw[f.name] = tuple(_strip(x) for x in v)
    return dataclasses.replace(node, **kw)  # type: ignore[type-var]


def _ref(node: Expr, row: dict[str, Value]) -> Value:
    """Reference meaning of an (unresolved) expression for one assignment."""
    return reference_eval(node, row, EXPR_OPTION_INDEX)


def _arrays(rows: list[dict[str, Value]]) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for k in rows[0]:
        col = [r[k] for r in rows]
        if k in EXPR_CHOICES:
            out[k] = np.array([EXPR_CHOICES[k].index(str(v)) for v in col], dtype=np.int64)
        elif k in EXPR_BOOLS:
            out[k] = np.array(col, dtype=np.bool_)
        else:
            out[k] = np.array(col, dtype=np.int64)
    return out


def _vector(value: object, n: int) -> list[object]:
    return np.broadcast_to(np.asarray(value), (n,)).tolist()


@settings(max_examples=examples(300), deadline=None)
@given(st.one_of(bool_exprs(), int_exprs()))
def test_unparse_then_parse_gives_the_same_tree(node: Expr) -> None:
    text = unparse(node)
    assert _strip(parse(text)) == _strip(node)
    assert unparse(parse(text)) == text


@settings(max_examples=examples(300), deadline=None)
@given(bool_exprs(), expr_rows())
def test_evaluate_matches_the_reference_on_conditions(
    node: Expr, rows: list[dict[str, Value]]
) -> None:
    resolved, _ = check(node, EXPR_ENV)
    got = _vector(evaluate(resolved, _arrays(rows)), len(rows))
    assert [bool(g) for g in got] == [bool(_ref(node, r)) for r in rows]


@settings(max_examples=examples(300), deadline=None)
@given(int_exprs(), expr_rows())
def test_evaluate_matches_the_reference_and_stays_in_bounds(
    node: Expr, rows: list[dict[str, Value]]
) -> None:
    resolved, t = check(node, EXPR_ENV)
    assert isinstance(t, IntT)
    got = [int(g) for g in _vector(evaluate(resolved, _arrays(rows)), len(rows))]  # type: ignore[call-overload]
    assert got == [int(_ref(node, r)) for r in rows]
    assert all(t.lo <= g <= t.hi for g in got)


@settings(max_examples=examples(100), deadline=None)
@given(int_exprs(depth=2))
def test_bounds_are_attained_by_some_assignment_of_a_single_name(node: Expr) -> None:
    """Interval bounds are exact for expressions using each name at most once... or wider.

    Brute force over the whole (small) environment: the true min/max lie within the
    derived bounds (soundness), checked exhaustively rather than on sampled rows.
    """
    resolved, t = check(node, EXPR_ENV)
    assert isinstance(t, IntT)
    grids = np.meshgrid(
        np.arange(-3, 6), np.arange(0, 11), [False, True], [False, True], indexing="ij"
    )
    env = {k: g.ravel() for k, g in zip(("x", "y", "b", "c"), grids, strict=True)}
    env["b"] = env["b"].astype(np.bool_)
    env["c"] = env["c"].astype(np.bool_)
    vals = np.broadcast_to(np.asarray(evaluate(resolved, env)), env["x"].shape)
    assert t.lo <= int(vals.min()) and int(vals.max()) <= t.hi
