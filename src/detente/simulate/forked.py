"""Local workers by ``fork``: this process and K-1 children share a list of tasks.

A tournament on K local workers forks K-1 children and plays tasks itself too, so a
2-worker run pays for one fork and no pool: no executor, no management threads, no
import of :mod:`multiprocessing` or :mod:`concurrent.futures` (about 10-30 ms on the
2-core machine, measured, against a 0.45 s run). Children inherit everything the parent
holds (the scenarios, the strategies, the imported modules) and receive nothing but
task numbers.

- The queue: a pipe holding every task's number as 4 bytes, read 4 bytes at a time by
  every process (a pipe read takes what it returns atomically), so each task is played
  once, by whoever is free first; end of file when it is empty. Written before the fork
  when the pipe holds them all (Linux: 1 MiB, 262,144 tasks), else by a feeder thread in
  blocks of ``PIPE_BUF`` bytes (atomic).
- The results: each child writes (task number, rows) pickled and length-prefixed to a
  pipe of its own (1 MiB where the system allows: :func:`_widen`); this process reads
  them, without blocking, between its own tasks, then waits for the rest. No reader
  thread: one woken for every result preempted the child and fought the main thread
  for the GIL (measured: hundreds of context switches and 10-15% more CPU on 5,400
  negotiations).
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
import select
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


def _widen(fd: int) -> int:
    """Make a pipe 1 MiB where the system allows (Linux); its capacity (0: unknown).

    A child writing a task's rows (about 190 KB for 1,000 two-party negotiations) into a
    64 KiB pipe would wait for this process to read, which it does between its own
    tasks.
    """
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
        return int(fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ))
    except (AttributeError, ImportError, OSError):
        return 0


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


class _Inbox:
    """One child's result pipe, read without blocking; messages as they complete."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buf = bytearray()
        self.open = True
        os.set_blocking(fd, False)

    def read(self) -> list[tuple[int, Any]]:
        """Every message complete so far; closes the pipe at end of file."""
        while self.open:
            try:
                b = os.read(self.fd, _PIPE_SIZE)
            except BlockingIOError:
                break
            if not b:
                self.open = False
                os.close(self.fd)
            self.buf += b
        out = []
        while len(self.buf) >= _LENGTH.size:
            n = _LENGTH.unpack_from(self.buf)[0]
            if len(self.buf) < _LENGTH.size + n:
                break
            out.append(pickle.loads(self.buf[_LENGTH.size : _LENGTH.size + n]))
            del self.buf[: _LENGTH.size + n]
        return out


def run_forked(play: Callable[[int], T], n_tasks: int, workers: int) -> Iterator[T]:
    """``play(j)`` for j in range(n_tasks), on this process and ``workers - 1`` children.

    Yields the results in order of completion (module docstring).
    """
    if workers < 2 or n_tasks < 2:
        for j in range(n_tasks):
            yield play(j)
        return
    tasks_r, tasks_w = os.pipe()
    if 4 * n_tasks <= _widen(tasks_w):  # every task number fits: written now
        _write_all(tasks_w, b"".join(_INDEX.pack(j) for j in range(n_tasks)))
        os.close(tasks_w)
        tasks_w = -1
    pids: list[int] = []
    inboxes: list[_Inbox] = []
    try:
        for _ in range(min(workers, n_tasks) - 1):
            out_r, out_w = os.pipe()
            _widen(out_w)
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child
                try:
                    for fd in (tasks_w, out_r, *(i.fd for i in inboxes if i.open)):
                        if fd >= 0:
                            os.close(fd)
                    _child(play, tasks_r, out_w)
                finally:
                    os._exit(0)  # no atexit handlers, no second flush of inherited buffers
            os.close(out_w)
            pids.append(pid)
            inboxes.append(_Inbox(out_r))
        if tasks_w >= 0:  # more task numbers than the pipe holds
            threading.Thread(target=_feed, args=(tasks_w, n_tasks), daemon=True).start()
        done = 0

        def received(block: bool) -> Iterator[T]:
            nonlocal done
            while True:
                ready = [i for i in inboxes if i.open]
                if not ready:
                    return
                if block:
                    fds = select.select([i.fd for i in ready], [], [])[0]
                    ready = [i for i in ready if i.fd in fds]
                got = [m for i in ready for m in i.read()]
                for j, value in got:
                    if j == -1:
                        raise value
                    done += 1
                    yield value
                if not block:
                    return

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
        for box in inboxes:
            if box.open:
                box.open = False
                os.close(box.fd)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                if os.waitpid(pid, os.WNOHANG) == (0, 0):
                    os.kill(pid, signal.SIGTERM)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
