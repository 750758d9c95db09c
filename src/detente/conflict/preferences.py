"""Decision makers' preferences over states: option prioritization and explicit rankings.

Option prioritization (Fang, Hipel & Kilgour 1993, sec. 2.4; Hipel, Kilgour, Fang & Peng
1997): statements are listed from most to least important; a state's score is the sum of
``2**(k - j)`` over the statements ``j`` (1..k) true at that state; a higher score is
preferred. Scores are exact integers, so the ordering is lexicographic in the statements.

An explicit ranking lists groups of states best first; states in one group are tied.
Both forms give a total preorder, represented here by an integer utility per code
(higher = preferred); only its order matters. This module computes preferences; it does
not decide stability.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from detente.conflict.model import (
    MAX_OPTIONS,
    CompiledConflict,
    Mask,
    _eval_bool,
    infeasible_mask,
    option_columns,
    pattern_mask,
)
from detente.errors import LimitError, Problem, ScenarioError
from detente.scenario.model import Conflict, ConflictPreference

__all__ = ["MAX_STATEMENTS", "utilities", "ranking_problems", "preference_utility"]

MAX_STATEMENTS = 60  # 2^60 still fits an int64 score

Utility = npt.NDArray[np.int64]
_LIST_AT_MOST = 8


def preference_utility(
    pref: ConflictPreference, all_options: Sequence[str], env: Mapping[str, Mask], size: int
) -> Utility:
    """Integer utility of every code (higher preferred) from one decision maker's preference.

    Codes not covered by a ranking get utility -1 (validation reports them before this
    matters).
    """
    if pref.statements is not None:
        k = len(pref.statements)
        if k > MAX_STATEMENTS:
            raise LimitError(
                f"{k} prioritization statements exceed the limit of {MAX_STATEMENTS}; "
                "the last ones could never change the order: drop or merge them"
            )
        score = np.zeros(size, dtype=np.int64)
        for j, st in enumerate(pref.statements, start=1):
            score += _eval_bool(st.ast, env, size).astype(np.int64) << (k - j)
        return score
    assert pref.ranking is not None
    util = np.full(size, -1, dtype=np.int64)
    groups = len(pref.ranking)
    for g, group in enumerate(pref.ranking):
        for pattern in group:
            m = pattern_mask(pattern, all_options, env, size)
            util[m & (util < 0)] = groups - g
    return util


def utilities(cc: CompiledConflict) -> dict[str, Utility]:
    """Utility arrays (over all ``2**n`` codes of the compiled space) per decision maker."""
    cf = cc.source
    size = 1 << cc.n_options
    env = option_columns(cc.options, cc.fixed)
    return {
        d.party: preference_utility(cf.preferences[d.party], cf.option_ids, env, size)
        for d in cc.decision_makers
    }


def _states(codes: npt.NDArray[np.int64], n: int) -> str:
    shown = ", ".join(
        "".join("Y" if c >> j & 1 else "N" for j in range(n)) for c in codes[:_LIST_AT_MOST]
    )
    more = f" and {codes.size - _LIST_AT_MOST} more" if codes.size > _LIST_AT_MOST else ""
    return shown + more


def ranking_problems(cf: Conflict) -> list[tuple[tuple[str | int, ...], str, str | None]]:
    """Problems with explicit rankings: every feasible state must appear exactly once.

    Returns (path under ``conflict``, message, hint) triples. Needs the infeasibility
    rules' resolved ASTs (call after they are checked). Skipped beyond ``MAX_OPTIONS``.
    """
    n = len(cf.option_ids)
    if n > MAX_OPTIONS or not any(p.ranking is not None for p in cf.preferences.values()):
        return []
    size = 1 << n
    env = option_columns(cf.option_ids)
    feasible = ~infeasible_mask(cf, env, size)
    out: list[tuple[tuple[str | int, ...], str, str | None]] = []
    for party, pref in cf.preferences.items():
        if pref.ranking is None:
            continue
        path: tuple[str | int, ...] = ("preferences", party, "ranking")
        count = np.zeros(size, dtype=np.int64)
        for g, group in enumerate(pref.ranking):
            for k, pattern in enumerate(group):
                m = pattern_mask(pattern, cf.option_ids, env, size)
                if not (m & feasible).any():
                    out.append(
                        (
                            (*path, g, k),
                            f"'{pattern}' is not a feasible state",
                            "remove it: the infeasibility rules exclude it",
                        )
                    )
                count += m & feasible
        missing = np.flatnonzero(feasible & (count == 0))
        twice = np.flatnonzero(count > 1)
        if missing.size:
            out.append(
                (
                    path,
                    f"{missing.size} feasible state(s) missing from the ranking: "
                    f"{_states(missing, n)}",
                    "add each to a group (states in one group are tied), or make it infeasible",
                )
            )
        if twice.size:
            out.append(
                (
                    path,
                    f"{twice.size} state(s) listed more than once: {_states(twice, n)}",
                    "list every state exactly once; a '-' pattern covers both Y and N",
                )
            )
    return out


def check_rankings(cf: Conflict) -> None:
    """Raise :class:`ScenarioError` when a ranking does not list each feasible state once."""
    problems = [
        Problem(msg, ("conflict", *path), hint=hint) for path, msg, hint in ranking_problems(cf)
    ]
    if problems:
        raise ScenarioError(problems)
