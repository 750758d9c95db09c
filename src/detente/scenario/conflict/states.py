"""The states of a conflict section as boolean columns, for checks and compilation.

A state is a bit vector over the conflict's options in declared order (option ``j`` is
bit ``j`` of the state's *code*). These helpers evaluate option columns, Y/N/- patterns
and infeasibility rules (resolved expressions) over every code at once. They serve the
load-time checks (a ranking must list every feasible state exactly once) and the GMCR
compiler (:mod:`detente.conflict.model`); stability itself lives in
:mod:`detente.conflict`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from detente.scenario.expr import Expr
from detente.scenario.expr.evaluate import evaluate
from detente.scenario.model import Conflict

__all__ = [
    "MAX_OPTIONS",
    "eval_bool",
    "infeasible_mask",
    "option_columns",
    "pattern_mask",
    "ranking_problems",
]

MAX_OPTIONS = 21  # 2^21 = 2,097,152 candidate states
Mask = npt.NDArray[np.bool_]
_LIST_AT_MOST = 8


def option_columns(
    options: Sequence[str], fixed: Mapping[str, bool] | None = None
) -> dict[str, Mask]:
    """Bool column per option over all ``2**n`` codes, plus constant columns for fixed ones."""
    n = len(options)
    codes = np.arange(1 << n, dtype=np.int64)
    env: dict[str, Mask] = {o: ((codes >> j) & 1).astype(bool) for j, o in enumerate(options)}
    for o, v in (fixed or {}).items():
        env[o] = np.full(1 << n, v, dtype=bool)
    return env


def pattern_mask(
    pattern: str, all_options: Sequence[str], env: Mapping[str, Mask], size: int
) -> Mask:
    """Codes matching a Y/N/- pattern written over ``all_options`` (fixed ones included)."""
    mask = np.ones(size, dtype=bool)
    for ch, o in zip(pattern, all_options, strict=True):
        if ch == "Y":
            mask &= env[o]
        elif ch == "N":
            mask &= ~env[o]
    return mask


def eval_bool(node: Expr, env: Mapping[str, Mask], size: int) -> Mask:
    """A resolved condition over option columns, broadcast to ``size`` codes."""
    out = evaluate(node, env)
    return np.broadcast_to(np.asarray(out, dtype=bool), (size,))


def infeasible_mask(
    cf: Conflict, rules: Sequence[Expr | None], env: Mapping[str, Mask], size: int
) -> Mask:
    """Codes removed by some infeasibility rule or pattern.

    ``rules[j]`` is the resolved expression of ``cf.infeasible[j]`` (None for a pattern).
    """
    bad = np.zeros(size, dtype=bool)
    for rule, ast in zip(cf.infeasible, rules, strict=True):
        if rule.pattern is not None:
            bad |= pattern_mask(rule.pattern, cf.option_ids, env, size)
        elif ast is not None:
            bad |= eval_bool(ast, env, size)
    return bad


def _states(codes: npt.NDArray[np.int64], n: int) -> str:
    shown = ", ".join(
        "".join("Y" if c >> j & 1 else "N" for j in range(n)) for c in codes[:_LIST_AT_MOST]
    )
    more = f" and {codes.size - _LIST_AT_MOST} more" if codes.size > _LIST_AT_MOST else ""
    return shown + more


def ranking_problems(
    cf: Conflict, rules: Sequence[Expr | None]
) -> list[tuple[tuple[str | int, ...], str, str | None]]:
    """Problems with explicit rankings: every feasible state must appear exactly once.

    Returns (path under ``conflict``, message, hint) triples; ``rules`` as for
    :func:`infeasible_mask`. Skipped beyond :data:`MAX_OPTIONS`.
    """
    n = len(cf.option_ids)
    if n > MAX_OPTIONS or not any(p.ranking is not None for p in cf.preferences.values()):
        return []
    size = 1 << n
    env = option_columns(cf.option_ids)
    feasible = ~infeasible_mask(cf, rules, env, size)
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
