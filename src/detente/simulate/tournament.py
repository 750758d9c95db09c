"""Tournaments: every seating of strategies on every scenario, repeated, with a ranking.

For each scenario with k bargaining parties and strategies S, every assignment of
strategies to the k seats is played (the cartesian product S^k: self-play and every
rotation included), ``repetitions`` times, under SAO with the scenario's turn order.
Negotiation (scenario i, assignment a, repetition r) draws its randomness from
``SeedSequence(seed, spawn_key=(i, a, r))``, so every negotiation's result is fixed by
``seed`` alone: the same on one process, on K local processes or on a Dask cluster, in
any order, and a resumed run (``skip``) redoes nothing and repeats nothing.

Work is split into *tasks* of up to :data:`TASK_SIZE` negotiations of one scenario; each
worker receives a scenario's :class:`~detente.simulate.arena.Arena` and
:class:`~detente.simulate.metrics.Reference` once (a process pool's initializer; Dask's
``scatter(..., broadcast=True)``), then only task keys. Dask is optional (the
``[distributed]`` extra) and imported only when an address or client is given.

The ranking: per strategy, every seat it played (over all scenarios, seatings and
repetitions) gives one sample of the utility that seat obtained (its reservation when
there was no agreement, :mod:`detente.simulate.metrics`); strategies are ranked by the
mean, with a normal 95% confidence interval mean +- 1.96 s / sqrt(n) (s the sample
standard deviation), alongside the mean gain over reservation and the agreement rate.
Nothing here reads or writes files: the command line stores rows (Parquet) and hands
the keys already done back as ``skip``.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from detente.blas import one_blas_thread
from detente.errors import DetenteError
from detente.scenario.checked import Scenario, ScenarioLike
from detente.simulate.arena import Arena, prepare
from detente.simulate.metrics import Reference, metric_columns, reference
from detente.simulate.sao import run_sao
from detente.simulate.simulation import generators
from detente.simulate.strategies.registry import Spec, make, parse

__all__ = [
    "COLUMNS",
    "TASK_SIZE",
    "RankRow",
    "Tournament",
    "play_task",
    "ranking",
    "run_tournament",
    "tasks_of",
]

TASK_SIZE = 200  # negotiations per task
Key = tuple[int, int, int]  # (scenario index, assignment index, repetition)
Row = dict[str, Any]
Progress = Callable[[int, int], None]

COLUMNS = (
    "scenario",
    "scenario_index",
    "assignment",
    "repetition",
    "seed",
    "parties",
    "strategies",
    "agreement",
    "agreement_step",
    "steps",
    "terms",
    "utilities",
    "gains",
    "welfare",
    "distance_frontier",
    "distance_nash",
    "distance_kalai_smorodinsky",
    "on_frontier",
)


@dataclass(frozen=True)
class RankRow:
    """One strategy's record over every seat it played (module docstring)."""

    strategy: str
    seats: int
    mean_utility: float
    ci_low: float
    ci_high: float
    mean_gain: float
    agreement_rate: float


@dataclass(frozen=True, eq=False)
class Tournament:
    """A tournament's rows (one per negotiation, :data:`COLUMNS`) and its ranking."""

    scenario: str
    method: str
    exact: bool
    parameters: Mapping[str, Any]
    notes: tuple[str, ...]
    scenarios: tuple[str, ...]
    strategies: tuple[str, ...]
    rows: tuple[Row, ...]
    ranking: tuple[RankRow, ...]
    skipped: int

    @property
    def table(self) -> tuple[Row, ...]:
        """The rows played in this run (resumed runs: the new ones only)."""
        return self.rows


def _assignments(n_strategies: int, k: int) -> list[tuple[int, ...]]:
    return list(itertools.product(range(n_strategies), repeat=k))


def tasks_of(
    n_parties: Sequence[int], n_strategies: int, repetitions: int, skip: Iterable[Key] = ()
) -> list[tuple[int, list[tuple[int, int]]]]:
    """The tasks: (scenario index, [(assignment, repetition), ...]) without ``skip``."""
    done = set(skip)
    out: list[tuple[int, list[tuple[int, int]]]] = []
    for i, k in enumerate(n_parties):
        keys = [
            (a, r)
            for a in range(n_strategies**k)
            for r in range(repetitions)
            if (i, a, r) not in done
        ]
        out += [(i, keys[j : j + TASK_SIZE]) for j in range(0, len(keys), TASK_SIZE)]
    return out


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
    seats = _assignments(len(specs), k)
    raws = []
    for a, r in keys:
        negs = [make(specs[j]) for j in seats[a]]
        rngs = generators(seed, (index, a, r), k)
        raws.append(run_sao(arena, negs, steps=steps, rngs=rngs))
    agreed = np.array([x.agreed for x in raws], dtype=np.bool_)
    outs = np.array([max(x.agreement, 0) for x in raws], dtype=np.int64)
    pts = arena.utilities[:, outs].T if len(raws) else np.zeros((0, k))
    cols = metric_columns(ref, pts, agreed)
    rows: list[Row] = []
    for j, ((a, r), x) in enumerate(zip(keys, raws, strict=True)):
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
                "terms": None if not x.agreed else _terms_text(arena, x.agreement),
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


