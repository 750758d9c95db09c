"""Tournament tasks and the forked workers: every key once, the same streams, failures."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import examples

from detente.errors import DetenteError
from detente.simulate.forked import run_forked
from detente.simulate.simulation import generators
from detente.simulate.tasks import TAIL_SIZE, TASK_SIZE, LazyGenerator, tasks_of

fork_only = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX fork")


@settings(max_examples=examples(60), deadline=None)
@given(
    st.lists(st.integers(1, 3), min_size=1, max_size=6),
    st.integers(1, 4),
    st.integers(1, 40),
    st.sets(st.tuples(st.integers(0, 5), st.integers(0, 63), st.integers(0, 39)), max_size=50),
)
def test_tasks_hold_every_key_once(
    parties: list[int], n: int, reps: int, skip: set[tuple[int, int, int]]
) -> None:
    tasks = tasks_of(parties, n, reps, skip)
    keys = [(i, a, r) for i, ks in tasks for a, r in ks]
    want = {
        (i, a, r) for i, k in enumerate(parties) for a in range(n**k) for r in range(reps)
    } - skip
    assert len(keys) == len(set(keys)) and set(keys) == want
    assert all(0 < len(ks) <= TASK_SIZE for _, ks in tasks)
    # the last task is a tail one whenever the run is bigger than a tail task
    if tasks and len(keys) > TAIL_SIZE:
        assert len(tasks[-1][1]) <= TAIL_SIZE


def test_a_large_scenario_is_one_task_until_the_tail() -> None:
    # 60 scenarios of 9 seatings x 100 repetitions: 900 negotiations each
    tasks = tasks_of([2] * 60, 3, 100)
    sizes = [len(k) for _, k in tasks]
    whole = [i for i, k in tasks if len(k) == 900]
    assert whole == list(range(len(whole))) and len(whole) >= 50
    assert sum(sizes) == 54_000 and max(sizes[len(whole) :]) <= TAIL_SIZE


@settings(max_examples=examples(30), deadline=None)
@given(
    st.integers(0, 2**32),
    st.lists(st.integers(0, 10**6), min_size=0, max_size=3),
    st.integers(1, 4),
)
def test_lazy_generators_draw_the_same_streams(seed: int, key: list[int], k: int) -> None:
    eager = generators(seed, tuple(key), k)
    for i in range(k):
        lazy = LazyGenerator(seed, (*key, i))
        assert np.array_equal(lazy.integers(0, 2**62, 5), eager[i].integers(0, 2**62, 5))
        assert lazy.random() == eager[i].random()


@fork_only
@pytest.mark.parametrize("workers", [2, 3])
@pytest.mark.parametrize("small_pipes", [False, True])
def test_forked_workers_play_every_task_once(
    workers: int, small_pipes: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from detente.simulate import forked

    if small_pipes:  # pipes of unknown size: the task numbers come from a feeder thread
        monkeypatch.setattr(forked, "_widen", lambda fd: 0)
    me = os.getpid()
    # results of 100 kB: several pipe-fulls when the pipes are not widened
    got = list(run_forked(lambda j: (j, os.getpid() == me, b"x" * 100_000), 40, workers))
    assert sorted(j for j, _, _ in got) == list(range(40))
    assert all(len(x) == 100_000 for _, _, x in got)


@fork_only
def test_a_failure_in_a_worker_is_raised_here() -> None:
    def play(j: int) -> int:
        if j == 7:
            raise ValueError("task seven failed")
        return j

    with pytest.raises(ValueError, match="task seven failed"):
        list(run_forked(play, 30, 2))


def _child_took_one(flag: Path) -> None:
    """Called by the parent on its first task: wait until the child has taken one."""
    end = time.monotonic() + 60  # a generous bound for a loaded machine, not a timing
    while not flag.exists() and time.monotonic() < end:
        time.sleep(0.005)


@fork_only
def test_a_worker_that_dies_is_reported(tmp_path: Path) -> None:
    me, flag = os.getpid(), tmp_path / "child"

    def play(j: int) -> int:
        if os.getpid() != me:
            flag.touch()
            sys.stdout.flush()
            os._exit(3)  # the child dies on its first task
        _child_took_one(flag)
        return j

    with pytest.raises(DetenteError, match="ended before its tasks were done"):
        list(run_forked(play, 20, 2))


def test_a_task_plays_what_run_sao_plays_with_eager_generators() -> None:
    # lazily seeded generators and no trace: the same agreements, steps and seeds
    from tests.simulate.scenarios import three_by_three

    from detente.scenario.checked import Scenario
    from detente.simulate.arena import prepare
    from detente.simulate.metrics import reference
    from detente.simulate.sao import run_sao
    from detente.simulate.strategies.registry import make, parse
    from detente.simulate.tasks import assignments, play_task

    s = Scenario.from_data(three_by_three(third=True))
    arena, ref = prepare(s), reference(s)
    specs = [parse(x) for x in ("random", "linear", "naive-tft")]
    keys = [(a, r) for a in range(27) for r in range(3)]
    rows = play_task(arena, ref, 4, specs, keys, steps=12, seed=9)
    seats = assignments(3, 3)
    for row, (a, r) in zip(rows, keys, strict=True):
        x = run_sao(arena, [make(specs[j]) for j in seats[a]], steps=12,
                    rngs=generators(9, (4, a, r), 3))  # fmt: skip
        assert (row["agreement"], row["agreement_step"], row["steps"]) == (
            x.agreed, x.agreement_step, x.steps
        )  # fmt: skip
        if x.agreed:
            assert row["utilities"] == [
                round(float(v), 12) for v in arena.utilities[:, x.agreement]
            ]
    assert len({r["agreement_step"] for r in rows}) > 1  # the seatings do differ


def _cannot_rebuild(message: str) -> Exception:
    raise TypeError(f"cannot rebuild {message!r}")


class _Odd(Exception):
    """Pickles, but does not unpickle: with or without tblib's exception pickling (which
    distributed installs, and which rebuilds an exception with a custom ``__init__``)."""

    def __init__(self, a: int, b: int) -> None:
        super().__init__(f"odd {a} {b}")

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (_cannot_rebuild, (str(self),))


@fork_only
def test_an_exception_that_does_not_unpickle_still_arrives(tmp_path: Path) -> None:
    me, flag = os.getpid(), tmp_path / "child"

    def play(j: int) -> int:
        if os.getpid() != me:
            flag.touch()
            raise _Odd(1, 2)
        _child_took_one(flag)
        return j

    with pytest.raises(DetenteError, match="in a worker process: _Odd: odd 1 2"):
        list(run_forked(play, 20, 2))
