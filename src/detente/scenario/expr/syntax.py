"""The safe expression language of red lines, derived quantities and conflict rules.

Grammar (lowest precedence first)::

    expr       := iff
    iff        := implies ('iff' implies)*
    implies    := or ['implies' implies]            # right-associative
    or         := and ('or' and)*
    and        := not ('and' not)*
    not        := 'not' not | comparison
    comparison := sum [('==' | '!=' | '<' | '<=' | '>' | '>=') sum]
                | sum ['not'] 'in' '[' expr (',' expr)* ']'
    sum        := product (('+' | '-') product)*
    product    := unary ('*' unary)*
    unary      := '-' unary | atom
    atom       := INTEGER | 'string' | true | false | NAME | '(' expr ')'

A hand-written tokenizer and recursive-descent parser turn text into a small frozen AST;
nothing is ever evaluated with ``eval``. Anything outside the grammar (attribute access,
calls, lambdas, ``**``, subscripts) is a syntax error that points at the offending column.
Type checking against issue domains lives in :mod:`detente.scenario.expr.typecheck`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Union

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

MAX_LITERAL = 10**12  # integer literals beyond this are refused (no overflow tricks)
MAX_LENGTH = 2000  # characters in one expression
MAX_DEPTH = 60  # nesting depth

CompareOp = Literal["==", "!=", "<", "<=", ">", ">="]
BoolOpName = Literal["and", "or", "implies", "iff"]
ArithOp = Literal["+", "-", "*"]


@dataclass(frozen=True)
class Name:
    """A reference to an issue, a derived quantity or a conflict option."""

    id: str
    col: int = 0


@dataclass(frozen=True)
class Const:
    """A literal: integer, boolean, or string (a choice option's id)."""

    value: int | bool | str
    col: int = 0


@dataclass(frozen=True)
class Compare:
    """A comparison ``left op right`` (``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``)."""

    op: CompareOp
    left: Expr
    right: Expr
    col: int = 0


@dataclass(frozen=True)
class InList:
    """Membership ``operand in [items]`` (``not in`` when ``negated``)."""

    operand: Expr
    items: tuple[Expr, ...]
    negated: bool = False
    col: int = 0


@dataclass(frozen=True)
class BoolOp:
    """n-ary ``and``/``or``; binary ``implies``/``iff``."""

    op: BoolOpName
    operands: tuple[Expr, ...]
    col: int = 0


@dataclass(frozen=True)
class Not:
    """Logical negation ``not operand``."""

    operand: Expr
    col: int = 0


@dataclass(frozen=True)
class Arith:
    """Integer arithmetic ``left op right`` (``+``, ``-``, ``*``)."""

    op: ArithOp
    left: Expr
    right: Expr
    col: int = 0


@dataclass(frozen=True)
class Neg:
    """Unary minus ``-operand``."""

    operand: Expr
    col: int = 0


Expr = Union[Name, Const, Compare, InList, BoolOp, Not, Arith, Neg]


class ExprSyntaxError(ValueError):
    """An expression that is not in the grammar; ``col`` is 0-based into the text."""

    def __init__(self, message: str, col: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.col = col
        self.hint = hint


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<int>\d+)
  | (?P<str>'[^'\\]*'|"[^"\\]*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|\*\*|//|[<>+\-*/()\[\],.%=!:;@&|^~{}])
    """,
    re.VERBOSE,
)

_KEYWORDS = {"and", "or", "not", "in", "implies", "iff", "true", "false", "True", "False"}
_FORBIDDEN_WORDS = {
    "lambda": "functions (lambda) are not part of the expression language",
    "import": "imports are not part of the expression language",
    "if": "write 'A implies B' instead of an if-expression",
    "else": "write 'A implies B' instead of an if-expression",
    "is": "use '==' or '!=' instead of 'is'",
    "None": "there is no None; every issue always has a value",
    "for": "comprehensions are not part of the expression language",
    "while": "loops are not part of the expression language",
}
_FORBIDDEN_OPS = {
    "**": "powers are not supported; write the product out or use a derived quantity",
    "/": "division is not supported (integers only); multiply the other side instead",
    "//": "division is not supported (integers only); multiply the other side instead",
    "%": "the remainder operator is not supported",
    ".": "attribute access is not allowed; names are issue, derived or option ids",
    "=": "use '==' to compare",
    "!": "use 'not' for negation",
    "&": "use 'and'",
    "|": "use 'or'",
    "~": "use 'not'",
    "^": "exclusive or is not supported; write '(a or b) and not (a and b)'",
    "@": "'@' is not part of the expression language",
    ":": "':' is not part of the expression language",
    ";": "one expression only; combine rules with 'and'",
    "{": "dictionaries and sets are not part of the expression language",
    "}": "dictionaries and sets are not part of the expression language",
}


@dataclass(frozen=True)
class _Tok:
    kind: str  # int | str | name | kw | op | end
    text: str
    col: int


def _tokenize(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            ch = text[pos]
            if ch in "'\"":
                raise ExprSyntaxError("unterminated string", pos, "close the quote")
            raise ExprSyntaxError(f"unexpected character {ch!r}", pos)
        kind = m.lastgroup or ""
        tok = m.group()
        if kind == "name" and tok in _KEYWORDS:
            kind = "kw"
        if kind == "name" and tok in _FORBIDDEN_WORDS:
            raise ExprSyntaxError(f"'{tok}' is not allowed", pos, _FORBIDDEN_WORDS[tok])
        if kind == "op" and tok in _FORBIDDEN_OPS:
            raise ExprSyntaxError(f"operator '{tok}' is not allowed", pos, _FORBIDDEN_OPS[tok])
        if kind == "name" and tok.startswith("__"):
            raise ExprSyntaxError(
                f"name '{tok}' is not allowed", pos, "names may not start with '__'"
            )
        if kind != "ws":
            out.append(_Tok(kind, tok, pos))
        pos = m.end()
    out.append(_Tok("end", "", len(text)))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def at(self, *texts: str) -> bool:
        tok = self.peek()
        return tok.kind in ("kw", "op") and tok.text in texts

    def expect(self, text: str) -> _Tok:
        tok = self.peek()
        if not self.at(text):
            found = f"'{tok.text}'" if tok.kind != "end" else "end of expression"
            raise ExprSyntaxError(f"expected '{text}' but found {found}", tok.col)
        return self.take()

    def enter(self, col: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprSyntaxError(f"expression nested deeper than {MAX_DEPTH} levels", col)

    def parse(self) -> Expr:
        node = self.iff()
        tok = self.peek()
        if tok.kind != "end":
            hint = None
            if tok.text == "(":
                hint = "function calls are not part of the expression language"
            elif tok.text == "[":
                hint = "indexing is not allowed; use 'x in [a, b]' for membership"
            elif tok.kind == "name" or tok.kind in ("int", "str"):
                hint = "join conditions with 'and', 'or' or 'implies'"
            raise ExprSyntaxError(f"unexpected '{tok.text}'", tok.col, hint)
        return node

    def iff(self) -> Expr:
        node = self.implies()
        while self.at("iff"):
            col = self.take().col
            node = BoolOp("iff", (node, self.implies()), col)
        return node

    def implies(self) -> Expr:
        node = self.or_()
        if self.at("implies"):
            col = self.take().col
            self.enter(col)
            right = self.implies()
            self.depth -= 1
            node = BoolOp("implies", (node, right), col)
        return node

    def or_(self) -> Expr:
        items = [self.and_()]
        col = self.peek().col
        while self.at("or"):
            self.take()
            items.append(self.and_())
        return items[0] if len(items) == 1 else BoolOp("or", tuple(items), col)

    def and_(self) -> Expr:
        items = [self.not_()]
        col = self.peek().col
        while self.at("and"):
            self.take()
            items.append(self.not_())
        return items[0] if len(items) == 1 else BoolOp("and", tuple(items), col)

    def not_(self) -> Expr:
        if self.at("not"):
            col = self.take().col
            self.enter(col)
            node: Expr = Not(self.not_(), col)
            self.depth -= 1
            return node
        return self.comparison()

    def comparison(self) -> Expr:
        left = self.sum_()
        tok = self.peek()
        if self.at("==", "!=", "<", "<=", ">", ">="):
            self.take()
            right = self.sum_()
            if self.at("==", "!=", "<", "<=", ">", ">="):
                raise ExprSyntaxError(
                    "chained comparisons are not supported",
                    self.peek().col,
                    "write 'lo <= x and x <= hi'",
                )
            return Compare(tok.text, left, right, tok.col)  # type: ignore[arg-type]
        negated = False
        if self.at("not") and self.toks[self.i + 1].text == "in":
            self.take()
            negated = True
            tok = self.peek()
        if self.at("in"):
            self.take()
            self.expect("[")
            items = [self.iff()]
            while self.at(","):
                self.take()
                if self.at("]"):
                    break
                items.append(self.iff())
            self.expect("]")
            return InList(left, tuple(items), negated, tok.col)
        return left

    def sum_(self) -> Expr:
        node = self.product()
        while self.at("+", "-"):
            tok = self.take()
            node = Arith(tok.text, node, self.product(), tok.col)  # type: ignore[arg-type]
        return node

    def product(self) -> Expr:
        node = self.unary()
        while self.at("*"):
            tok = self.take()
            node = Arith("*", node, self.unary(), tok.col)
        return node

    def unary(self) -> Expr:
        if self.at("-"):
            col = self.take().col
            self.enter(col)
            node: Expr = Neg(self.unary(), col)
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> Expr:
        tok = self.take()
        if tok.kind == "int":
            value = int(tok.text) if len(tok.text) <= 16 else MAX_LITERAL + 1
            if value > MAX_LITERAL:
                raise ExprSyntaxError(f"integer literal too large (limit {MAX_LITERAL:,})", tok.col)
            return Const(value, tok.col)
        if tok.kind == "str":
            return Const(tok.text[1:-1], tok.col)
        if tok.kind == "kw" and tok.text in ("true", "True"):
            return Const(True, tok.col)
        if tok.kind == "kw" and tok.text in ("false", "False"):
            return Const(False, tok.col)
        if tok.kind == "name":
            nxt = self.peek()
            if nxt.text == "(":
                raise ExprSyntaxError(
                    f"function call '{tok.text}(...)' is not allowed",
                    tok.col,
                    "function calls are not part of the expression language",
                )
            if nxt.text == ".":
                raise ExprSyntaxError(
                    "attribute access is not allowed", nxt.col, _FORBIDDEN_OPS["."]
                )
            return Name(tok.text, tok.col)
        if tok.text == "(":
            self.enter(tok.col)
            node = self.iff()
            self.depth -= 1
            self.expect(")")
            return node
        if tok.kind == "end":
            raise ExprSyntaxError("expression ended too early", tok.col, "an operand is missing")
        raise ExprSyntaxError(f"unexpected '{tok.text}'", tok.col)


def parse(text: str) -> Expr:
    """Parse an expression into its AST; raise :class:`ExprSyntaxError` if it is not valid."""
    if not isinstance(text, str):
        raise ExprSyntaxError("an expression must be a string", 0)
    if len(text) > MAX_LENGTH:
        raise ExprSyntaxError(f"expression longer than {MAX_LENGTH} characters", MAX_LENGTH)
    if not text.strip():
        raise ExprSyntaxError("empty expression", 0)
    return _parsed(text)


@lru_cache(maxsize=4096)
def _parsed(text: str) -> Expr:
    # ASTs are frozen, so one text's tree is shared: a dated file is checked once per
    # change day, and every analysis loads its scenario again (errors are not kept)
    return _Parser(text).parse()


def names(node: Expr) -> set[str]:
    """Every name referenced in ``node``."""
    if isinstance(node, Name):
        return {node.id}
    if isinstance(node, Const):
        return set()
    if isinstance(node, (Not, Neg)):
        return names(node.operand)
    if isinstance(node, (Compare, Arith)):
        return names(node.left) | names(node.right)
    if isinstance(node, InList):
        out = names(node.operand)
        for item in node.items:
            out |= names(item)
        return out
    out = set()
    for op in node.operands:
        out |= names(op)
    return out


def unparse(node: Expr) -> str:
    """Render ``node`` back to fully parenthesised source text."""
    if isinstance(node, Name):
        return node.id
    if isinstance(node, Const):
        if isinstance(node.value, bool):
            return "true" if node.value else "false"
        return repr(node.value) if isinstance(node.value, str) else str(node.value)
    if isinstance(node, Not):
        # parenthesised: "not a == b" would parse back as not (a == b)
        return f"(not {unparse(node.operand)})"
    if isinstance(node, Neg):
        return f"-{unparse(node.operand)}"
    if isinstance(node, (Compare, Arith)):
        return f"({unparse(node.left)} {node.op} {unparse(node.right)})"
    if isinstance(node, InList):
        items = ", ".join(unparse(i) for i in node.items)
        return f"({unparse(node.operand)} {'not in' if node.negated else 'in'} [{items}])"
    return "(" + f" {node.op} ".join(unparse(o) for o in node.operands) + ")"
