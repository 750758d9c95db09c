"""The deal model compiled for many draws of the assumed numbers at once.

Utilities are linear in a party's weights (and, for a choice or boolean issue whose
values vary, in weight x value), because the rescaling to [0, 1] is over the product of
the issue domains (:mod:`detente.space.utility`):
u_i(x) = (sum_k w_ik v_ik(x_k) - worst_i) / (best_i - worst_i), with worst_i (best_i)
the sum over issues of w_ik times the smallest (largest) value of the issue. Red lines
do not depend on any number. So the outcome space is enumerated once (the same
:class:`~detente.space.outcomes.OutcomeSpace` chunks and red-line masks as the point
analysis) and collapsed into *rows*: the distinct combinations of the codes of the
issues some party values and the red lines each outcome violates, each row carrying its
first outcome (the one the point analysis reports) and how many outcomes it stands
for. Per party a row has a feature vector F_i (one column per valued issue: its fixed
value, or one-hot columns over the options when the values vary); a draw gives the
coefficients c_i (w_ik, or w_ik v_iko), so a batch of draws is one matrix product.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.errors import LimitError
from detente.scenario.checked import Scenario
from detente.scenario.model import BooleanIssue, ChoiceIssue, IntegerIssue
from detente.scenario.uncertainty_checks import Uncertainty
from detente.space.demands import RESERVATION, Demand, demands
from detente.space.outcomes import UTILITY_DECIMALS, OutcomeSpace
from detente.space.utility import domains, issue_values

__all__ = [
    "DEFAULT_LIMIT",
    "Compiled",
    "Params",
    "canon",
    "compile_model",
    "party_utilities",
    "resolve",
    "thresholds",
    "utilities",
]

DEFAULT_LIMIT = 5_000_000  # outcomes enumerated once (rows are far fewer)
FloatArray = npt.NDArray[np.float64]
_TEN12 = 10.0**UTILITY_DECIMALS
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class _PartyModel:
    """Party i's features: per column, the issue it belongs to and (one-hot) the option."""

    party: str
    features: FloatArray  # (n_rows, m)
    column_issue: IntArray  # (m,) index into the party's valued issues
    column_option: IntArray  # (m,) option code for one-hot columns, -1 for fixed values
    issues: tuple[int, ...]  # scenario issue index of each valued issue
    weights: FloatArray  # stated weights of the valued issues
    vmin: FloatArray  # fixed min/max value of each valued issue (over the whole space)
    vmax: FloatArray
    values: tuple[FloatArray | None, ...]  # stated option values of one-hot issues
    zopa_features: FloatArray  # rows meeting every red line (Compiled.zopa_rows), then 1


@dataclass(frozen=True, eq=False)
class Compiled:
    """A scenario's deal model, ready for batches of draws (see the module docstring).

    ``pattern`` gives each row's red-line violation pattern (an index into
    ``patterns``, rows of violated red-line bits over ``red_lines``); ``first`` the
    index of each row's first outcome and ``count`` how many outcomes it stands for.
    """

    scenario: Scenario
    space: OutcomeSpace
    parties: tuple[str, ...]
    demands: tuple[Demand, ...]
    red_lines: tuple[Demand, ...]
    reservations: tuple[Demand, ...]
    codes: IntArray  # (n_rows, n_issues): codes of each row's first outcome
    first: IntArray
    count: IntArray
    pattern: IntArray
    patterns: BoolArray  # (n_patterns, n_red_lines) violated
    party_models: tuple[_PartyModel, ...]
    addresses: tuple[str, ...]  # varied numbers, in the order of a draw's columns
    zopa_rows: IntArray  # rows meeting every red line (the clear pattern), ascending

    @property
    def n_rows(self) -> int:
        """Number of rows (distinct outcome patterns)."""
        return len(self.first)

    @property
    def clear_pattern(self) -> int | None:
        """The pattern with no red line violated (None when every outcome violates one)."""
        hit = np.flatnonzero(~self.patterns.any(axis=1))
        return int(hit[0]) if len(hit) else None

    def terms(self, row: int) -> dict[str, str | int | bool]:
        """The scenario-file terms of a row's first outcome."""
        return self.space.terms(self.codes[row])


@dataclass(frozen=True, eq=False)
class Params:
    """A batch of draws resolved into the model's coefficients.

    ``coef[i]`` (S, m_i), ``worst[i]``/``scale[i]`` (S,), ``reservation`` (S, k),
    ``firmness`` (S, n_red_lines) and ``res_firmness`` (S, k): inf where absolute.
    """

    coef: tuple[FloatArray, ...]
    worst: tuple[FloatArray, ...]
    scale: tuple[FloatArray, ...]
    reservation: FloatArray
    firmness: FloatArray
    res_firmness: FloatArray

    @property
    def n(self) -> int:
        """Number of draws."""
        return int(self.reservation.shape[0])


