"""A conflict section compiled for analysis: option bits, state codes, feasible states.

A state is a bit vector over the options in declared order (decision makers first to
last): option ``j`` is bit ``j`` of the state's *code*. Feasible states are numbered
1, 2, ... in increasing code order, the numbering convention of Fang, Hipel & Kilgour
(1993, ch. 2), so the all-N state, when feasible, is state 1.

Feasibility is computed for every code at once by evaluating each infeasibility rule's
resolved AST (:func:`detente.scenario.expr.evaluate.evaluate`) over columns of option bits.
Options may be *fixed* to a value (``without`` a decision maker, or ``fix``): they then
leave the state space and expressions see them as constants. This module holds no
stability logic (see :mod:`detente.conflict.stability`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from detente.errors import LimitError, Problem, ScenarioError
from detente.scenario.checked import Scenario
from detente.scenario.conflict.states import MAX_OPTIONS, infeasible_mask, option_columns
from detente.scenario.expr import Expr
from detente.scenario.model import Conflict

__all__ = [
    "MAX_OPTIONS",
    "MAX_WORK",
    "CompiledConflict",
    "DecisionMakerBits",
    "compile_conflict",
]

MAX_WORK = 2**29  # sum over decision makers of (own sub-states x candidate states)

Codes = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class DecisionMakerBits:
    """The options one decision maker controls: bits ``lo .. hi-1`` of a state code."""

    party: str
    options: tuple[str, ...]
    lo: int
    hi: int

    @property
    def size(self) -> int:
        """Number of sub-states of this decision maker's own options (2^k)."""
        return 1 << (self.hi - self.lo)


@dataclass(frozen=True, eq=False)
class CompiledConflict:
    """The state space of a conflict: who controls which bits, which codes are feasible.

    Attributes
    ----------
    options
        Option ids of the state space, in declared order (fixed options left out).
    decision_makers
        Decision makers with at least one free option, each with its bit range.
    feasible
        Boolean mask over all ``2**n`` codes.
    codes
        Codes of the feasible states, increasing; state id ``k`` is ``codes[k - 1]``.
    forward, backward
        Per option: only N to Y allowed (``forward``) / only Y to N (``backward``).
    fixed
        Options removed from the state space, with the value they are held at.
    """

    source: Conflict
    options: tuple[str, ...]
    decision_makers: tuple[DecisionMakerBits, ...]
    feasible: Mask
    codes: Codes
    forward: tuple[bool, ...]
    backward: tuple[bool, ...]
    fixed: Mapping[str, bool]
    status_quo_code: int | None
    statements: Mapping[str, tuple[Expr, ...]]

    @property
    def n_options(self) -> int:
        """Number of options in the state space (bits of a state code)."""
        return len(self.options)

    @property
    def n_states(self) -> int:
        """Number of feasible states."""
        return int(self.codes.size)

    @property
    def dm_ids(self) -> tuple[str, ...]:
        """Party ids of the decision makers, in bit order."""
        return tuple(d.party for d in self.decision_makers)

    def dm(self, party: str) -> DecisionMakerBits:
        """The decision maker ``party`` with its bit range; KeyError if it has no free option."""
        for d in self.decision_makers:
            if d.party == party:
                return d
        raise KeyError(f"'{party}' is not a decision maker of this conflict")

    def state_id(self, code: int | Codes) -> npt.NDArray[np.int64]:
        """State ids (1-based) of feasible codes (vectorised)."""
        return np.searchsorted(self.codes, code).astype(np.int64) + 1

    def code_of(self, state: int | str) -> int:
        """The code of a state given by id (1-based) or Y/N string over ``options``."""
        if isinstance(state, str):
            if len(state) != self.n_options or set(state) - set("YN"):
                raise ValueError(f"'{state}' is not a Y/N string over {self.n_options} options")
            code = sum(1 << j for j, ch in enumerate(state) if ch == "Y")
            if not self.feasible[code]:
                raise ValueError(f"state {state} is infeasible")
            return code
        if not 1 <= state <= self.n_states:
            raise ValueError(f"state id {state} is outside 1..{self.n_states}")
        return int(self.codes[state - 1])

    def pattern(self, code: int) -> str:
        """The Y/N string of a code, options in declared order."""
        return "".join("Y" if code >> j & 1 else "N" for j in range(self.n_options))

    def patterns(self) -> list[str]:
        """Y/N strings of every feasible state, in id order."""
        bits = (self.codes[:, None] >> np.arange(self.n_options)) & 1
        table = np.where(bits == 1, "Y", "N")
        return ["".join(row) for row in table]


