"""Unit tests of the expression language: parser, type checker, evaluator."""

from __future__ import annotations

import numpy as np
import pytest

from detente.scenario.expr import (
    MAX_LITERAL,
    Arith,
    BoolOp,
    Compare,
    Const,
    ExprSyntaxError,
    InList,
    Name,
    Neg,
    Not,
    names,
    parse,
    unparse,
)
from detente.scenario.expr.evaluate import evaluate
from detente.scenario.expr.typecheck import BoolT, ChoiceT, ExprTypeError, IntT, check

ENV = {
    "raise": IntT(0, 10),
    "term": ChoiceT("term", ("one_year", "two_years", "three_years")),
    "remote": BoolT(),
    "big": IntT(0, 10**9),
}


def test_precedence_and_binds_tighter_than_or() -> None:
    node = parse("remote or raise > 1 and raise < 5")
    assert isinstance(node, BoolOp) and node.op == "or"
    assert isinstance(node.operands[1], BoolOp) and node.operands[1].op == "and"


def test_implies_is_right_associative() -> None:
    node = parse("remote implies remote implies remote")
    assert isinstance(node, BoolOp) and node.op == "implies"
    assert isinstance(node.operands[1], BoolOp) and node.operands[1].op == "implies"


def test_product_binds_tighter_than_sum_and_unary_minus() -> None:
    node = parse("1 + 2 * -raise")
    assert node == Arith("+", Const(1, 0), Arith("*", Const(2, 4), Neg(Name("raise", 9), 8), 6), 2)


def test_in_and_not_in() -> None:
    node = parse("term not in ['one_year', 'two_years']")
    assert isinstance(node, InList) and node.negated
    assert [i.value for i in node.items if isinstance(i, Const)] == ["one_year", "two_years"]


def test_names_collects_every_reference() -> None:
    assert names(parse("a + b * c > 3 and not d in [e]")) == {"a", "b", "c", "d", "e"}


def test_unparse_parenthesises_not_inside_comparison() -> None:
    node = Compare("==", Not(Name("remote")), Const(True))
    assert unparse(node) == "((not remote) == true)"
    back = parse(unparse(node))
    assert isinstance(back, Compare) and isinstance(back.left, Not)


@pytest.mark.parametrize(
    ("text", "fragment", "col"),
    [
        ("__import__('os').system('x')", "'__import__' is not allowed", 0),
        ("raise.real > 1", "'.' is not allowed", 5),
        ("lambda: 1", "'lambda' is not allowed", 0),
        ("2**999999999 > 1", "'**' is not allowed", 1),
        ("abs(raise) > 1", "function call 'abs(...)'", 0),
        ("raise[0] > 1", "unexpected '['", 5),
        ("raise > 99999999999999999999999", "integer literal too large", 8),
        ("raise >= ", "ended too early", 9),
        ("raise = 3", "'=' is not allowed", 6),
        ("1 < raise < 3", "chained comparisons", 10),
        ("raise > 1 if remote else 2", "'if' is not allowed", 10),
        ("'unterminated", "unterminated string", 0),
        ("raise // 2 > 1", "'//' is not allowed", 6),
        ("", "empty expression", 0),
        ("raise $ 2", "unexpected character '$'", 6),
    ],
)
def test_syntax_errors_point_at_the_column(text: str, fragment: str, col: int) -> None:
    with pytest.raises(ExprSyntaxError) as info:
        parse(text)
    assert fragment in info.value.message
    assert info.value.col == col


def test_nesting_and_length_limits() -> None:
    with pytest.raises(ExprSyntaxError, match="nested deeper"):
        parse("(" * 100 + "1" + ")" * 100)
    with pytest.raises(ExprSyntaxError, match="longer than"):
        parse("1 + " * 1000 + "1")
    assert parse(str(MAX_LITERAL)) == Const(MAX_LITERAL, 0)


def test_choice_literals_resolve_to_option_indices() -> None:
    resolved, t = check(parse("term >= 'two_years'"), ENV)
    assert t == BoolT()
    assert resolved == Compare(">=", Name("term", 0), Const(1, 8), 5)


@pytest.mark.parametrize(
    ("text", "fragment", "hint"),
    [
        (
            "term == 'two_year'",
            "'two_year' is not an option of issue 'term'",
            "did you mean 'two_years'?",
        ),
        ("rase > 1", "unknown name 'rase'", "did you mean 'raise'?"),
        (
            "raise == 'one_year'",
            "cannot compare an integer in [0, 10] with the text",
            "choice issue",
        ),
        ("term > 1", "cannot compare an option of 'term' with the integer 1", "quoted option ids"),
        ("remote < true", "'<' does not apply to booleans", "use == or !="),
        ("remote + 1 == remote", "cannot compare an integer in [1, 2] with a boolean", None),
        ("raise and remote", "'and' needs booleans", None),
        ("not raise", "'not' needs a boolean", None),
        ("big * big * big > 1", "beyond the limit", "narrow"),
        ("'a' == 'b'", "cannot compare the text 'a' with the text 'b'", "name an issue"),
    ],
)
def test_type_errors(text: str, fragment: str, hint: str | None) -> None:
    with pytest.raises(ExprTypeError) as info:
        check(parse(text), ENV)
    assert fragment in info.value.message
    if hint is not None:
        assert info.value.hint is not None and hint in info.value.hint


def test_interval_bounds_of_integer_expressions() -> None:
    assert check(parse("raise * -raise + 3"), ENV)[1] == IntT(-97, 3)
    assert check(parse("raise - raise"), ENV)[1] == IntT(-10, 10)  # no dependency tracking


def test_evaluate_is_vectorised_over_rows() -> None:
    resolved, _ = check(parse("raise >= 3 and (term == 'three_years' or not remote)"), ENV)
    env = {
        "raise": np.array([2, 3, 5, 7]),
        "term": np.array([2, 0, 2, 1]),
        "remote": np.array([False, False, True, True]),
    }
    assert evaluate(resolved, env).tolist() == [False, True, True, False]  # type: ignore[union-attr]


def test_evaluate_without_names_returns_a_scalar() -> None:
    resolved, _ = check(parse("2 * 3 - 1 == 5 iff true"), ENV)
    assert bool(evaluate(resolved, {})) is True