def compile_model(
    s: Scenario, uncertainty: Uncertainty, *, limit: int = DEFAULT_LIMIT, chunk: int = 1 << 18
) -> Compiled:
    """Enumerate ``s``'s outcome space once and collapse it into rows (module docstring).

    Raises
    ------
    LimitError
        When the space holds more than ``limit`` outcomes.
    """
    space = OutcomeSpace(s)
    if space.size > limit:
        raise LimitError(
            f"the outcome space of '{s.id}' holds {space.size:,} outcomes, more than the "
            f"robustness limit of {limit:,}; narrow the issue ranges or raise --limit"
        )
    dems = demands(s)
    reds = tuple(d for d in dems if d.kind != RESERVATION)
    ress = tuple(d for d in dems if d.kind == RESERVATION)
    varied = {v.address for v in uncertainty.varied}
    valued = _valued_issues(s, varied)
    keys = [(d.party, d.id) for d in reds]
    parts: list[IntArray] = []
    for ch in space.chunks(chunk):
        codes = ch.codes(space.issues)
        masks = space.red_line_masks(ch, keys) if keys else {}
        bits = np.stack([~masks[k] for k in keys], axis=1) if keys else np.zeros((ch.n, 0), bool)
        idx = np.arange(ch.start, ch.start + ch.n, dtype=np.int64)[:, None]
        part = np.concatenate([codes[:, valued], bits.astype(np.int64), idx], axis=1)
        keep = _first_of_each(part[:, :-1])[0]  # first of each, per chunk
        parts.append(part[np.sort(keep)])
    table = np.concatenate(parts, axis=0)
    first_pos, counts = _first_of_each(table[:, :-1])
    order = np.argsort(first_pos, kind="stable")  # rows in the order of their first outcome
    first_pos = first_pos[order]
    counts = counts[order]
    rows = table[first_pos]
    first = rows[:, -1].copy()
    codes_all = space.codes_of(first)
    viol = rows[:, len(valued) : len(valued) + len(keys)].astype(np.bool_)
    patterns, pattern = (
        np.unique(viol, axis=0, return_inverse=True)
        if len(keys)
        else (np.zeros((1, 0), np.bool_), np.zeros(len(first), np.int64))
    )
    pattern = np.asarray(pattern, dtype=np.int64).reshape(-1)
    by = np.lexsort((first, pattern))  # rows grouped by pattern, first outcome order within
    first, counts, codes_all, pattern = first[by], counts[by], codes_all[by], pattern[by]
    clear = np.flatnonzero(~np.asarray(patterns, dtype=np.bool_).any(axis=1))
    zrows = (
        np.flatnonzero(pattern == clear[0]).astype(np.int64)
        if len(clear)
        else np.zeros(0, np.int64)
    )
    models = tuple(_party_model(s, p, codes_all, varied, zrows) for p in space.parties)
    return Compiled(
        scenario=s,
        space=space,
        parties=space.parties,
        demands=dems,
        red_lines=reds,
        reservations=ress,
        codes=codes_all,
        first=first,
        count=counts.astype(np.int64),
        pattern=pattern,
        patterns=np.asarray(patterns, dtype=np.bool_),
        party_models=models,
        addresses=uncertainty.addresses,
        zopa_rows=zrows,
    )


def _first_of_each(rows: IntArray) -> tuple[IntArray, IntArray]:
    """The first index of each distinct row and how many rows share it (in some order).

    Rows of small non-negative spans are packed into one int64 each (mixed radix: equal
    exactly when the rows are), which ``np.unique`` sorts several times faster than rows.
    """
    if rows.shape[0] and rows.shape[1]:
        lo = rows.min(axis=0)
        span = (rows.max(axis=0) - lo + 1).tolist()
        total = 1
        for x in span:
            total *= int(x)
        if total < 1 << 62:
            mult = np.array([int(np.prod(span[j + 1 :], dtype=object)) for j in range(len(span))],
                            dtype=np.int64)  # fmt: skip
            key = ((rows - lo) * mult).sum(axis=1)
            _, first, counts = np.unique(key, return_index=True, return_counts=True)
            return first, counts
    _, first, counts = np.unique(rows, axis=0, return_index=True, return_counts=True)
    return first, counts


def _valued_issues(s: Scenario, varied: set[str]) -> list[int]:
    out = []
    for k, issue in enumerate(s.issues):
        for p in s.bargainers:
            pr = s.positions[p].priorities.get(issue.id)
            if pr is not None and (pr.weight > 0 or f"{p}.weight.{issue.id}" in varied):
                out.append(k)
                break
    return out


