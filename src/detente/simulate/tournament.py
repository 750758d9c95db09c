"""Tournaments: every seating of strategies on every scenario, repeated, with a ranking.

For each scenario with k bargaining parties and strategies S, every assignment of
strategies to the k seats is played (the cartesian product S^k: self-play and every
rotation included), ``repetitions`` times, under SAO with the scenario's turn order.
Negotiation (scenario i, assignment a, repetition r) draws its randomness from
``SeedSequence(seed, spawn_key=(i, a, r))``, so every negotiation's result is fixed by
``seed`` alone: the same on one process, on K local processes or on a Dask cluster, in
any order, and a resumed run (``skip``) redoes nothing and repeats nothing.

Work is split into *tasks* of up to :data:`TASK_SIZE` negotiations of one scenario
(:mod:`detente.simulate.tasks`, which also runs them); each worker gets a scenario's
:class:`~detente.simulate.arena.Arena` and :class:`~detente.simulate.metrics.Reference`
once (forked local workers make them from the scenarios they inherit; spawned ones and
Dask workers receive them), then only task keys. Dask is optional (the
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
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from detente.blas import one_blas_thread
from detente.errors import DetenteError
from detente.scenario.checked import Scenario, ScenarioLike
from detente.simulate.strategies.registry import Spec, parse
from detente.simulate.tasks import TASK_SIZE, Key, Row, play_task, run_dask, run_local, tasks_of

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
    if gc.get_freeze_count() == 0:  # a caller's own freeze is left alone
        # the caller's heap (its scenarios, their models) out of the collector's reach:
        # the run's collections need not scan it (a full one took 16-27 ms at the start
        # of the 5,400-negotiation benchmark), nor would forked workers copy its pages
        gc.freeze()
        pinned.callback(gc.unfreeze)
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
    skip = set(skip)
    tasks = tasks_of([len(s.bargainers) for s in checked], len(specs), repetitions, skip)
    total = sum(len(k) for _, k in tasks)
    own_client: Any = None
    if dask is not None:
        client = dask
        if isinstance(dask, str):
            from distributed import Client

            client = own_client = Client(dask)  # type: ignore[no-untyped-call]
        stream = run_dask(client, checked, specs, tasks, steps, seed)
    else:
        stream = run_local(checked, specs, tasks, steps, seed, workers)
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
        scenario=",".join(s.id for s in checked),
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
        scenarios=tuple(s.id for s in checked),
        strategies=tuple(s.text for s in specs),
        rows=tuple(rows),
        ranking=ranking(rows),
        skipped=len(skip),
    )
