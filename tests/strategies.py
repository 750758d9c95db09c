"""Shared hypothesis generators for detente tests (add yours; do not rewrite others')."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from detente.scenario import expr as _ex
from detente.scenario.expr.typecheck import BoolT, ChoiceT, IntT

# --- strategies built once -------------------------------------------------------------
# a strategy made inside a composite is built and validated again on every draw


@cache
def integers(lo: int, hi: int) -> st.SearchStrategy[int]:
    """``st.integers(lo, hi)``, built once."""
    return st.integers(lo, hi)


@cache
def sampled(*items: Any) -> st.SearchStrategy[Any]:
    """``st.sampled_from(items)``, built once (items hashable)."""
    return st.sampled_from(items)


def sampled_list(items: Sequence[Any]) -> st.SearchStrategy[Any]:
    """``st.sampled_from(items)`` of a list, built once per distinct content."""
    return sampled(*items)


# --- example counts (added by the test-suite helper) ------------------------------------


def examples(n: int) -> int:
    """``n`` examples, scaled by the loaded hypothesis profile (tests/conftest.py).

    Write per-test counts as ``settings(max_examples=examples(n))``: the default and
    ``ci`` profiles run ``n``, the ``fuzz`` profile (``make fuzz``) ten times as many.
    """
    return max(1, n * settings.default.max_examples // 100)


# --- GMCR conflicts (added by the conflict helper) ------------------------------------


@cache
def _patterns(n: int) -> st.SearchStrategy[list[str]]:
    return st.lists(st.text(st.sampled_from("YN-"), min_size=n, max_size=n), max_size=3)


def _literal(o: str, neg: bool) -> str:
    return f"not {o}" if neg else o


def _joined(a: str, b: str, op: str) -> str:
    return f"{a} {op} {b}"


@cache
def _statements(options: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    literal = st.builds(_literal, st.sampled_from(options), st.booleans())
    statement = st.one_of(
        literal,
        st.builds(_joined, literal, literal, st.sampled_from(["and", "or", "implies", "iff"])),
    )
    return st.lists(statement, min_size=1, max_size=4)


@lru_cache(maxsize=1024)
def _permutations(values: tuple[int, ...]) -> st.SearchStrategy[list[int]]:
    return st.permutations(values)


@cache
def _cuts(n: int) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(1, max(1, n - 1)), max_size=n)


@st.composite
def conflict_documents(
    draw: st.DrawFn, *, min_dms: int = 2, max_dms: int = 4, max_options: int = 6
) -> dict[str, object]:
    """A random, valid scenario document with a ``conflict`` section and no issues.

    2-4 decision makers with 1-2 options each (at most ``max_options`` in all), random
    infeasibility patterns, random irreversible options, and per decision maker either
    random option-prioritization statements or a random ranking of the feasible states
    with ties.
    """
    n_dms = draw(integers(min_dms, max_dms))
    sizes = [draw(integers(1, 2)) for _ in range(n_dms)]
    while sum(sizes) > max_options:
        sizes[sizes.index(max(sizes))] -= 1
    options = [f"o{d}_{k}" for d, size in enumerate(sizes) for k in range(size)]
    n = len(options)
    patterns = draw(_patterns(n))

    def infeasible(code: int) -> bool:
        return any(
            all(ch == "-" or (ch == "Y") == bool(code >> j & 1) for j, ch in enumerate(p))
            for p in patterns
        )

    feasible = [c for c in range(1 << n) if not infeasible(c)]
    if not feasible:
        patterns = []
        feasible = list(range(1 << n))
    irreversible = {
        o: draw(sampled("forward", "backward")) for o in options if draw(integers(0, 3)) == 0
    }
    preferences: dict[str, object] = {}
    for d in range(n_dms):
        if draw(_BOOLS):
            preferences[f"dm{d}"] = {"statements": draw(_statements(tuple(options)))}
        else:
            order = draw(_permutations(tuple(feasible)))
            cuts = sorted(set(draw(_cuts(len(order)))))
            groups, prev = [], 0
            for cut in [*cuts, len(order)]:
                if cut > prev:
                    groups.append(
                        [
                            "".join("Y" if c >> j & 1 else "N" for j in range(n))
                            for c in order[prev:cut]
                        ]
                    )
                    prev = cut
            preferences[f"dm{d}"] = {"ranking": groups}
    pos = 0
    dms = []
    for d, size in enumerate(sizes):
        dms.append({"party": f"dm{d}", "options": options[pos : pos + size]})
        pos += size
    return {
        "id": "random-conflict",
        "title": "Random conflict",
        "parties": [{"id": f"dm{d}", "name": f"DM {d}"} for d in range(n_dms)],
        "conflict": {
            "decision_makers": dms,
            "infeasible": [{"pattern": p} for p in patterns],
            "irreversible": irreversible,
            "preferences": preferences,
        },
    }


# --- expression language (added by the scenario/CLI helper) ---------------------------
#
# Random *typed* ASTs over a fixed environment, so every drawn expression type-checks.
# Choice options have distinct ids across issues, so a reference evaluator can order
# them with one table (EXPR_OPTION_INDEX).

EXPR_INTS = {"x": (-3, 5), "y": (0, 10)}
EXPR_BOOLS = ("b", "c")
EXPR_CHOICES = {"t": ("t_a", "t_b", "t_c"), "u": ("u_x", "u_y")}
EXPR_ENV = {
    **{k: IntT(*v) for k, v in EXPR_INTS.items()},
    **{k: BoolT() for k in EXPR_BOOLS},
    **{k: ChoiceT(k, v) for k, v in EXPR_CHOICES.items()},
}
EXPR_OPTION_INDEX = {o: i for opts in EXPR_CHOICES.values() for i, o in enumerate(opts)}


# Built once: a strategy made inside a composite is re-validated on every draw, which
# made drawing a random scenario cost ~13 ms (most of the contract test's generation).
_I02, _I03, _I04, _I05, _I23 = (
    st.integers(a, b) for a, b in ((0, 2), (0, 3), (0, 4), (0, 5), (2, 3))
)
_BOOLS = st.booleans()
_BOOL_NAMES = st.sampled_from(EXPR_BOOLS)
_CHOICE_ISSUES = st.sampled_from(sorted(EXPR_CHOICES))
_ARITH = st.sampled_from(["+", "-", "*", "neg"])
_COMPARE = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
_EQ = st.sampled_from(["==", "!="])
_BOOL_KINDS = st.sampled_from(["and", "or", "implies", "iff", "not", "eqbool"])
_INT_ITEMS = st.lists(st.integers(0, 6).map(_ex.Const), min_size=1, max_size=3)
_OPTION = {k: st.sampled_from(v) for k, v in EXPR_CHOICES.items()}
_OPTIONS = {k: st.lists(o, min_size=1, max_size=3) for k, o in _OPTION.items()}


@cache
def _int_leaf() -> st.SearchStrategy[_ex.Expr]:
    return st.one_of(
        st.sampled_from(sorted(EXPR_INTS)).map(_ex.Name),
        st.integers(0, 12).map(_ex.Const),
    )


@cache
@st.composite
def _operand(draw: st.DrawFn, depth: int) -> _ex.Expr:
    if draw(_I05) == 0:  # booleans count as 0/1 in arithmetic
        return _ex.Name(draw(_BOOL_NAMES))
    return draw(int_exprs(depth))


@cache
@st.composite
def int_exprs(draw: st.DrawFn, depth: int = 3) -> _ex.Expr:
    """A random integer-valued expression (names, literals, + - *, unary minus)."""
    if depth <= 0 or draw(_I02) == 0:
        return draw(_int_leaf())
    kind = draw(_ARITH)
    if kind == "neg":
        return _ex.Neg(draw(_operand(depth - 1)))
    return _ex.Arith(kind, draw(_operand(depth - 1)), draw(_operand(depth - 1)))


@cache
@st.composite
def _choice_test(draw: st.DrawFn) -> _ex.Expr:
    issue = draw(_CHOICE_ISSUES)
    if draw(_BOOLS):
        op = draw(_COMPARE)
        left, right = _ex.Name(issue), _ex.Const(draw(_OPTION[issue]))
        if draw(_BOOLS):
            left, right = right, left
        return _ex.Compare(op, left, right)
    items = draw(_OPTIONS[issue])
    return _ex.InList(_ex.Name(issue), tuple(_ex.Const(o) for o in items), draw(_BOOLS))


@cache
@st.composite
def bool_exprs(draw: st.DrawFn, depth: int = 3) -> _ex.Expr:
    """A random condition: comparisons, membership, and/or/not/implies/iff."""
    if depth <= 0 or draw(_I03) == 0:
        leaf = draw(_I04)
        if leaf == 0:
            return _ex.Name(draw(_BOOL_NAMES))
        if leaf == 1:
            return _ex.Const(draw(_BOOLS))
        if leaf == 2:
            return draw(_choice_test())
        if leaf == 3:
            items = draw(_INT_ITEMS)
            return _ex.InList(draw(int_exprs(1)), tuple(items), draw(_BOOLS))
        op = draw(_COMPARE)
        return _ex.Compare(op, draw(int_exprs(2)), draw(int_exprs(2)))
    kind = draw(_BOOL_KINDS)
    if kind == "not":
        return _ex.Not(draw(bool_exprs(depth - 1)))
    if kind == "eqbool":
        op = draw(_EQ)
        return _ex.Compare(op, draw(bool_exprs(depth - 1)), draw(bool_exprs(depth - 1)))
    n = draw(_I23) if kind in ("and", "or") else 2
    return _ex.BoolOp(kind, tuple(draw(bool_exprs(depth - 1)) for _ in range(n)))


_EXPR_ROW = st.fixed_dictionaries(
    {
        **{k: st.integers(lo, hi) for k, (lo, hi) in EXPR_INTS.items()},
        **{k: st.booleans() for k in EXPR_BOOLS},
        **{k: st.sampled_from(v) for k, v in EXPR_CHOICES.items()},
    }
)


@cache
def _expr_row_lists(min_size: int, max_size: int) -> st.SearchStrategy[list[dict[str, object]]]:
    return st.lists(_EXPR_ROW, min_size=min_size, max_size=max_size)


@st.composite
def expr_rows(draw: st.DrawFn, min_size: int = 1, max_size: int = 12) -> list[dict[str, object]]:
    """Random assignments of the expression environment (choices as option ids)."""
    return draw(_expr_row_lists(min_size, max_size))


# --- deal scenarios for gaps and bridges (added by the gaps helper) --------------------
#
# Small scenarios over the expression environment above (2,376 outcomes), with random
# red lines (typed ASTs rendered back to text), firmness (sometimes absolute),
# priorities and reservations: small enough for brute force over every subset of
# demands, varied enough to produce several gaps and bridges.

_GAP_VALUES = [0.0, 0.25, 0.5, 0.75, 1.0]
_GAP_VALUE = st.sampled_from(_GAP_VALUES)
_FIRMNESS = st.one_of(st.integers(1, 10), st.just("absolute"))
_VALUED_ISSUES = st.lists(
    st.sampled_from(["x", "y", "b", "t", "u"]), min_size=1, max_size=4, unique=True
)
_WEIGHTS = st.sampled_from([0.5, 1.0, 2.0, 3.0])
_MONOTONE = st.sampled_from(["increasing", "decreasing"])
_RESERVATIONS = st.sampled_from([0.0, 0.3, 0.5, 0.6, 0.8])


_CURVE_XS = {
    k: st.sets(st.integers(lo, hi), min_size=1, max_size=3) for k, (lo, hi) in EXPR_INTS.items()
}


@cache
@st.composite
def _curve_points(draw: st.DrawFn, issue: str) -> list[list[object]]:
    """1-3 points [x, value] of a piecewise-linear curve over an integer issue's range."""
    xs = sorted(draw(_CURVE_XS[issue]))
    return [[x, draw(_GAP_VALUE)] for x in xs]