def _party_model(
    s: Scenario, party: str, codes: IntArray, varied: set[str], zrows: IntArray
) -> _PartyModel:
    full = domains(s, unlock=True)
    cols: list[FloatArray] = []
    col_issue: list[int] = []
    col_opt: list[int] = []
    issues: list[int] = []
    weights: list[float] = []
    vmin: list[float] = []
    vmax: list[float] = []
    values: list[FloatArray | None] = []
    pos = s.positions[party]
    for k, issue in enumerate(s.issues):
        pr = pos.priorities.get(issue.id)
        if pr is None or (pr.weight == 0 and f"{party}.weight.{issue.id}" not in varied):
            continue
        j = len(issues)
        issues.append(k)
        weights.append(float(pr.weight))
        onehot = isinstance(issue, (ChoiceIssue, BooleanIssue)) and any(
            f"{party}.value.{issue.id}.{o}" in varied for o in issue.option_ids
        )
        if isinstance(issue, IntegerIssue):
            from detente.space.utility import _integer_extremes

            ext = _integer_extremes(issue, pr)
            vmin.append(float(ext.min()))
            vmax.append(float(ext.max()))
        else:
            allv = issue_values(issue, pr, full[k].codes())
            vmin.append(float(allv.min()))
            vmax.append(float(allv.max()))
        if onehot:
            assert isinstance(issue, (ChoiceIssue, BooleanIssue))
            n_opt = len(issue.option_ids)
            opts = full[k].codes()
            values.append(issue_values(issue, pr, np.arange(n_opt, dtype=np.int64)))
            for o in opts:
                cols.append((codes[:, k] == o).astype(np.float64))
                col_issue.append(j)
                col_opt.append(int(o))
        else:
            values.append(None)
            cols.append(issue_values(issue, pr, codes[:, k]))
            col_issue.append(j)
            col_opt.append(-1)
    feats = np.stack(cols, axis=1) if cols else np.zeros((len(codes), 0))
    return _PartyModel(
        party,
        np.ascontiguousarray(feats),
        np.array(col_issue, dtype=np.int64),
        np.array(col_opt, dtype=np.int64),
        tuple(issues),
        np.array(weights, dtype=np.float64),
        np.array(vmin, dtype=np.float64),
        np.array(vmax, dtype=np.float64),
        tuple(values),
        np.ascontiguousarray(np.concatenate([feats[zrows], np.ones((len(zrows), 1))], axis=1)),
    )


# entries taken from a draw column (their positions, the columns), the estimates of all
_Where = tuple[IntArray, IntArray, FloatArray]


@dataclass(frozen=True)
class _ResolvePlan:
    """Where :func:`resolve` finds each coefficient (:data:`_Where`), per model.

    Built once per model: the address lookups cost more than resolving a small batch.
    """

    weights: tuple[_Where, ...]  # per party, its valued issues
    # per party, per one-hot issue: (valued index j, values, allowed, selected, options)
    onehot: tuple[tuple[tuple[int, _Where, IntArray, IntArray, IntArray], ...], ...]
    reservation: _Where
    firmness: _Where
    res_firmness: _Where


_PLANS: weakref.WeakKeyDictionary[Compiled, _ResolvePlan] = weakref.WeakKeyDictionary()


def _plan(model: Compiled) -> _ResolvePlan:
    plan = _PLANS.get(model)
    if plan is not None:
        return plan
    s = model.scenario
    col = {a: j for j, a in enumerate(model.addresses)}

    def where(pairs: Sequence[tuple[str | None, float]]) -> _Where:
        cols = np.array([col.get(a, -1) if a is not None else -1 for a, _ in pairs], np.int64)
        hit = np.flatnonzero(cols >= 0)
        return hit, cols[hit], np.array([e for _, e in pairs], dtype=np.float64)

    weights = []
    onehot = []
    for pm in model.party_models:
        weights.append(
            where([(f"{pm.party}.weight.{s.issues[k].id}", float(pm.weights[j]))
                   for j, k in enumerate(pm.issues)])
        )  # fmt: skip
        oh = []
        for j, k in enumerate(pm.issues):
            vals = pm.values[j]
            if vals is None:
                continue
            issue = s.issues[k]
            assert isinstance(issue, (ChoiceIssue, BooleanIssue))
            v = where([(f"{pm.party}.value.{issue.id}.{o}", float(vals[m]))
                       for m, o in enumerate(issue.option_ids)])  # fmt: skip
            allowed = np.unique(pm.column_option[pm.column_issue == j])
            sel = np.flatnonzero(pm.column_issue == j)
            oh.append((j, v, allowed, sel, pm.column_option[sel]))
        onehot.append(tuple(oh))

    def firm(d: Demand, address: str) -> tuple[str | None, float]:
        return (None, np.inf) if not d.relaxable else (address, float(d.cost))

    plan = _ResolvePlan(
        tuple(weights),
        tuple(onehot),
        where([(f"{d.party}.reservation", d.value) for d in model.reservations]),
        where([firm(d, f"{d.party}.firmness.{d.id}") for d in model.red_lines]),
        where([firm(d, f"{d.party}.firmness.reservation") for d in model.reservations]),
    )
    _PLANS[model] = plan
    return plan


