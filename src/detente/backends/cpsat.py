"""Compile a scenario's issues, derived quantities, demands and utilities to CP-SAT.

The compilation reads the *resolved* expression ASTs (:mod:`detente.scenario.expr.typecheck`:
choice options are integer codes), so the CP-SAT model and the numpy evaluator
(:mod:`detente.scenario.expr.evaluate`) interpret the very same trees:

- issues: choice = an integer variable over the option codes on the table (options an
  unadopted amendment adds are left out of its domain), boolean = a Boolean variable,
  integer = an integer variable over its range;
- ``+ - neg`` = linear expressions, ``*`` = scaling by a constant or
  ``AddMultiplicationEquality`` with interval-arithmetic bounds; derived integers are
  variables equal to their expression;
- comparisons, ``in``, ``and or not implies iff`` = Boolean variables *fully reified*
  (b <=> condition, both directions), so every auxiliary variable is a function of the
  issue variables: counting solutions counts outcomes;
- demand j = a Boolean ``sat[j]`` <=> the red line holds (or u_i >= threshold).

Utilities as scaled integers. u_i = offset_i + sum_k table_ik(x_k) (see
:class:`detente.space.utility.AdditiveUtility`). Each term is multiplied by
:data:`SCALE` = 10^6 and rounded to the nearest integer: an element constraint over the
issue's table when it has at most :data:`TABLE_LIMIT` values, otherwise a piecewise
linear function with one segment per curve piece and an exact floor (error < 1 + 1/2).
``err[i]`` bounds |U_i - SCALE * u_i| (1/2 per table, 3/2 per segment function, 1/2 for
the offset). The reservation demand is compiled *permissively*,
U_i >= ceil(SCALE * r_i - err_i) - 1, so every outcome with u_i >= r_i satisfies it: an
infeasible answer is therefore exact, and every feasible answer is re-checked in exact
float arithmetic by the engine (:mod:`detente.backends.solver`), which cuts off outcomes in
the rounding band and solves again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from ortools.sat.python import cp_model as cp

from detente.scenario.expr import Arith, BoolOp, Compare, Const, Expr, InList, Name, Neg, Not
from detente.scenario.model import IntegerIssue
from detente.space.demands import RESERVATION, Demand
from detente.space.outcomes import OutcomeSpace
from detente.space.utility import issue_values

__all__ = ["Compiled", "Model", "SCALE", "TABLE_LIMIT"]

SCALE = 1_000_000
TABLE_LIMIT = 100_000

from ortools.sat.python.cp_model_helper import Literal  # noqa: E402  (the base of IntVar / its negation)

Lin = cp.LinearExpr | int
Lit = Literal

_NEGATE = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}


class Model(cp.CpModel):
    """A CpModel without ortools' per-instance camelCase aliases, cloned the same way.

    ``CpModel.__init__`` binds a deprecated alias for each of ~100 methods found by
    ``dir()`` on every instance: 0.8 ms, more than copying a model, and every query clones
    one (1758 clones in the back-end contract test). The proto is copied exactly as
    ``CpModel.clone`` does, so the solver sees the same model.
    """

    def _add_pre_pep8_methods(self) -> None:
        """Bind no aliases (detente calls only the snake_case methods)."""

    def clone(self) -> Model:
        """A copy of the model (same proto, same variable indices)."""
        m = Model()
        m.proto.copy_from(self.proto)
        m.rebuild_constant_map()
        return m


def _add_compare(m: cp.CpModel, op: str, a: Lin, b: Lin) -> cp.Constraint:
    if op == "==":
        return m.add(a == b)
    if op == "!=":
        return m.add(a != b)
    if op == "<":
        return m.add(a < b)
    if op == "<=":
        return m.add(a <= b)
    if op == ">":
        return m.add(a > b)
    return m.add(a >= b)


def _const_compare(op: str, a: int, b: int) -> bool:
    return {
        "==": a == b,
        "!=": a != b,
        "<": a < b,
        "<=": a <= b,
        ">": a > b,
        ">=": a >= b,
    }[op]


class Compiled:
    """A CP-SAT model of the outcome space, the demands and the scaled utilities.

    Attributes
    ----------
    model: the base model (queries clone it), a :class:`Model`.
    x: issue variables in declared order (values are codes).
    sat: one fully reified Boolean per demand.
    U: scaled utility variable per party (order of ``space.parties``); R its scaled
       reservation round(SCALE * r_i); err the rounding bound in units of 1/SCALE.
    """

    def __init__(self, space: OutcomeSpace, demands: Sequence[Demand]) -> None:
        self.space = space
        self.demands = tuple(demands)
        m = Model()
        self.model = m
        self.true = m.new_bool_var("true")
        m.add(self.true == 1)
        self._names: dict[str, tuple[Lin, tuple[int, int], bool]] = {}
        self.x: list[cp.IntVar] = []
        for d in space.domains:
            if d.kind == "boolean":
                v: cp.IntVar = m.new_bool_var(d.issue)
            elif d.kind == "choice":
                v = m.new_int_var_from_domain(
                    cp.Domain.from_values([int(c) for c in d.codes()]), d.issue
                )
            else:
                v = m.new_int_var(d.lo, d.hi, d.issue)
            self.x.append(v)
            self._names[d.issue] = (v, (d.lo, d.hi), d.kind == "boolean")
        sc = space.scenario
        for did in sc.derived_order:  # dependency order, shared with the evaluator
            ast, bounds = sc.derived_ast(did), sc.derived_bounds(did)
            if bounds is None:
                self._names[did] = (self._literal_var(self.lit(ast), did), (0, 1), True)
            else:
                var = m.new_int_var(bounds[0], bounds[1], did)
                m.add(var == self.lin(ast))
                self._names[did] = (var, bounds, False)
        self.U: list[cp.IntVar] = []
        self.R: list[int] = []
        self.err: list[float] = []
        for p in space.parties:
            u, e = self._utility(p)
            self.U.append(u)
            self.err.append(e)
            self.R.append(round(SCALE * space.utilities[p].reservation))
        self.sat: list[cp.IntVar] = []
        for dem in self.demands:
            if dem.kind == RESERVATION:
                i = space.parties.index(dem.party)
                a = m.new_bool_var(dem.key)
                thr = math.ceil(SCALE * dem.value - self.err[i]) - 1
                m.add(self.U[i] >= thr).only_enforce_if(a)
                m.add(self.U[i] < thr).only_enforce_if(a.negated())
                self.sat.append(a)
            else:
                assert dem.ast is not None
                self.sat.append(self._literal_var(self.lit(dem.ast), dem.key))

    # -- expressions -------------------------------------------------------------------

    def _literal_var(self, lit: Lit | bool, name: str) -> cp.IntVar:
        """A fresh Boolean equal to ``lit`` (assumption cores need plain variables)."""
        a = self.model.new_bool_var(name)
        self.model.add(a == (int(lit) if isinstance(lit, bool) else lit))
        return a

    def _as_lit(self, v: Lit | bool) -> Lit:
        if isinstance(v, bool):
            return self.true if v else self.true.negated()
        return v

    def bounds(self, node: Expr) -> tuple[int, int]:
        """Interval bounds of an integer-valued node (booleans are 0/1)."""
        if isinstance(node, Const):
            return (int(node.value), int(node.value))
        if isinstance(node, Name):
            return self._names[node.id][1]
        if isinstance(node, Neg):
            lo, hi = self.bounds(node.operand)
            return (-hi, -lo)
        if isinstance(node, Arith):
            a, b = self.bounds(node.left), self.bounds(node.right)
            if node.op == "+":
                return (a[0] + b[0], a[1] + b[1])
            if node.op == "-":
                return (a[0] - b[1], a[1] - b[0])
            corners = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]]
            return (min(corners), max(corners))
        return (0, 1)

    def lin(self, node: Expr) -> Lin:
        """An integer-valued node as a linear expression (or a Python int)."""
        if isinstance(node, Const):
            return int(node.value)
        if isinstance(node, Name):
            return self._names[node.id][0]
        if isinstance(node, Neg):
            return -self.lin(node.operand)
        if isinstance(node, Arith):
            a, b = self.lin(node.left), self.lin(node.right)
            if node.op == "+":
                return a + b
            if node.op == "-":
                return a - b
            if isinstance(b, int):
                return a * b
            if isinstance(a, int):
                return b * a
            lo, hi = self.bounds(node)
            target = self.model.new_int_var(lo, hi, "")
            self.model.add_multiplication_equality(
                target, [self._var(a, node.left), self._var(b, node.right)]
            )
            return target
        lit = self.lit(node)  # a condition used as 0/1
        return int(lit) if isinstance(lit, bool) else lit

    def _var(self, e: Lin, node: Expr) -> cp.IntVar:
        if isinstance(e, cp.IntVar):
            return e
        lo, hi = self.bounds(node)
        v = self.model.new_int_var(lo, hi, "")
        self.model.add(v == e)
        return v

    def _reify(self, enforce: cp.Constraint, negate: cp.Constraint, b: cp.IntVar) -> None:
        enforce.only_enforce_if(b)
        negate.only_enforce_if(b.negated())

    def lit(self, node: Expr) -> Lit | bool:
        """A condition as a literal b <=> condition (or a Python bool when constant)."""
        m = self.model
        if isinstance(node, Const):
            return bool(node.value)
        if isinstance(node, Name):
            var = self._names[node.id][0]
            assert isinstance(var, Literal), f"'{node.id}' is not a condition"
            return var
        if isinstance(node, Not):
            inner = self.lit(node.operand)
            return (not inner) if isinstance(inner, bool) else inner.negated()
        if isinstance(node, Compare):
            a, b = self.lin(node.left), self.lin(node.right)
            if isinstance(a, int) and isinstance(b, int):
                return _const_compare(node.op, a, b)
            v = m.new_bool_var("")
            self._reify(_add_compare(m, node.op, a, b), _add_compare(m, _NEGATE[node.op], a, b), v)
            return v
        if isinstance(node, InList):
            return self._in_list(node)
        assert isinstance(node, BoolOp)
        lits = [self.lit(o) for o in node.operands]
        if node.op == "implies":
            first = lits[0]
            lits = [(not first) if isinstance(first, bool) else first.negated(), lits[1]]
            return self._or(lits)
        if node.op == "iff":
            a, b = lits
            if isinstance(a, bool) and isinstance(b, bool):
                return a == b
            v = m.new_bool_var("")
            la, lb = self._as_lit(a), self._as_lit(b)
            self._reify(m.add(la == lb), m.add(la != lb), v)
            return v
        if node.op == "and":
            if any(x is False for x in lits):
                return False
            rest = [x for x in lits if not isinstance(x, bool)]
            if not rest:
                return True
            v = m.new_bool_var("")
            m.add_bool_and(rest).only_enforce_if(v)
            m.add_bool_or([x.negated() for x in rest]).only_enforce_if(v.negated())
            return v
        return self._or(lits)

    def _or(self, lits: list[Lit | bool]) -> Lit | bool:
        if any(x is True for x in lits):
            return True
        rest = [x for x in lits if not isinstance(x, bool)]
        if not rest:
            return False
        v = self.model.new_bool_var("")
        self.model.add_bool_or(rest).only_enforce_if(v)
        self.model.add_bool_and([x.negated() for x in rest]).only_enforce_if(v.negated())
        return v

    def _in_list(self, node: InList) -> Lit | bool:
        if all(isinstance(i, Const) for i in node.items):
            a = self.lin(node.operand)
            values = sorted({int(i.value) for i in node.items if isinstance(i, Const)})
            if isinstance(a, int):
                hit: Lit | bool = a in values
            else:
                v = self.model.new_bool_var("")
                dom = cp.Domain.from_values(values)
                self.model.add_linear_expression_in_domain(a, dom).only_enforce_if(v)
                self.model.add_linear_expression_in_domain(a, dom.complement()).only_enforce_if(
                    v.negated()
                )
                hit = v
        else:
            hit = self._or([self.lit(Compare("==", node.operand, i)) for i in node.items])
        if node.negated:
            return (not hit) if isinstance(hit, bool) else hit.negated()
        return hit

    # -- utilities ---------------------------------------------------------------------

    def _utility(self, party: str) -> tuple[cp.IntVar, float]:
        m = self.model
        ut = self.space.utilities[party]
        terms: list[Lin] = []
        lo_sum = hi_sum = const = round(SCALE * ut.offset)
        err = 0.5
        for k, d in enumerate(self.space.domains):
            if ut.weights[k] == 0.0:
                continue
            if d.hi - d.lo + 1 <= TABLE_LIMIT:
                allc = np.arange(d.lo, d.hi + 1, dtype=np.int64)
                table = [int(v) for v in np.rint(SCALE * ut.issue_table(k, allc))]
                allowed = [table[int(c) - d.lo] for c in d.codes()]
                lo_k, hi_k = min(allowed), max(allowed)
                err += 0.5
                if lo_k == hi_k:
                    const += lo_k
                    lo_sum += lo_k
                    hi_sum += lo_k
                    continue
                t = m.new_int_var(min(table), max(table), "")
                idx = self.x[k]
                if d.lo != 0:
                    idx = m.new_int_var(0, d.hi - d.lo, "")
                    m.add(idx == self.x[k] - d.lo)
                m.add_element(idx, table, t)
            else:
                t, lo_k, hi_k = self._segments(party, k)
                err += 1.5
            terms.append(t)
            lo_sum += lo_k
            hi_sum += hi_k
        u = m.new_int_var(lo_sum, hi_sum, f"U_{party}")
        m.add(u == const + sum(terms))
        return u, err

    def _segments(self, party: str, k: int) -> tuple[cp.IntVar, int, int]:
        """The variable y = floor of the scaled piecewise-linear value of a large integer issue.

        Disaggregated (LP-tight) form: one Boolean s_j per curve piece [a_j, b_j] and an
        offset t_j in [0, (b_j - a_j) s_j], x = sum_j (a_j s_j + t_j), exactly one s_j;
        y = sum_j y_j with den_j y_j <= va_j den_j s_j + (vb_j - va_j) t_j
        <= den_j y_j + (den_j - 1) s_j, an exact floor of the line through the rounded
        end values (and y_j = 0 off the piece). No big-M enforcement, so the LP
        relaxation stays tight on ranges of millions of values.
        """
        m = self.model
        issue = self.space.scenario.issues[k]
        assert isinstance(issue, IntegerIssue)
        pr = self.space.scenario.positions[party].priorities[issue.id]
        ut = self.space.utilities[party]
        lo, hi = issue.range
        xs = {lo, hi}
        v = pr.values
        if isinstance(v, dict):
            xs |= {int(key) for key in v if lo < int(key) < hi}
        elif isinstance(v, tuple):
            xs |= {int(p[0]) for p in v if lo < p[0] < hi}
        bps = sorted(xs)
        scaled = SCALE * ut.weights[k] / ut.scale
        vals = [
            int(y) for y in np.rint(scaled * issue_values(issue, pr, np.array(bps, dtype=np.int64)))
        ]
        x = self.x[k]
        pieces, offsets, ys = [], [], []
        for j in range(len(bps) - 1):
            # the last piece is closed; the others stop one short of the next breakpoint
            a, b = bps[j], bps[j + 1] if j == len(bps) - 2 else bps[j + 1] - 1
            va, vb, den = vals[j], vals[j + 1], bps[j + 1] - bps[j]
            s = m.new_bool_var("")
            t = m.new_int_var(0, max(b - a, 0), "")
            m.add(t <= (b - a) * s)
            y = m.new_int_var(min(0, va, vb), max(0, va, vb), "")
            m.add(den * y <= va * den * s + (vb - va) * t)
            m.add(va * den * s + (vb - va) * t <= den * y + (den - 1) * s)
            pieces.append(s)
            offsets.append(a * s + t)
            ys.append(y)
        m.add_exactly_one(pieces)
        m.add(x == sum(offsets))
        total = m.new_int_var(min(vals), max(vals), "")
        m.add(total == sum(ys))
        return total, min(vals), max(vals)