@cache
def _integers(lo: int, hi: int) -> st.SearchStrategy[int]:
    return st.integers(lo, hi)


@st.composite
def gap_scenario_documents(
    draw: st.DrawFn, max_parties: int = 3, max_red_lines: int = 3, curves: bool = False
) -> dict[str, object]:
    """A valid scenario document for gap analysis (see the comment above).

    With ``curves``, integer issues are sometimes valued by points (a piecewise-linear
    curve) instead of ``increasing`` / ``decreasing``.
    """
    n_parties = draw(_integers(2, max_parties))
    parties = [f"p{i}" for i in range(n_parties)]
    issues: list[dict[str, object]] = [
        {"id": k, "kind": "integer", "range": list(v)} for k, v in EXPR_INTS.items()
    ]
    issues += [{"id": k, "kind": "boolean"} for k in EXPR_BOOLS]
    issues += [{"id": k, "kind": "choice", "options": list(v)} for k, v in EXPR_CHOICES.items()]
    positions: dict[str, object] = {}
    for p in parties:
        red_lines = []
        for j in range(draw(_integers(0, max_red_lines))):
            firm = draw(_FIRMNESS)
            rule = _ex.unparse(draw(bool_exprs(2)))
            red_lines.append({"id": f"r{j}", "rule": rule, "firmness": firm})
        priorities: dict[str, object] = {}
        for k in draw(_VALUED_ISSUES):
            w = draw(_WEIGHTS)
            if k in EXPR_INTS:
                values: object = draw(_MONOTONE)
                if curves and draw(_BOOLS):
                    values = draw(_curve_points(k))
            elif k in EXPR_CHOICES:
                values = {o: draw(_GAP_VALUE) for o in EXPR_CHOICES[k]}
            else:
                values = {
                    "true": draw(_GAP_VALUE),
                    "false": draw(_GAP_VALUE),
                }
            priorities[k] = {"weight": w, "values": values}
        reservation = {
            "value": draw(_RESERVATIONS),
            "firmness": draw(_FIRMNESS),
        }
        positions[p] = {
            "red_lines": red_lines,
            "priorities": priorities,
            "reservation": reservation,
        }
    return {
        "id": "random-gaps",
        "title": "random gap scenario",
        "parties": [{"id": p, "name": p.upper(), "role": "party"} for p in parties],
        "issues": issues,
        "positions": positions,
    }


