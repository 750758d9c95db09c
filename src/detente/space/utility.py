"""Issue domains and additive utilities (multi-attribute value theory).

Definitions (DESIGN.md, "Deal model"): per-issue values lie in [0, 1]; choice and boolean
values are as the scenario gives them (options left out are worth 0); integer
``increasing`` = (x - lo)/(hi - lo), ``decreasing`` = (hi - x)/(hi - lo), points =
piecewise linear between them (constant beyond the end points). Raw utility = sum of
weight x value; u_i = raw rescaled so the party's worst outcome in the whole space is 0
and its best is 1 (Keeney & Raiffa 1976, ch. 3). The whole space is the product of every
declared value, amendment options included, so a party's scale does not move when a
mediator floats a new option.

Values of an issue are *codes*: option index for choices, 0/1 for booleans, the integer
itself for integers. Resolved expressions (:mod:`detente.scenario.expr.typecheck`) use the
same codes, so masks and utilities line up without translation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.errors import LimitError, Problem, ScenarioError
from detente.scenario.checked import Scenario
from detente.scenario.model import BooleanIssue, ChoiceIssue, IntegerIssue, Priority

__all__ = [
    "MAX_TABLE",
    "AdditiveUtility",
    "Domain",
    "domains",
    "issue_values",
    "require_deal_model",
    "utilities",
]

MAX_TABLE = 50_000_000  # values of one issue we are willing to tabulate

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Domain:
    """The values an issue may take in an analysis, as codes, with readable labels."""

    issue: str
    kind: str  # choice | boolean | integer
    lo: int
    hi: int
    excluded: frozenset[int] = frozenset()  # choice codes locked behind an amendment
    option_ids: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        """Number of allowed codes (the range less the excluded codes)."""
        return self.hi - self.lo + 1 - len(self.excluded)

    def codes(self) -> IntArray:
        """All allowed codes, ascending."""
        if self.hi - self.lo + 1 > MAX_TABLE:
            raise LimitError(
                f"issue '{self.issue}' has {self.hi - self.lo + 1:,} values, too many to list; "
                "use a coarser unit or the solver engine (--engine solver)"
            )
        allc = np.arange(self.lo, self.hi + 1, dtype=np.int64)
        if self.excluded:
            allc = allc[~np.isin(allc, np.fromiter(self.excluded, dtype=np.int64))]
        return allc

    def label(self, code: int) -> str | int | bool:
        """The scenario-file value of ``code`` (option id, bool or int)."""
        if self.kind == "choice":
            return self.option_ids[code]
        if self.kind == "boolean":
            return bool(code)
        return int(code)

    def code(self, value: str | int | bool) -> int:
        """The code of a scenario-file value (inverse of :meth:`label`)."""
        if self.kind == "choice":
            return self.option_ids.index(str(value))
        return int(value)


def require_deal_model(s: Scenario) -> None:
    """Raise a ScenarioError unless ``s`` has issues and at least one bargaining party."""
    if not s.issues:
        hint = "this scenario is a strategic model: try 'detente stability'" if s.conflict else None
        raise ScenarioError(
            [
                Problem(
                    "the scenario has no issues, so there is no deal to analyze",
                    ("issues",),
                    s.origin,
                    expected="an 'issues' section and 'positions'",
                    hint=hint,
                )
            ]
        )
    if not s.bargainers:
        raise ScenarioError(
            [
                Problem(
                    "no party with role 'party' has a position, so no one has to agree",
                    ("positions",),
                    s.origin,
                    expected="'positions' for the negotiating parties",
                    hint="add red lines, priorities and a reservation for each party",
                )
            ]
        )


def domains(s: Scenario, unlock: Iterable[str] | bool = False) -> list[Domain]:
    """Domains of ``s``'s issues, in declared order.

    Options that an amendment adds are excluded unless ``unlock`` is True (all
    amendments) or names the amendment ids to adopt.
    """
    if unlock is True:
        adopted = {a.id for a in s.amendments}
    elif unlock is False:
        adopted = set()
    else:
        adopted = set(unlock)
    locked: dict[str, set[str]] = {}
    for a in s.amendments:
        if a.id not in adopted:
            for iid, opts in a.adds.items():
                locked.setdefault(iid, set()).update(opts)
    for a in s.amendments:  # an option some adopted amendment adds is on the table
        if a.id in adopted:
            for iid, opts in a.adds.items():
                locked.get(iid, set()).difference_update(opts)
    out = []
    for issue in s.issues:
        if isinstance(issue, ChoiceIssue):
            ids = issue.option_ids
            excl = frozenset(ids.index(o) for o in locked.get(issue.id, ()))
            out.append(Domain(issue.id, "choice", 0, len(ids) - 1, excl, ids))
        elif isinstance(issue, BooleanIssue):
            out.append(Domain(issue.id, "boolean", 0, 1, frozenset(), ("false", "true")))
        else:
            out.append(Domain(issue.id, "integer", issue.range[0], issue.range[1]))
    return out


def issue_values(
    issue: ChoiceIssue | BooleanIssue | IntegerIssue, priority: Priority, codes: IntArray
) -> FloatArray:
    """Per-issue value in [0, 1] of each code (vectorised)."""
    v = priority.values
    if isinstance(issue, ChoiceIssue):
        assert isinstance(v, dict)
        table = np.array([float(v.get(o, 0.0)) for o in issue.option_ids])
        return table[codes]
    if isinstance(issue, BooleanIssue):
        assert isinstance(v, dict)
        table = np.array([float(v.get("false", 0.0)), float(v.get("true", 0.0))])
        return table[codes]
    lo, hi = issue.range
    x = codes.astype(np.float64)
    if v == "increasing":
        return (x - lo) / (hi - lo) if hi > lo else np.ones_like(x)
    if v == "decreasing":
        return (hi - x) / (hi - lo) if hi > lo else np.ones_like(x)
    pts = sorted((int(k), float(val)) for k, val in v.items()) if isinstance(v, dict) else list(v)
    xs = np.array([p[0] for p in pts], dtype=np.float64)
    ys = np.array([p[1] for p in pts], dtype=np.float64)
    return np.interp(x, xs, ys)


@dataclass(frozen=True)
class AdditiveUtility:
    """u(x) = (sum_k w_k v_k(x_k) - worst) / (best - worst) for one party.

    ``weights[k]`` and the value function of issue k (by :func:`issue_values`) define the
    raw utility; ``worst``/``best`` are its extremes over the whole declared space.
    """

    party: str
    issues: tuple[str, ...]
    weights: tuple[float, ...]
    worst: float
    best: float
    reservation: float
    _scenario: Scenario

    @property
    def scale(self) -> float:
        """The normaliser best - worst (1 when the raw utility is constant)."""
        return self.best - self.worst if self.best > self.worst else 1.0

    def issue_table(self, k: int, codes: IntArray) -> FloatArray:
        """Weighted, normalised contribution of issue k for each code.

        Summing these over the issues and adding :attr:`offset` gives u; the offset is
        spread so that each table is itself on the final scale.
        """
        issue = self._scenario.issues[k]
        pr = self._scenario.positions[self.party].priorities.get(issue.id)
        if pr is None or self.weights[k] == 0.0:
            return np.zeros(len(codes), dtype=np.float64)
        return self.weights[k] * issue_values(issue, pr, codes) / self.scale

    @property
    def offset(self) -> float:
        """The constant -worst / scale added to the issue tables' sum to give u."""
        return -self.worst / self.scale

    def __call__(self, columns: dict[str, IntArray]) -> FloatArray:
        """Utility of outcomes given as one code array per issue id."""
        n = len(next(iter(columns.values()))) if columns else 1
        total = np.full(n, self.offset, dtype=np.float64)
        for k, iid in enumerate(self.issues):
            if self.weights[k] != 0.0:
                total += self.issue_table(k, columns[iid])
        return total


