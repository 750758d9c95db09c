"""Robustness radius of GMCR equilibria: the fewest adjacent swaps that remove one.

A decision maker's preference is a ranking of the feasible states in levels (ties share
a level). An *adjacent swap* exchanges the levels of two states in adjacent levels
(for a strict ranking: an adjacent transposition, one unit of Kendall's tau distance).
The radius of an equilibrium is the fewest swaps, in any one decision maker's ranking,
after which it is no longer an equilibrium.

- Nash (closed form): s stays Nash-stable for i while no state t that i can reach
  from s in one move is preferred to s; each swap raises t at most one level, and t
  passes s by the swap with s itself, so the radius is min over i and t in R_i(s) of
  max(1, level_i(s) - level_i(t)).
- GMR, SMR, SEQ (bounded search): every ranking within ``bound`` swaps of a decision
  maker's own is tried (breadth first) and the stability analysis rerun on it
  (:func:`detente.conflict.stability.analyze_stability` with the changed utilities);
  the radius is exact when found within the bound, else reported as "more than bound".
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from detente.conflict.analysis import ConflictAnalysis
from detente.conflict.concepts import Concept
from detente.conflict.moves import MoveStructure, neighbours
from detente.conflict.stability import StabilityAnalysis, analyze_stability
from detente.robustness.results import Flip

__all__ = ["MAX_BOUND", "equilibrium_radii", "search_radii", "swap_support"]

MAX_BOUND = 3  # swaps searched for GMR, SMR and SEQ
_CONCEPTS: tuple[Concept, ...] = ("nash", "gmr", "smr", "seq")
_CONCEPT: dict[str, Concept] = {c: c for c in _CONCEPTS}
_MAX_TRIES = 20_000  # rankings tried per decision maker at most
# searches done in this process, by conflict (content, not identity), bound and keys: a
# scenario analysed again (another seed or draw count, a report, the web app) redoes
# none of its stability analyses (about 2 ms each, hundreds per search)
_FOUND: dict[tuple[object, ...], dict[str, tuple[int, str]]] = {}
_MEMO = 32
_LOCK = threading.Lock()  # a run on a cluster computes the radii in a thread
Arr = npt.NDArray[np.int64]


def _levels(st_ranks: Arr) -> Arr:
    return np.asarray(st_ranks, dtype=np.int64)


def _neighbours(level: Arr) -> list[Arr]:
    """Rankings one adjacent swap away (states at levels L and L+1 exchange levels)."""
    out = []
    top = int(level.max()) if level.size else -1
    for lv in range(top):
        lo = np.flatnonzero(level == lv)
        hi = np.flatnonzero(level == lv + 1)
        for a in lo:
            for b in hi:
                nxt = level.copy()
                nxt[a], nxt[b] = lv + 1, lv
                out.append(nxt)
    return out


def equilibrium_radii(c: ConflictAnalysis, bound: int = 2) -> Mapping[str, Flip | None]:
    """Per ``CONCEPT:STATE`` equilibrium, its radius as a :class:`Flip` (None: > bound).

    ``distance`` is the number of swaps, ``norm`` ``kendall-tau``, ``changes`` maps
    ``conflict.preferences.DM`` to the swaps in that decision maker's ranking.
    """
    st = c.stability
    out: dict[str, Flip | None] = {}
    for concept in _CONCEPTS:
        for state in st.equilibria(concept):
            out[f"{concept}:{state}"] = _nash_radius(c, state) if concept == "nash" else None
    searched = [k for k in out if not k.startswith("nash:")]
    out.update(search_radii(c, searched, bound))
    return out


def search_radii(c: ConflictAnalysis, keys: list[str], bound: int) -> dict[str, Flip | None]:
    """The radius of each ``CONCEPT:STATE`` in ``keys`` by breadth-first search (module)."""
    st = c.stability
    out: dict[str, Flip | None] = {k: None for k in keys}
    searched = list(keys)
    if not searched:
        return out
    bound = min(bound, MAX_BOUND)
    memo = (_conflict_key(st), bound, tuple(searched))
    with _LOCK:
        found = _FOUND.get(memo)
    if found is None:
        found = _search(st, searched, bound)
        with _LOCK:
            _FOUND[memo] = found
            while len(_FOUND) > _MEMO:
                _FOUND.pop(next(iter(_FOUND)))
    for k in searched:
        if k in found:
            depth, dm = found[k]
            out[k] = Flip(float(depth), "kendall-tau", True, "preferences",
                          {f"conflict.preferences.{dm}": float(depth)})  # fmt: skip
    return out


def _conflict_key(st: StabilityAnalysis) -> tuple[object, ...]:
    """Everything the stability analysis reads: the state space, moves and utilities."""
    cc = st.conflict
    return (
        cc.options,
        tuple((d.party, d.options, d.lo, d.hi) for d in cc.decision_makers),
        cc.feasible.tobytes(),
        cc.codes.tobytes(),
        cc.forward,
        cc.backward,
        tuple(
            (dm, np.asarray(st.utilities[dm]).dtype.str, np.asarray(st.utilities[dm]).tobytes())
            for dm in st.dm_ids
        ),
    )


def _search(st: StabilityAnalysis, searched: list[str], bound: int) -> dict[str, tuple[int, str]]:
    """Per key found within ``bound`` swaps, its radius and the decision maker swapped."""
    cc = st.conflict
    fid = cc.codes
    found: dict[str, tuple[int, str]] = {}
    base_utils = {dm: np.asarray(st.utilities[dm]) for dm in st.dm_ids}
    # Nash, GMR and SMR stability of s for the swapped decision maker read its ranking
    # only as which states it ranks above, with or below s, and the others' do not read
    # it at all (analyze_stability reuses them): a ranking keeping that relation keeps
    # such an equilibrium, so its analysis is skipped (SEQ sanctions read every ranking)
    local = {
        k for k in searched
        if k.split(":")[0] != "seq"
        and st.equilibrium_mask(_CONCEPT[k.split(":")[0]])[int(k.split(":")[1]) - 1]
    }  # fmt: skip
    for dm in st.dm_ids:
        start = _levels(st.ranks[dm])
        rel = {k: np.sign(start - start[int(k.split(":")[1]) - 1]) for k in local}

        def same(cand: Arr, k: str, rel: dict[str, Arr] = rel) -> bool:
            return bool(np.array_equal(np.sign(cand - cand[int(k.split(":")[1]) - 1]), rel[k]))

        seen = {start.tobytes()}
        frontier = [start]
        tries = 0
        for depth in range(1, bound + 1):
            nxt: list[Arr] = []
            for lv in frontier:
                if all(k in found and found[k][0] <= depth for k in searched):
                    break  # nothing left that this depth could find or improve
                for cand in _neighbours(lv):
                    b = cand.tobytes()
                    if b in seen:
                        continue
                    seen.add(b)
                    tries += 1
                    if tries > _MAX_TRIES:
                        break
                    nxt.append(cand)
                    if all(
                        (k in found and found[k][0] <= depth) or (k in local and same(cand, k))
                        for k in searched
                    ):
                        continue  # every key left stands on a relation this swap kept
                    util = np.full(1 << cc.n_options, -1, dtype=np.int64)
                    util[fid] = cand
                    again = analyze_stability(cc, {**base_utils, dm: util}, reuse=st, changed=dm)
                    for k in searched:
                        if k in found and found[k][0] <= depth:
                            continue
                        concept, state = _CONCEPT[k.split(":")[0]], int(k.split(":")[1])
                        if not again.equilibrium_mask(concept)[state - 1]:
                            found[k] = (depth, dm)
                    if all(k in found and found[k][0] <= depth for k in searched):
                        break
            frontier = nxt
            if all(k in found for k in searched) or not frontier:
                break
    return found


def _nash_radius(c: ConflictAnalysis, state: int) -> Flip | None:
    st = c.stability
    cc = st.conflict
    code = int(cc.codes[state - 1])
    best: tuple[int, str] | None = None
    for d in cc.decision_makers:
        level = np.asarray(st.ranks[d.party], dtype=np.int64)
        ms = MoveStructure.of(cc, d)
        for t in neighbours(cc, ms, code):
            tid = int(np.searchsorted(cc.codes, t))
            swaps = max(1, int(level[state - 1] - level[tid]))
            if best is None or swaps < best[0]:
                best = (swaps, d.party)
    if best is None:
        return None
    return Flip(float(best[0]), "kendall-tau", True, "preferences",
                {f"conflict.preferences.{best[1]}": float(best[0])})  # fmt: skip


def swap_support(
    c: ConflictAnalysis,
    swaps: Sequence[tuple[str, int]],
    seed: int,
    bounds: Sequence[tuple[int, int]],
    stream: int,
) -> dict[str, int]:
    """Per ``CONCEPT:STATE`` equilibrium, the draws (of the chunks ``bounds``) keeping it.

    Each draw applies to each listed decision maker's ranking a number of random
    adjacent swaps drawn uniformly from 0..N (its ``swaps: N``), each swap uniform over
    the adjacent pairs of the current ranking. Chunk k draws from child ``stream`` of
    ``SeedSequence(seed, spawn_key=(k,))``, so the draws do not depend on workers and
    a short run is a prefix of a long one. The stability analysis runs once per
    distinct combination of rankings.
    """
    st = c.stability
    cc = st.conflict
    fid = cc.codes
    keys = [f"{con}:{s}" for con in _CONCEPTS for s in st.equilibria(con)]
    counts = dict.fromkeys(keys, 0)
    dms = [(dm, k) for dm, k in swaps if dm in st.dm_ids]
    if not dms:
        for _, n in bounds:
            for key in keys:
                counts[key] += n
        return counts
    start = {dm: _levels(st.ranks[dm]) for dm, _ in dms}
    base_utils = {dm: np.asarray(st.utilities[dm]) for dm in st.dm_ids}
    cache: dict[bytes, frozenset[str]] = {}
    for k, n in bounds:
        child = np.random.SeedSequence(seed, spawn_key=(k,)).spawn(stream + 1)[stream]
        rng = np.random.Generator(np.random.PCG64(child))
        for _ in range(n):
            ranks = {}
            for dm, most in dms:
                lv = start[dm]
                for _ in range(int(rng.integers(0, most + 1))):
                    options = _neighbours(lv)
                    if not options:
                        break
                    lv = options[int(rng.integers(0, len(options)))]
                ranks[dm] = lv
            tag = b"".join(ranks[dm].tobytes() for dm, _ in dms)
            kept = cache.get(tag)
            if kept is None:
                utils = dict(base_utils)
                for dm, lv in ranks.items():
                    util = np.full(1 << cc.n_options, -1, dtype=np.int64)
                    util[fid] = lv
                    utils[dm] = util
                one = dms[0][0] if len(dms) == 1 else None  # one ranking moved: reuse the rest
                again = analyze_stability(cc, utils, reuse=st if one else None, changed=one)
                kept = frozenset(
                    key for key in keys
                    if again.equilibrium_mask(_CONCEPT[key.split(":")[0]])[int(key.split(":")[1]) - 1]
                )  # fmt: skip
                cache[tag] = kept
            for key in kept:
                counts[key] += 1
    return counts