def _error(message: str, *, hint: str | None = None, file: str | None = None) -> ScenarioError:
    return ScenarioError([Problem(message, ("conflict",), file, hint=hint)])


def _check_size(dms: Sequence[DecisionMakerBits], n: int) -> None:
    if n > MAX_OPTIONS:
        raise LimitError(
            f"{n} free options give {2**n:,} candidate states, beyond the limit of "
            f"2^{MAX_OPTIONS} = {2**MAX_OPTIONS:,}; fix some options (--without a decision "
            "maker, or fix=...), merge options, or split the conflict into sub-conflicts"
        )
    work = sum(d.size for d in dms) << n
    if work > MAX_WORK:
        big = max(dms, key=lambda d: d.size)
        raise LimitError(
            f"'{big.party}' controls {big.hi - big.lo} options, so each state has up to "
            f"{big.size - 1:,} unilateral moves for it; with {2**n:,} candidate states the move "
            f"structure needs about {work:,} operations per pass (limit {MAX_WORK:,}); give "
            "that decision maker fewer options (merge mutually exclusive ones) or fix some"
        )


def compile_conflict(
    scenario: Scenario,
    *,
    without: Iterable[str] = (),
    fix: Mapping[str, bool] | None = None,
) -> CompiledConflict:
    """Compile a checked conflict section into a state space.

    Parameters
    ----------
    scenario
        A checked scenario (:func:`detente.load`), whose expressions are resolved.
    without
        Decision makers to take out of the conflict: their options are held at N
        (the options are not available, so never taken).
    fix
        Options held at a given value (True = Y), taken out of the state space.

    Raises
    ------
    ScenarioError
        No conflict section, unknown ids, or rankings that do not list every feasible
        state exactly once.
    LimitError
        The state space or the move structure is too large.
    """
    cf = scenario.conflict
    origin = scenario.origin
    if cf is None:
        raise _error(
            file=origin,
            message="the scenario has no 'conflict' section",
            hint="add a conflict section (decision makers, options, preferences)",
        )
    all_opts = cf.option_ids
    fixed: dict[str, bool] = {}
    dm_parties = [d.party for d in cf.decision_makers]
    for party in without:
        if party not in dm_parties:
            raise _error(
                file=origin,
                message=f"'{party}' is not a decision maker of this conflict",
                hint="decision makers: " + ", ".join(dm_parties),
            )
        dm = next(d for d in cf.decision_makers if d.party == party)
        fixed.update({o.id: False for o in dm.options})
    for o, v in (fix or {}).items():
        if o not in all_opts:
            raise _error(
                file=origin,
                message=f"'{o}' is not an option of this conflict",
                hint="options: " + ", ".join(all_opts),
            )
        fixed[o] = bool(v)
    options = tuple(o for o in all_opts if o not in fixed)
    dms: list[DecisionMakerBits] = []
    pos = 0
    for d in cf.decision_makers:
        own = tuple(o.id for o in d.options if o.id not in fixed)
        if own:
            dms.append(DecisionMakerBits(d.party, own, pos, pos + len(own)))
            pos += len(own)
    n = len(options)
    _check_size(dms, n)
    size = 1 << n
    env = option_columns(options, fixed)
    feasible = ~infeasible_mask(cf, scenario.infeasible_asts, env, size)
    codes = np.flatnonzero(feasible).astype(np.int64)
    if codes.size == 0:
        raise _error(
            file=origin, message="every state is infeasible", hint="check the 'infeasible' rules"
        )
    sq: int | None = None
    if cf.status_quo is not None:
        letters = dict(zip(all_opts, cf.status_quo, strict=True))
        if all((letters[o] == "Y") == v for o, v in fixed.items()):
            sq = sum(1 << j for j, o in enumerate(options) if letters[o] == "Y")
            if not feasible[sq]:
                raise _error(
                    file=origin,
                    message=f"the status quo {cf.status_quo} is an infeasible state",
                    hint="change 'status_quo' or the infeasibility rules",
                )
    return CompiledConflict(
        source=cf,
        options=options,
        decision_makers=tuple(dms),
        feasible=feasible,
        codes=codes,
        forward=tuple(cf.irreversible.get(o) == "forward" for o in options),
        backward=tuple(cf.irreversible.get(o) == "backward" for o in options),
        fixed=fixed,
        status_quo_code=sq,
        statements={d.party: scenario.statement_asts(d.party) for d in cf.decision_makers},
    )
