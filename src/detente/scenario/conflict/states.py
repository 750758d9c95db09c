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
    "pattern_hits",
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


_KEY_BITS = 62  # options a code's key holds (fixed ones included); beyond, mask by mask


def _keys(all_options: Sequence[str], env: Mapping[str, Mask], size: int) -> npt.NDArray[np.int64]:
    """Per code, the bits of ``all_options`` (bit j = option j holds) as one integer."""
    key = np.zeros(size, dtype=np.int64)
    for j, o in enumerate(all_options):
        key |= np.broadcast_to(env[o], (size,)).astype(np.int64) << j
    return key


def _care_want(pattern: str) -> tuple[int, int]:
    """(bits a pattern fixes, the values it fixes them to): 'Y' and 'N' fix, others don't."""
    care = want = 0
    for j, ch in enumerate(pattern):
        if ch == "Y":
            care |= 1 << j
            want |= 1 << j
        elif ch == "N":
            care |= 1 << j
    return care, want


def pattern_hits(
    patterns: Sequence[str],
    all_options: Sequence[str],
    env: Mapping[str, Mask],
    size: int,
    within: Mask | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], Mask]:
    """Many Y/N/- patterns at once (as :func:`pattern_mask` for each), over codes ``within``.

    Returns, per code, the index of the first pattern matching it (-1 if none) and the
    number of patterns matching it, and per pattern whether it matches any code. Codes
    outside ``within`` count as matching nothing. Patterns fixing the same options are
    matched together, by their wanted bits looked up in sorted order: a few array
    operations per distinct set of fixed options rather than one per option and pattern
    (rankings list every state: thousands of patterns).
    """
    first = np.full(size, -1, dtype=np.int64)
    count = np.zeros(size, dtype=np.int64)
    any_hit = np.zeros(len(patterns), dtype=bool)
    inside = np.ones(size, dtype=bool) if within is None else within
    if not patterns:
        return first, count, any_hit
    for p in patterns:
        if len(p) != len(all_options):  # as zip(strict=True) in pattern_mask
            raise ValueError(f"pattern {p!r} does not cover {len(all_options)} options")
    if len(all_options) > _KEY_BITS:
        for k, p in enumerate(patterns):
            m = pattern_mask(p, all_options, env, size) & inside
            first[m & (first < 0)] = k
            count += m
            any_hit[k] = bool(m.any())
        return first, count, any_hit
    key = _keys(all_options, env, size)
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for k, p in enumerate(patterns):
        care, want = _care_want(p)
        at_l, want_l = groups.setdefault(care, ([], []))
        at_l.append(k)
        want_l.append(want)
    best = np.full(size, len(patterns), dtype=np.int64)
    for care, (idx_l, wants_l) in groups.items():
        idx, wants = np.array(idx_l, dtype=np.int64), np.array(wants_l, dtype=np.int64)
        order = np.lexsort((idx, wants))  # by wanted bits, then pattern order
        distinct, start, inv, n_each = np.unique(
            wants[order], return_index=True, return_inverse=True, return_counts=True
        )
        kc = key & care
        at = np.minimum(np.searchsorted(distinct, kc), distinct.size - 1)
        hit = (distinct[at] == kc) & inside
        best = np.where(hit, np.minimum(best, idx[order][start][at]), best)
        count += np.where(hit, n_each[at], 0)
        any_hit[idx[order]] = np.bincount(at[hit], minlength=distinct.size)[inv] > 0
    first = np.where(best < len(patterns), best, -1)
    return first, count, any_hit


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
        where = [(g, k) for g, group in enumerate(pref.ranking) for k in range(len(group))]
        flat = [p for group in pref.ranking for p in group]
        _, count, hits = pattern_hits(flat, cf.option_ids, env, size, feasible)
        for (g, k), pattern, hit in zip(where, flat, hits.tolist(), strict=True):
            if not hit:
                out.append(
                    (
                        (*path, g, k),
                        f"'{pattern}' is not a feasible state",
                        "remove it: the infeasibility rules exclude it",
                    )
                )
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