def _columns(draws: FloatArray, where: _Where) -> FloatArray:
    """(S, len): per entry its draw column, or its estimate in every draw."""
    hit, cols, est = where
    out = np.empty((draws.shape[0], len(est)), dtype=np.float64)
    out[:] = est
    if hit.size:
        out[:, hit] = draws[:, cols]
    return out


def resolve(model: Compiled, draws: FloatArray) -> Params:
    """The coefficients of a batch of draws (S, n_varied), columns in ``model.addresses``."""
    plan = _plan(model)
    coef: list[FloatArray] = []
    worst: list[FloatArray] = []
    scale: list[FloatArray] = []
    for i, pm in enumerate(model.party_models):
        w = _columns(draws, plan.weights[i])
        lo = np.broadcast_to(pm.vmin, w.shape).copy()
        hi = np.broadcast_to(pm.vmax, w.shape).copy()
        c = w[:, pm.column_issue].copy()
        for j, where, allowed, sel, options in plan.onehot[i]:
            v = _columns(draws, where)
            lo[:, j] = v[:, allowed].min(axis=1)
            hi[:, j] = v[:, allowed].max(axis=1)
            c[:, sel] = w[:, [j]] * v[:, options]
        wst = (w * lo).sum(axis=1)
        bst = (w * hi).sum(axis=1)
        coef.append(c)
        worst.append(wst)
        scale.append(np.where(bst > wst, bst - wst, 1.0))
    return Params(
        tuple(coef),
        tuple(worst),
        tuple(scale),
        _columns(draws, plan.reservation),
        _columns(draws, plan.firmness),
        _columns(draws, plan.res_firmness),
    )


def party_utilities(
    model: Compiled,
    p: Params,
    rows: IntArray | slice = slice(None),
    *,
    zopa: bool = False,
    raw: bool = False,
) -> list[FloatArray]:
    """Per party, canonical utilities (S, n_rows) of ``rows`` under each draw of ``p``.

    The same form as :class:`~detente.space.utility.AdditiveUtility`: the offset
    -worst/scale plus each issue's weight x value / scale, rounded to the canonical
    decimals (in place: this is the hot loop). ``raw`` skips the rounding: comparisons
    then use :func:`thresholds` and near-ties are rounded by the caller.
    """
    out = []
    for i, pm in enumerate(model.party_models):
        inv = 1.0 / p.scale[i]
        c = p.coef[i] * inv[:, None]
        if zopa:  # a column of ones carries the offset: one pass fewer
            u = np.concatenate([c, (-p.worst[i] * inv)[:, None]], axis=1) @ pm.zopa_features.T
        else:
            u = c @ pm.features[rows].T  # (S, n)
            u += (-p.worst[i] * inv)[:, None]
        if raw:
            out.append(u)
            continue
        np.multiply(u, _TEN12, out=u)
        np.rint(u, out=u)
        np.divide(u, _TEN12, out=u)
        u += 0.0
        out.append(u)
    return out


def thresholds(r: FloatArray) -> FloatArray:
    """T such that raw u >= t exactly when canonical(u) >= r (up to exact half-steps).

    canonical(u) = rint(u 10^12) / 10^12 >= r iff rint(u 10^12) >= K = ceil(r 10^12)
    iff u >= (K - 1/2) / 10^12: comparing the unrounded utilities with t decides
    acceptability as the point analysis does, without rounding every utility.
    """
    out: FloatArray = (np.ceil(r * _TEN12) - 0.5) / _TEN12
    return out


def canon(u: FloatArray) -> FloatArray:
    """The canonical rounding of :mod:`detente.space.outcomes` (for near-ties)."""
    out: FloatArray = np.rint(u * _TEN12) / _TEN12 + 0.0
    return out


def utilities(model: Compiled, p: Params, rows: IntArray | slice = slice(None)) -> FloatArray:
    """Canonical utilities (S, n_rows, k) of ``rows`` under each draw of ``p``."""
    us = party_utilities(model, p, rows)
    return np.stack(us, axis=2) if us else np.zeros((p.n, 0, 0))


def estimate_draw(model: Compiled, varied: Sequence[float]) -> FloatArray:
    """The one draw at the estimates, as a (1, n_varied) matrix."""
    return np.asarray([list(varied)], dtype=np.float64).reshape(1, len(model.addresses))


def by_address(model: Compiled, draw: FloatArray) -> Mapping[str, float]:
    """A draw's numbers by address."""
    return {a: float(x) for a, x in zip(model.addresses, draw, strict=True)}