def _round3(v: float) -> float:
    return round(v, 3)


_UNIT = st.floats(0, 1, allow_nan=False).map(_round3)
_RULES = st.lists(bool_exprs(depth=2), max_size=2)
_ISSUE_KEYS = st.lists(
    st.sampled_from([*EXPR_INTS, *EXPR_BOOLS, *EXPR_CHOICES]), min_size=1, unique=True
)
_I13, _I15 = st.integers(1, 3), st.integers(1, 5)
_ROW_KEYS = tuple(sorted([*EXPR_INTS, *EXPR_BOOLS, *EXPR_CHOICES]))
_FIXED = {_ROW_KEYS: st.lists(st.sampled_from(list(_ROW_KEYS)), unique=True)}


@st.composite
def expr_scenario_documents(draw: st.DrawFn) -> dict[str, object]:
    """A valid scenario whose issues are the expression environment above.

    Issues x, y (integers), b, c (booleans), t, u (choices); 2-3 parties with 0-2 random
    red lines each (drawn with :func:`bool_exprs`), random priorities and reservations,
    and 1-3 proposals fixing a random subset of the issues (the rest left open).
    """
    issues: list[dict[str, object]] = [
        *({"id": k, "kind": "integer", "range": list(v)} for k, v in EXPR_INTS.items()),
        *({"id": k, "kind": "boolean"} for k in EXPR_BOOLS),
        *({"id": k, "kind": "choice", "options": list(v)} for k, v in EXPR_CHOICES.items()),
    ]
    n_parties = draw(_I23)
    parties = [{"id": f"p{i}", "name": f"P{i}", "role": "party"} for i in range(n_parties)]
    unit = _UNIT
    positions: dict[str, object] = {}
    for p in parties:
        rules = draw(_RULES)
        priorities: dict[str, object] = {}
        for k in draw(_ISSUE_KEYS):
            weight = draw(_I15)
            if k in EXPR_INTS:
                values: object = draw(_MONOTONE)
            elif k in EXPR_BOOLS:
                values = {"true": draw(unit), "false": draw(unit)}
            else:
                values = {o: draw(unit) for o in EXPR_CHOICES[k]}
            priorities[k] = {"weight": weight, "values": values}
        positions[str(p["id"])] = {
            "red_lines": [{"id": f"r{j}", "rule": _ex.unparse(r)} for j, r in enumerate(rules)],
            "priorities": priorities,
            "reservation": draw(unit),
        }
    row = draw(expr_rows(min_size=1, max_size=1))[0]
    proposals = []
    for j in range(draw(_I13)):
        fixed = draw(_FIXED[tuple(sorted(row))])
        proposals.append({"id": f"prop{j}", "by": ["p0"], "terms": {k: row[k] for k in fixed}})
    return {
        "id": "generated",
        "title": "Generated",
        "parties": parties,
        "issues": issues,
        "positions": positions,
        "proposals": proposals,
    }


