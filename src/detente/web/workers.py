"""Worker processes with a time limit and a memory limit, and a bounded queue in front.

Every analysis the web app runs is a *task* (a function ``fn(payload, progress)`` named
``"module:function"``, see :mod:`detente.web.tasks`) sent to a warm worker process. A
worker that runs past its time limit is killed; one that allocates past its memory
limit (an address-space limit, ``RLIMIT_AS``) gets a ``MemoryError`` and exits, or dies;
either way it is replaced and the caller gets :class:`TimeLimit` or :class:`MemoryLimit`
(the API answers ``504`` with a message). When every worker is busy and the queue is
full, :meth:`WorkerPool.run` raises :class:`Busy` at once (``429`` and ``Retry-After``).

Workers are forked from a server process that has already imported (and warmed) the
analyses (:mod:`detente.web.preload`), so a replacement starts in well under a second
and the first request does not pay for imports. The parent never imports numpy.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import math
import multiprocessing
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

__all__ = [
    "Busy",
    "Crashed",
    "Failed",
    "Limits",
    "MemoryLimit",
    "TaskError",
    "TimeLimit",
    "WorkerPool",
]

Progress = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Limits:
    """What one task may use: seconds of wall time and megabytes of address space."""

    seconds: float = 30.0
    memory_mb: int = 2048


class TaskError(Exception):
    """A task did not finish; the message is safe to show (no trace, no paths)."""


class Busy(TaskError):
    """Every worker is busy and the queue is full; retry after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"the server is busy; retry in {retry_after} s")
        self.retry_after = retry_after


class TimeLimit(TaskError):
    """The task ran past its time limit and its worker was killed."""


class MemoryLimit(TaskError):
    """The task needed more memory than its limit and its worker was stopped."""


class Crashed(TaskError):
    """The worker died during the task (out of memory in native code, or a crash)."""


class Failed(TaskError):
    """The task raised an unexpected error (its trace went to the server's log)."""


def resolve(name: str) -> Callable[..., Any]:
    """The function named ``"package.module:function"``."""
    module, _, attr = name.partition(":")
    fn = getattr(importlib.import_module(module), attr)
    if not callable(fn):
        raise TypeError(f"{name} is not callable")
    return fn  # type: ignore[no-any-return]


def _address_space() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(conn: Connection, memory_mb: int) -> None:
    """A worker's loop: receive ``(task, payload)``, send progress, then the result."""
    try:
        import resource

        limit = _address_space() + memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # not on Linux: time limit only
        pass
    conn.send(("ready", None))

    def progress(data: dict[str, Any]) -> None:
        conn.send(("progress", data))

    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        name, payload = message
        try:
            result = resolve(name)(payload, progress)
        except MemoryError:
            conn.send(("memory", None))
            return  # a worker that ran out of memory is not reused
        except Exception as err:
            traceback.print_exc(file=sys.stderr)
            conn.send(("failed", type(err).__name__))
            continue
        try:
            conn.send(("ok", result))
        except MemoryError:
            conn.send(("memory", None))
            return


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["detente.web.preload"])
        return ctx
    return multiprocessing.get_context("spawn")


class _Worker:
    """One worker process and its end of the pipe (used from one thread at a time)."""

    def __init__(self, ctx: Any, limits: Limits) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=_child, args=(child, limits.memory_mb), daemon=True, name="detente-worker"
        )
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> bool:
        if not self.conn.poll(timeout):
            return False
        try:
            kind, _ = self.conn.recv()
        except (EOFError, OSError):
            return False
        return bool(kind == "ready")

    def call(self, name: str, payload: Any, seconds: float, on_progress: Progress | None) -> Any:
        deadline = time.monotonic() + seconds
        try:
            self.conn.send((name, payload))
        except (OSError, ValueError):
            raise Crashed("the analysis worker stopped; try again") from None
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self.conn.poll(remaining):
                raise TimeLimit(
                    f"the analysis took longer than its {seconds:g} s time limit and was stopped"
                )
            try:
                kind, data = self.conn.recv()
            except (EOFError, OSError):
                raise Crashed(
                    "the analysis worker stopped (out of memory, or a crash); try a smaller analysis"
                ) from None
            if kind == "progress":
                if on_progress is not None:
                    on_progress(data)
                continue
            if kind == "ok":
                return data
            if kind == "memory":
                raise MemoryLimit("the analysis needed more memory than its limit and was stopped")
            raise Failed("the analysis failed unexpectedly (the server's log has the details)")

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        self.process.join(timeout=2)
        self.kill()


