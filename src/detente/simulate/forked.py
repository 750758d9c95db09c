"""Local workers by ``fork``: this process and K-1 children share a list of tasks.

A tournament on K local workers forks K-1 children and plays tasks itself too, so a
2-worker run pays for one fork and no pool: no executor, no management threads, no
import of :mod:`multiprocessing` or :mod:`concurrent.futures` (about 10-30 ms on the
2-core machine, measured, against a 0.45 s run). Children inherit everything the parent
holds (the scenarios, the strategies, the imported modules) and receive nothing but
task numbers.

- The queue: a pipe holding every task's number as 4 bytes, written by a feeder thread
  in blocks of at most ``PIPE_BUF`` bytes (atomic), read 4 bytes at a time by every
  process (a pipe read takes what it returns atomically), so each task is played once,
  by whoever is free first; end of file when the pipe is empty and the feeder done.
- The results: each child writes (task number, rows) pickled and length-prefixed to a
  pipe of its own (1 MiB where the system allows: :func:`_widen`); a reader thread in
  this process unpickles them into a queue that the caller drains between its own
  tasks, so a child need not wait for the parent.
- Failures: a child that raises sends the exception and exits; the parent re-raises it
  and ends the other children (it started them: by process id). Closing the iterator
  early ends them too.

POSIX only (``os.fork``); elsewhere tournaments use a spawned process pool
(:mod:`detente.simulate.tasks`).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import struct
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from detente.errors import DetenteError

__all__ = ["run_forked"]

T = TypeVar("T")
_INDEX = struct.Struct("<I")
_LENGTH = struct.Struct("<Q")
_BLOCK = 1024  # task numbers per write: 4 KiB, within PIPE_BUF (atomic)
_PIPE_SIZE = 1 << 20  # a result pipe's buffer where it can be set (Linux's default cap)


def _widen(fd: int) -> None:
    """A result pipe of 1 MiB where the system allows it (Linux; 64 KiB otherwise).

    A child writing a task's rows (about 190 KB for 1,000 two-party negotiations) into a
    64 KiB pipe waits while the reader thread, woken for each 64 KiB, waits for the GIL
    (up to the 5 ms switch interval): measured, the child then lost about a quarter of
    its time on 54,000 negotiations.
    """
    with contextlib.suppress(AttributeError, OSError):
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)


def _feed(fd: int, n: int) -> None:
    try:
        for start in range(0, n, _BLOCK):
            os.write(fd, b"".join(_INDEX.pack(j) for j in range(start, min(n, start + _BLOCK))))
    except OSError:  # every reader gone (the run was stopped)
        pass
    finally:
        os.close(fd)


def _next(fd: int) -> int | None:
    b = os.read(fd, 4)
    return _INDEX.unpack(b)[0] if len(b) == 4 else None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exact(fd: int, n: int) -> bytes | None:
    parts, got = [], 0
    while got < n:
        b = os.read(fd, n - got)
        if not b:
            return None
        parts.append(b)
        got += len(b)
    return b"".join(parts)


def _child(play: Callable[[int], T], tasks_fd: int, out_fd: int) -> None:
    try:
        while (j := _next(tasks_fd)) is not None:
            data = pickle.dumps((j, play(j)), protocol=pickle.HIGHEST_PROTOCOL)
            _write_all(out_fd, _LENGTH.pack(len(data)) + data)
    except BaseException as e:  # the parent re-raises it
        try:
            data = pickle.dumps((-1, e), protocol=pickle.HIGHEST_PROTOCOL)
            pickle.loads(data)  # some exceptions pickle but do not unpickle
        except Exception:
            data = pickle.dumps((-1, DetenteError(f"in a worker process: {type(e).__name__}: {e}")))
        with contextlib.suppress(OSError):
            _write_all(out_fd, _LENGTH.pack(len(data)) + data)


def _drain(fd: int, into: queue.SimpleQueue[tuple[int, Any]]) -> None:
    try:
        while (head := _read_exact(fd, _LENGTH.size)) is not None:
            body = _read_exact(fd, _LENGTH.unpack(head)[0])
            if body is None:
                break
            into.put(pickle.loads(body))
    finally:
        os.close(fd)
        into.put((-2, None))  # this child is done


def run_forked(play: Callable[[int], T], n_tasks: int, workers: int) -> Iterator[T]:
    """``play(j)`` for j in range(n_tasks), on this process and ``workers - 1`` children.

    Yields the results in order of completion (module docstring).
    """
    if workers < 2 or n_tasks < 2:
        for j in range(n_tasks):
            yield play(j)
        return
    tasks_r, tasks_w = os.pipe()
    results: queue.SimpleQueue[tuple[int, Any]] = queue.SimpleQueue()
    pids: list[int] = []
    outs: list[int] = []
    try:
        for _ in range(min(workers, n_tasks) - 1):
            out_r, out_w = os.pipe()
            _widen(out_w)
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child
                try:
                    for fd in (tasks_w, out_r, *outs):
                        os.close(fd)
                    _child(play, tasks_r, out_w)
                finally:
                    os._exit(0)  # no atexit handlers, no second flush of inherited buffers
            os.close(out_w)
            pids.append(pid)
            outs.append(out_r)
        threading.Thread(target=_feed, args=(tasks_w, n_tasks), daemon=True).start()
        for fd in outs:
            threading.Thread(target=_drain, args=(fd, results), daemon=True).start()
        running, done = len(outs), 0

        def received(block: bool) -> Iterator[T]:
            nonlocal running, done
            while running:
                try:
                    j, value = results.get(block=block)
                except queue.Empty:
                    return
                if j == -2:
                    running -= 1
                elif j == -1:
                    raise value
                else:
                    done += 1
                    yield value

        while (mine := _next(tasks_r)) is not None:
            done += 1
            yield play(mine)
            yield from received(block=False)
        yield from received(block=True)
        if done < n_tasks:  # a child died without a word (killed, out of memory)
            raise DetenteError(
                f"a worker process ended before its tasks were done ({n_tasks - done} of "
                f"{n_tasks} lost); run the same command again to resume"
            )
    finally:
        os.close(tasks_r)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                if os.waitpid(pid, os.WNOHANG) == (0, 0):
                    os.kill(pid, signal.SIGTERM)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