# --- tiny deal scenarios with a pure-Python meaning (added by the deal-analysis helper) --
#
# Every red line is drawn as a small structured condition (kept in the document under
# the test-only key ``_oracle`` of the returned pair) and rendered to rule text, so the
# brute-force oracle in tests/deal/deal_oracle.py can evaluate it without detente's
# expression code. Weights and values lie on coarse grids so that ties are common.

_DEAL_VALUES = [0.0, 0.25, 0.5, 0.75, 1.0]
_DEAL_VALUE = st.sampled_from(_DEAL_VALUES)


@st.composite
def _deal_atom(draw: st.DrawFn, pick: st.SearchStrategy[dict[str, object]]) -> tuple[object, ...]:
    issue = draw(pick)  # one of the issues
    iid = str(issue["id"])
    if issue["kind"] == "integer":
        lo, hi = issue["range"]  # type: ignore[misc]
        return (draw(sampled(">=", "<=", "==")), iid, draw(integers(lo, hi)))
    if issue["kind"] == "boolean":
        return ("==", iid, draw(_BOOLS))
    opts = issue["options"]
    return (draw(sampled("==", "!=")), iid, draw(sampled_list(opts)))  # type: ignore[arg-type]


@st.composite
def _deal_conditions(
    draw: st.DrawFn, atom: st.SearchStrategy[tuple[object, ...]]
) -> tuple[object, ...]:
    a = draw(atom)
    op = draw(sampled("atom", "atom", "or", "and", "implies"))
    if op == "atom":
        return a
    return (op, a, draw(atom))


