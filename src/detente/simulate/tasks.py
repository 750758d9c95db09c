"""A tournament's tasks and where they run: in this process, on local processes, on Dask.

A *task* is a list of negotiations (assignment, repetition) of one scenario
(:func:`tasks_of`); :func:`play_task` plays them and returns one row each. A scenario's
tasks are as large as :data:`TASK_SIZE` allows, so a worker that plays a scenario usually
plays all of it and prepares its arena and reference points once, except the scenarios
of the run's last eighth, which are cut into tasks of :data:`TAIL_SIZE` so that the
workers finish together.

Where the state comes from:

- in this process, and on *forked* local workers: each scenario's
  :class:`~detente.simulate.arena.Arena` and
  :class:`~detente.simulate.metrics.Reference` are made the first time a task needs
  them. Forked workers inherit the checked scenarios (nothing is pickled), start before
  any arena exists (the parent's serial share is the fork itself), and inherit the
  parent's one-thread BLAS limit;
- on *spawned* local workers (platforms without fork; scenarios do not pickle) and on
  Dask: the parent prepares every arena and reference and ships each once per worker
  (the pool's initializer; ``scatter(..., broadcast=True)``), then only task keys.

Every negotiation is seeded by its key alone (:mod:`detente.simulate.tournament`), so
the rows do not depend on the back end, the task shapes or the order of completion.
"""

from __future__ import annotations

import gc
import importlib
import itertools
import json
import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, cast

import numpy as np

from detente.blas import one_blas_thread
from detente.scenario.checked import Scenario
from detente.simulate.arena import Arena, prepare
from detente.simulate.forked import run_forked
from detente.simulate.metrics import Reference, metric_columns, reference
from detente.simulate.sao import run_sao
from detente.simulate.strategies.registry import Spec, make

__all__ = [
    "TAIL_SIZE",
    "TASK_SIZE",
    "Key",
    "LazyGenerator",
    "Row",
    "Task",
    "play_task",
    "run_dask",
    "run_local",
    "tasks_of",
]

TASK_SIZE = 1000  # negotiations per task at most
TAIL_SIZE = 100  # negotiations per task in the run's last eighth
Key = tuple[int, int, int]  # (scenario index, assignment index, repetition)
Row = dict[str, Any]
Task = tuple[int, list[tuple[int, int]]]  # (scenario index, [(assignment, repetition), ...])


def assignments(n_strategies: int, k: int) -> list[tuple[int, ...]]:
    """Every assignment of ``n_strategies`` strategies to ``k`` seats, in product order."""
    return list(itertools.product(range(n_strategies), repeat=k))


def tasks_of(
    n_parties: Sequence[int], n_strategies: int, repetitions: int, skip: Iterable[Key] = ()
) -> list[Task]:
    """The tasks, without ``skip`` (module docstring for their sizes)."""
    done = set(skip)
    per = [
        [
            (a, r)
            for a in range(n_strategies**k)
            for r in range(repetitions)
            if (i, a, r) not in done
        ]
        for i, k in enumerate(n_parties)
    ]
    total = sum(map(len, per))
    out: list[Task] = []
    left = total
    for i, keys in enumerate(per):
        left -= len(keys)
        # the scenario ends within the last eighth: small tasks, for an even finish
        size = TAIL_SIZE if 8 * left < total else TASK_SIZE
        out += [(i, keys[j : j + size]) for j in range(0, len(keys), size)]
    return out


class LazyGenerator:
    """Party ``i``'s generator of negotiation ``key``, made on first use.

    The same stream as ``generators(seed, key, k)[i]``
    (:func:`~detente.simulate.simulation.generators`: child i of ``SeedSequence(seed,
    spawn_key=key)`` is ``SeedSequence(seed, spawn_key=key + (i,))``), for strategies that
    never draw (every time-based one): seeding a generator costs about 50 us, as much as
    the rest of a 50-step negotiation.
    """

    __slots__ = ("_args", "_g")

    def __init__(self, seed: int, key: tuple[int, ...]) -> None:
        self._args = (seed, key)
        self._g: np.random.Generator | None = None

    def __getattr__(self, name: str) -> Any:
        if self._g is None:
            seed, key = self._args
            ss = np.random.SeedSequence(seed, spawn_key=key)
            self._g = np.random.Generator(np.random.PCG64(ss))
        return getattr(self._g, name)


def play_task(
    arena: Arena,
    ref: Reference,
    index: int,
    specs: Sequence[Spec],
    keys: Sequence[tuple[int, int]],
    *,
    steps: int,
    seed: int,
) -> list[Row]:
    """Play the negotiations ``keys`` of scenario ``index``; one row each."""
    k = len(arena.parties)
    seats = assignments(len(specs), k)
    raws = []
    seed = int(seed)
    for a, r in keys:
        negs = [make(specs[j]) for j in seats[a]]
        lazy = [LazyGenerator(seed, (index, a, r, i)) for i in range(k)]
        rngs = cast(list[np.random.Generator], lazy)
        raws.append(run_sao(arena, negs, steps=steps, rngs=rngs, keep_trace=False))
    agreed = np.array([x.agreed for x in raws], dtype=np.bool_)
    outs = np.array([max(x.agreement, 0) for x in raws], dtype=np.int64)
    pts = arena.utilities[:, outs].T if len(raws) else np.zeros((0, k))
    cols = metric_columns(ref, pts, agreed)
    terms: dict[int, str] = {}  # an agreement's terms, encoded once per task
    rows: list[Row] = []
    for j, ((a, r), x) in enumerate(zip(keys, raws, strict=True)):
        if x.agreed and x.agreement not in terms:
            terms[x.agreement] = json.dumps(arena.terms(x.agreement), sort_keys=False)
        rows.append(
            {
                "scenario": arena.scenario,
                "scenario_index": index,
                "assignment": a,
                "repetition": r,
                "seed": seed,
                "parties": list(arena.parties),
                "strategies": [specs[s].text for s in seats[a]],
                "agreement": bool(x.agreed),
                "agreement_step": int(x.agreement_step),
                "steps": int(x.steps),
                "terms": terms[x.agreement] if x.agreed else None,
                "utilities": [round(float(v), 12) for v in cols["point"][j]],
                "gains": [round(float(v), 12) for v in cols["gains"][j]],
                "welfare": round(float(cols["welfare"][j]), 12),
                "distance_frontier": _opt(cols["distance_frontier"][j]),
                "distance_nash": _opt(cols["distance_nash"][j]),
                "distance_kalai_smorodinsky": _opt(cols["distance_kalai_smorodinsky"][j]),
                "on_frontier": bool(cols["on_frontier"][j]),
            }
        )
    return rows