def _terms_text(arena: Arena, outcome: int) -> str:
    import json

    return json.dumps(arena.terms(outcome), sort_keys=False)


def _opt(x: float) -> float | None:
    return None if math.isnan(float(x)) else round(float(x), 12)


def ranking(rows: Iterable[Row]) -> tuple[RankRow, ...]:
    """Strategies ranked by the mean utility of their seats (module docstring)."""
    util: dict[str, list[float]] = {}
    gain: dict[str, list[float]] = {}
    agree: dict[str, list[bool]] = {}
    for row in rows:
        for s, u, g in zip(row["strategies"], row["utilities"], row["gains"], strict=True):
            util.setdefault(s, []).append(float(u))
            gain.setdefault(s, []).append(float(g))
            agree.setdefault(s, []).append(bool(row["agreement"]))
    out = []
    for s, us in util.items():
        v = np.array(us)
        n = len(v)
        sd = float(v.std(ddof=1)) if n > 1 else 0.0
        half = 1.96 * sd / math.sqrt(n) if n > 1 else float("nan")
        m = float(v.mean())
        out.append(
            RankRow(
                strategy=s,
                seats=n,
                mean_utility=round(m, 9),
                ci_low=round(m - half, 9),
                ci_high=round(m + half, 9),
                mean_gain=round(float(np.mean(gain[s])), 9),
                agreement_rate=round(float(np.mean(agree[s])), 9),
            )
        )
    out.sort(key=lambda r: (-r.mean_utility, r.strategy))
    return tuple(out)


# -- back ends: in process, a local process pool, Dask ---------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(
    arenas: list[Arena],
    refs: list[Reference] | None,
    scenarios: list[Scenario] | None,
    specs: list[Spec],
) -> None:
    """A pool worker's state: the arenas, and the references or the scenarios.

    Forked workers inherit the scenarios and compute each reference the first time they
    need it, so the parent's serial share shrinks.
    """
    _WORKER.update(arenas=arenas, refs=dict(enumerate(refs or ())), scenarios=scenarios)
    _WORKER["specs"] = specs
    _WORKER["blas"] = one_blas_thread()  # for the worker's lifetime (spawned ones start unpinned)


def _pool_task(index: int, keys: list[tuple[int, int]], steps: int, seed: int) -> list[Row]:
    refs: dict[int, Reference] = _WORKER["refs"]
    if index not in refs:
        refs[index] = reference(_WORKER["scenarios"][index])
    return play_task(
        _WORKER["arenas"][index],
        refs[index],
        index,
        _WORKER["specs"],
        keys,
        steps=steps,
        seed=seed,
    )


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


def _run_local(
    arenas: list[Arena],
    scenarios: list[Scenario],
    specs: list[Spec],
    tasks: list[tuple[int, list[tuple[int, int]]]],
    steps: int,
    seed: int,
    workers: int,
) -> Iterator[list[Row]]:
    if workers <= 1:
        refs: dict[int, Reference] = {}
        for i, keys in tasks:
            if i not in refs:
                refs[i] = reference(scenarios[i])
            yield play_task(arenas[i], refs[i], i, specs, keys, steps=steps, seed=seed)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # fork where there is one (workers start in milliseconds, arenas and scenarios
    # inherited, each reference computed by a worker); spawn elsewhere (scenarios do not
    # pickle: the references are computed here and sent)
    fork = "fork" in mp.get_all_start_methods()
    ctx = mp.get_context("fork" if fork else "spawn")
    shipped = (None, scenarios) if fork else ([reference(s) for s in scenarios], None)
    freeze = fork and gc.get_freeze_count() == 0  # a caller's own freeze is left alone
    if fork:
        # what the workers' first reference would import, imported once before they fork;
        # and the inherited objects moved out of the collector's reach, so the workers'
        # collections do not write to (and copy) every page they share with this process
        importlib.import_module("detente.deal.analysis")
    if freeze:
        gc.freeze()
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(arenas, *shipped, specs),
        ) as pool:
            futures = [pool.submit(_pool_task, i, keys, steps, seed) for i, keys in tasks]
            for f in as_completed(futures):
                yield f.result()
    finally:
        if freeze:
            gc.unfreeze()