# per issue list (by its repr), built once: a deal scenario draws up to 8 conditions
_DEAL_CONDITIONS: dict[str, st.SearchStrategy[tuple[object, ...]]] = {}


def deal_conditions(issues: list[dict[str, object]]) -> st.SearchStrategy[tuple[object, ...]]:
    """An atom, or two atoms joined by or / and / implies (often across issues)."""
    key = repr(issues)
    got = _DEAL_CONDITIONS.get(key)
    if got is None:
        pick = st.sampled_from(copy.deepcopy(issues))  # a copy: callers may edit theirs
        got = _DEAL_CONDITIONS[key] = _deal_conditions(_deal_atom(pick))
    return got


def render_condition(c: tuple[object, ...]) -> str:
    """Rule text of a condition drawn by :func:`deal_conditions`."""
    if c[0] in ("or", "and", "implies"):
        return f"({render_condition(c[1])}) {c[0]} ({render_condition(c[2])})"  # type: ignore[arg-type]
    op, iid, v = c
    if isinstance(v, bool):
        lit = "true" if v else "false"
    elif isinstance(v, str):
        lit = f"'{v}'"
    else:
        lit = str(v)
    return f"{iid} {op} {lit}"


@st.composite
def deal_scenario_documents(
    draw: st.DrawFn, min_parties: int = 2, max_parties: int = 4, max_outcomes: int = 400
) -> dict[str, object]:
    """A tiny valid deal scenario (at most ``max_outcomes`` outcomes).

    1-4 issues (integer ranges of 1-6 values, booleans, choices of 1-4 options), 2-4
    parties with 0-2 red lines each (structured, see above; the structure is kept in
    ``doc["_conditions"][party]`` and must be popped before loading), grid weights and
    values, reservations, and 0-3 proposals fixing all or some issues.
    """
    n_issues = draw(integers(1, 4))
    issues: list[dict[str, object]] = []
    size = 1
    for k in range(n_issues):
        kind = draw(sampled("integer", "boolean", "choice"))
        if kind == "integer":
            lo = draw(integers(-3, 3))
            n = draw(integers(1, 6))
            issue: dict[str, object] = {"id": f"i{k}", "kind": kind, "range": [lo, lo + n - 1]}
        elif kind == "boolean":
            n = 2
            issue = {"id": f"i{k}", "kind": kind}
        else:
            n = draw(integers(1, 4))
            issue = {"id": f"i{k}", "kind": kind, "options": [f"o{j}" for j in range(n)]}
        if size * n > max_outcomes:
            break
        size *= n
        issues.append(issue)
    n_parties = draw(integers(min_parties, max_parties))
    parties = [f"p{i}" for i in range(n_parties)]
    positions: dict[str, object] = {}
    conditions: dict[str, list[tuple[object, ...]]] = {}
    for p in parties:
        conds = [draw(deal_conditions(issues)) for _ in range(draw(integers(0, 2)))]
        conditions[p] = conds
        priorities: dict[str, object] = {}
        for issue in issues:
            if not draw(_BOOLS):
                continue
            w = draw(sampled(1, 2, 3))
            if issue["kind"] == "integer":
                values: object = draw(_MONOTONE)
            elif issue["kind"] == "boolean":
                values = {
                    "true": draw(_DEAL_VALUE),
                    "false": draw(_DEAL_VALUE),
                }
            else:
                values = {o: draw(_DEAL_VALUE) for o in issue["options"]}  # type: ignore[attr-defined]
            priorities[str(issue["id"])] = {"weight": w, "values": values}
        positions[p] = {
            "red_lines": [
                {"id": f"r{j}", "rule": render_condition(c)} for j, c in enumerate(conds)
            ],
            "priorities": priorities,
            "reservation": draw(sampled(0.0, 0.2, 0.25, 0.5, 0.6)),
        }
    proposals = []
    for j in range(draw(integers(0, 3))):
        terms: dict[str, object] = {}
        complete = draw(_BOOLS)
        for issue in issues:
            if not complete and draw(_BOOLS):
                continue
            if issue["kind"] == "integer":
                lo, hi = issue["range"]  # type: ignore[misc]
                terms[str(issue["id"])] = draw(integers(lo, hi))
            elif issue["kind"] == "boolean":
                terms[str(issue["id"])] = draw(_BOOLS)
            else:
                terms[str(issue["id"])] = draw(sampled_list(issue["options"]))  # type: ignore[arg-type]
        proposals.append({"id": f"q{j}", "by": [parties[0]], "terms": terms})
    return {
        "id": "random-deal",
        "title": "random deal",
        "parties": [{"id": p, "name": p.upper(), "role": "party"} for p in parties],
        "issues": issues,
        "positions": positions,
        "proposals": proposals,
        "_conditions": conditions,
    }