def _opt(x: float) -> float | None:
    return None if math.isnan(float(x)) else round(float(x), 12)


class _Player:
    """Plays tasks, preparing each scenario's arena and reference when first needed."""

    def __init__(
        self,
        specs: Sequence[Spec],
        scenarios: Sequence[Scenario] | None,
        arenas: Mapping[int, Arena] | None = None,
        refs: Mapping[int, Reference] | None = None,
    ) -> None:
        self.specs = list(specs)
        self.scenarios = scenarios
        self.arenas = dict(arenas or {})
        self.refs = dict(refs or {})

    def play(self, index: int, keys: list[tuple[int, int]], steps: int, seed: int) -> list[Row]:
        arena = self.arenas.get(index)
        ref = self.refs.get(index)
        if arena is None or ref is None:
            assert self.scenarios is not None
            s = self.scenarios[index]
            arena = self.arenas[index] = prepare(s) if arena is None else arena
            ref = self.refs[index] = reference(s) if ref is None else ref
        return play_task(arena, ref, index, self.specs, keys, steps=steps, seed=seed)


_WORKER: dict[str, Any] = {}


def _init_worker(player: _Player) -> None:
    _WORKER["player"] = player
    _WORKER["blas"] = one_blas_thread()  # spawned workers start unpinned: for their lifetime


def _pool_task(index: int, keys: list[tuple[int, int]], steps: int, seed: int) -> list[Row]:
    player: _Player = _WORKER["player"]
    return player.play(index, keys, steps, seed)


def run_local(
    scenarios: list[Scenario],
    specs: list[Spec],
    tasks: list[Task],
    steps: int,
    seed: int,
    workers: int,
) -> Iterator[list[Row]]:
    """Every task's rows, in order of completion, from ``workers`` local processes."""
    if workers <= 1:
        player = _Player(specs, scenarios)
        for i, keys in tasks:
            yield player.play(i, keys, steps, seed)
        return
    if hasattr(os, "fork"):  # POSIX (without importing multiprocessing: 10-30 ms)
        player = _Player(specs, scenarios)
        # what each worker's first reference imports, imported once before the fork
        importlib.import_module("detente.deal.analysis")
        # inherited objects out of the collector's reach: the workers' collections would
        # otherwise write to (and copy) every page they share with this process. Frozen
        # already (run_tournament, a caller): what was made since is frozen too, and
        # thawed by whoever froze first
        freeze = gc.get_freeze_count() == 0
        gc.freeze()
        try:
            yield from run_forked(
                lambda j: player.play(*tasks[j], steps, seed), len(tasks), workers
            )
        finally:
            if freeze:
                gc.unfreeze()
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # spawned workers (scenarios do not pickle): every arena and reference made here
    used = sorted({i for i, _ in tasks})
    player = _Player(
        specs,
        None,
        {i: prepare(scenarios[i]) for i in used},
        {i: reference(scenarios[i]) for i in used},
    )
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=mp.get_context("spawn"),
        initializer=_init_worker,
        initargs=(player,),
    ) as pool:
        futures = [pool.submit(_pool_task, i, keys, steps, seed) for i, keys in tasks]
        for f in as_completed(futures):
            yield f.result()


def _dask_task(
    arena: Arena,
    ref: Reference,
    index: int,
    specs: list[Spec],
    keys: list[tuple[int, int]],
    steps: int,
    seed: int,
) -> list[Row]:
    return play_task(arena, ref, index, specs, keys, steps=steps, seed=seed)


def run_dask(
    client: Any,
    scenarios: list[Scenario],
    specs: list[Spec],
    tasks: list[Task],
    steps: int,
    seed: int,
) -> Iterator[list[Row]]:
    """Every task's rows, in order of completion, from a Dask cluster."""
    from distributed import as_completed

    used = sorted({i for i, _ in tasks})
    shipped_a = dict(zip(used, client.scatter([prepare(scenarios[i]) for i in used],
                                               broadcast=True), strict=True))  # fmt: skip
    shipped_r = dict(zip(used, client.scatter([reference(scenarios[i]) for i in used],
                                               broadcast=True), strict=True))  # fmt: skip
    futures = [
        client.submit(
            _dask_task, shipped_a[i], shipped_r[i], i, specs, keys, steps, seed, pure=False
        )
        for i, keys in tasks
    ]
    for f in as_completed(futures):  # type: ignore[no-untyped-call]
        yield f.result()