def utilities(s: Scenario) -> dict[str, AdditiveUtility]:
    """Additive utility of every bargaining party (see :attr:`Scenario.bargainers`)."""
    full = domains(s, unlock=True)
    out = {}
    for pid in s.bargainers:
        pos = s.positions[pid]
        weights = []
        worst = best = 0.0
        for issue, dom in zip(s.issues, full, strict=True):
            pr = pos.priorities.get(issue.id)
            w = float(pr.weight) if pr is not None else 0.0
            weights.append(w)
            if pr is None or w == 0.0:
                continue
            if isinstance(issue, IntegerIssue):
                vals = _integer_extremes(issue, pr)
            else:
                vals = issue_values(issue, pr, dom.codes())
            worst += w * float(vals.min())
            best += w * float(vals.max())
        out[pid] = AdditiveUtility(
            pid,
            tuple(i.id for i in s.issues),
            tuple(weights),
            worst,
            best,
            pos.reservation.value,
            s,
        )
    return out


def _integer_extremes(issue: IntegerIssue, pr: Priority) -> FloatArray:
    """Values at the points where a piecewise-linear curve can reach its extremes."""
    lo, hi = issue.range
    cand = [lo, hi]
    v = pr.values
    if isinstance(v, dict):
        cand += [int(k) for k in v if lo <= int(k) <= hi]
    elif isinstance(v, tuple):
        cand += [p[0] for p in v if lo <= p[0] <= hi]
    return issue_values(issue, pr, np.array(sorted(set(cand)), dtype=np.int64))
