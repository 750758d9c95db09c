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

from detente.conflict.model import CompiledConflict, Mask
from detente.errors import LimitError
from detente.scenario.conflict.states import eval_bool, option_columns, pattern_hits
from detente.scenario.expr import Expr
from detente.scenario.model import ConflictPreference

__all__ = ["MAX_STATEMENTS", "utilities", "preference_utility"]

MAX_STATEMENTS = 60  # 2^60 still fits an int64 score

Utility = npt.NDArray[np.int64]


def preference_utility(
    pref: ConflictPreference,
    statements: Sequence[Expr],
    all_options: Sequence[str],
    env: Mapping[str, Mask],
    size: int,
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
        for j, ast in enumerate(statements, start=1):
            score += eval_bool(ast, env, size).astype(np.int64) << (k - j)
        return score
    assert pref.ranking is not None
    groups = len(pref.ranking)
    # a code takes the group of the first pattern matching it
    level = np.array([groups - g for g, group in enumerate(pref.ranking) for _ in group])
    flat = [p for group in pref.ranking for p in group]
    first, _, _ = pattern_hits(flat, all_options, env, size)
    util: Utility = np.where(first >= 0, level[np.maximum(first, 0)] if flat else -1, -1)
    return util


def utilities(cc: CompiledConflict) -> dict[str, Utility]:
    """Utility arrays (over all ``2**n`` codes of the compiled space) per decision maker."""
    cf = cc.source
    size = 1 << cc.n_options
    env = option_columns(cc.options, cc.fixed)
    return {
        d.party: preference_utility(
            cf.preferences[d.party], cc.statements[d.party], cf.option_ids, env, size
        )
        for d in cc.decision_makers
    }