def _run_dask(
    client: Any,
    arenas: list[Arena],
    refs: list[Reference],
    specs: list[Spec],
    tasks: list[tuple[int, list[tuple[int, int]]]],
    steps: int,
    seed: int,
) -> Iterator[list[Row]]:
    from distributed import as_completed

    shipped_a = client.scatter(arenas, broadcast=True)
    shipped_r = client.scatter(refs, broadcast=True)
    futures = [
        client.submit(
            _dask_task, shipped_a[i], shipped_r[i], i, specs, keys, steps, seed, pure=False
        )
        for i, keys in tasks
    ]
    for f in as_completed(futures):  # type: ignore[no-untyped-call]
        yield f.result()


def run_tournament(
    scenarios: Sequence[ScenarioLike],
    *,
    strategies: Sequence[str],
    steps: int = 100,
    repetitions: int = 1,
    seed: int = 0,
    workers: int = 1,
    dask: Any = None,
    skip: Iterable[Key] = (),
    on_rows: Callable[[list[Row]], None] | None = None,
    progress: Progress | None = None,
) -> Tournament:
    """Play a tournament (module docstring) and rank the strategies.

    Parameters
    ----------
    strategies:
        Strategy specs (:func:`~detente.simulate.strategies.registry.parse`).
    workers:
        Local processes (1: in this process).
    dask:
        A Dask scheduler address (``tcp://host:port``) or a ``distributed.Client``.
    skip:
        Keys (scenario index, assignment, repetition) already played (a resumed run).
    on_rows:
        Called with every task's rows as soon as they arrive (to store them).
    progress:
        Called with (negotiations done, negotiations to play).
    """
    if not strategies:
        raise DetenteError("a tournament needs at least one strategy")
    if steps < 1 or repetitions < 1:
        raise DetenteError("--steps and --repetitions must be at least 1")
    specs = [parse(s) for s in strategies]
    checked = [Scenario.of(s) for s in scenarios]
    pinned = contextlib.ExitStack()
    if dask is None and workers > 1:  # from the first BLAS call on: see detente.blas
        pinned.enter_context(one_blas_thread())
    with pinned:
        return _tournament(
            checked, specs, steps, repetitions, seed, workers, dask, skip, on_rows, progress
        )


def _tournament(
    checked: list[Scenario],
    specs: list[Spec],
    steps: int,
    repetitions: int,
    seed: int,
    workers: int,
    dask: Any,
    skip: Iterable[Key],
    on_rows: Callable[[list[Row]], None] | None,
    progress: Progress | None,
) -> Tournament:
    arenas = [prepare(s) for s in checked]
    skip = set(skip)
    tasks = tasks_of([len(a.parties) for a in arenas], len(specs), repetitions, skip)
    total = sum(len(k) for _, k in tasks)
    own_client: Any = None
    if dask is not None:
        client = dask
        if isinstance(dask, str):
            from distributed import Client

            client = own_client = Client(dask)  # type: ignore[no-untyped-call]
        refs = [reference(s) for s in checked]
        stream = _run_dask(client, arenas, refs, specs, tasks, steps, seed)
    else:
        stream = _run_local(arenas, checked, specs, tasks, steps, seed, workers)
    rows: list[Row] = []
    done = 0
    try:
        for batch in stream:
            rows.extend(batch)
            done += len(batch)
            if on_rows is not None:
                on_rows(batch)
            if progress is not None:
                progress(done, total)
    finally:
        if own_client is not None:
            own_client.close()
    rows.sort(key=lambda r: (r["scenario_index"], r["assignment"], r["repetition"]))
    return Tournament(
        scenario=",".join(a.scenario for a in arenas),
        method="sao",
        exact=True,
        parameters={
            "strategies": [s.text for s in specs],
            "steps": steps,
            "repetitions": repetitions,
            "seed": seed,
            "workers": workers,
            "dask": dask is not None,
        },
        notes=(),
        scenarios=tuple(a.scenario for a in arenas),
        strategies=tuple(s.text for s in specs),
        rows=tuple(rows),
        ranking=ranking(rows),
        skipped=len(skip),
    )