_NONE: Any = object()  # put in the idle queue to wake waiters when no worker starts


class WorkerPool:
    """``size`` warm workers behind a queue of at most ``queue`` waiting tasks.

    Parameters
    ----------
    size:
        Worker processes (tasks run at once).
    limits:
        Default time and memory limit of each task.
    queue:
        Tasks that may wait for a worker; one more is refused with :class:`Busy`.
    """

    def __init__(self, size: int, limits: Limits, queue: int) -> None:
        self.size = max(1, size)
        self.limits = limits
        self.queue = max(0, queue)
        self._ctx = _context()
        self._threads = ThreadPoolExecutor(self.size * 2 + 1, thread_name_prefix="detente-pool")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._waiting = 0
        self._closed = False
        self._failed = 0  # workers that could not be started, in a row
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def ready(self) -> int:
        """Workers started (busy or idle)."""
        return len(self._all)

    @property
    def waiting(self) -> int:
        """Tasks waiting for a worker now."""
        return self._waiting

    async def start(self) -> None:
        """Start the workers (in the background: tasks wait until one is ready)."""
        self._loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            self._replace()

    def _spawn(self) -> _Worker | None:
        for _ in range(3):
            if self._closed:
                return None
            w = _Worker(self._ctx, self.limits)
            if w.wait_ready(120):
                with self._lock:
                    self._all.add(w)
                return w
            w.kill()
        return None

    def _replace(self) -> None:
        assert self._loop is not None

        def ready(fut: Any) -> None:
            w = fut.result()
            if w is None:
                self._failed += 1
                self._wake_waiters()
                return
            self._failed = 0
            if self._closed:
                w.stop()
            elif self._idle is not None:
                self._idle.put_nowait(w)

        fut = self._loop.run_in_executor(self._threads, self._spawn)
        fut.add_done_callback(ready)

    async def run(
        self,
        task: str,
        payload: Any,
        *,
        seconds: float | None = None,
        on_progress: Progress | None = None,
    ) -> Any:
        """Run ``task`` on a worker; raise a :class:`TaskError` when it does not finish."""
        if self._idle is None or self._loop is None:
            raise RuntimeError("the pool is not started")
        limit = self.limits.seconds if seconds is None else seconds
        if self._idle.empty() and self._waiting >= self.queue:
            raise Busy(max(1, math.ceil(min(limit, 10.0) / 2)))
        self._check_started()
        self._waiting += 1
        try:
            worker = await self._idle.get()
        finally:
            self._waiting -= 1
        if worker is _NONE:  # woken because no worker could be started
            self._check_started()
        loop = self._loop
        progress = None
        if on_progress is not None:
            cb = on_progress

            def progress(data: dict[str, Any]) -> None:
                loop.call_soon_threadsafe(cb, data)

        fut = loop.run_in_executor(self._threads, worker.call, task, payload, limit, progress)

        def done(f: asyncio.Future[Any]) -> None:
            err = None if f.cancelled() else f.exception()
            if isinstance(err, (TimeLimit, MemoryLimit, Crashed)) or f.cancelled():
                with self._lock:
                    self._all.discard(worker)
                self._threads.submit(worker.kill)
                if not self._closed:
                    self._replace()
            elif self._idle is not None:
                self._idle.put_nowait(worker)

        fut.add_done_callback(done)
        return await asyncio.shield(fut)  # a client that leaves does not lose the worker

    def _check_started(self) -> None:
        if self._failed >= self.size and not self._all:
            raise Crashed("no analysis worker could be started (the server's log says why)")

    def _wake_waiters(self) -> None:
        if self._idle is not None and self._failed >= self.size and not self._all:
            for _ in range(self._waiting):
                self._idle.put_nowait(_NONE)

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            await asyncio.get_running_loop().run_in_executor(None, w.stop)
        self._threads.shutdown(wait=False, cancel_futures=True)


def worker_count() -> int:
    """Default number of analysis workers: the cores, at least one."""
    return max(1, os.cpu_count() or 1)
