"""One Dask cluster per test process, for the tests that only need "a running cluster".

``dask scheduler`` and two ``dask worker`` processes on loopback, as a user starts them
(docs: ``--dask ADDRESS``). Starting them (three processes importing distributed) takes
seconds, so the robustness and tournament tests that check "the same results through a
scheduler's address" share them instead of each starting a cluster. Tests of
``--workers K`` (the run starting its own LocalCluster) do not use this.

A session fixture of each conftest or module using it enters :func:`running`: pytest
sees several fixtures, so the processes are kept here, started by the first to enter
and stopped by the last to leave (at the end of the session).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tests.conftest import free_port

# Idle, the three processes' monitors (event-loop ticks every 20 ms, the task profiler
# every 10 ms, system and memory monitors) cost about 9 % of a core, for the rest of the
# session; slowed, about 1.4 %. Monitoring only: what runs and its results are the same.
_QUIET = {
    **os.environ,
    "DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL": "1s",
    "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False",
    "DASK_DISTRIBUTED__ADMIN__SYSTEM_MONITOR__INTERVAL": "5s",
    "DASK_DISTRIBUTED__WORKER__MEMORY__MONITOR_INTERVAL": "1s",
}
_running: list[tuple[str, list[subprocess.Popen[bytes]]]] = []  # (address, processes)
_users = [0]  # fixtures holding them


def _start() -> tuple[str, list[subprocess.Popen[bytes]]]:
    dask = Path(sys.executable).parent / "dask"
    if not dask.exists() and shutil.which("dask") is None:
        pytest.skip("no dask command")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = [str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                 "--no-dashboard"]  # fmt: skip
    # workers without a nanny: a nanny outlives a shutdown by about 8 s, and what is
    # tested here (the same results through a remote scheduler) does not depend on it
    worker = [str(dask), "worker", address, "--nthreads", "1", "--no-dashboard", "--no-nanny"]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_QUIET)
        for cmd in (scheduler, worker, worker)
    ]
    try:
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=30)
    except BaseException:
        _stop(address, procs)
        raise
    return address, procs


def _stop(address: str, procs: list[subprocess.Popen[bytes]]) -> None:
    # ask the scheduler to close itself and its workers, then make sure
    try:
        from distributed import Client

        with Client(address, timeout=10) as client:
            client.shutdown()
    except Exception:  # already gone: terminate below is the fallback
        pass
    for p in procs:
        p.terminate()
    # one grace period for all (a worker busy closing its threads can take a second or
    # more on SIGTERM, at the very end of the session): then killed; a worker's scratch
    # directory left behind is purged by the next worker to start
    deadline = time.monotonic() + 0.3
    for p in procs:
        try:
            p.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)


@contextmanager
def running() -> Iterator[str]:
    """The shared scheduler's address (two single-threaded workers, no nanny, loopback)."""
    pytest.importorskip("distributed")
    if not _running:
        _running.append(_start())
    _users[0] += 1
    try:
        yield _running[0][0]
    finally:
        _users[0] -= 1
        if _users[0] == 0:
            _stop(*_running.pop())
