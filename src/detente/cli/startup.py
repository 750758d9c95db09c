"""What a ``detente`` process does first and last: fewer collections, no plugin scan.

It collects only young objects while it starts, and skips pydantic's plugin scan when
plugins are disabled. Imported for its effect by :mod:`detente.cli` before anything
else; a library user's process (``import detente``) is left alone. The console script
ends through :func:`leave`, which skips the interpreter's teardown when it can.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
import time
import types
from typing import Any, NoReturn

__all__ = ["START_YOUNG", "leave", "no_plugin_loader", "young_collections_only_at_start"]

_LOADER = "pydantic.plugin._loader"


START_YOUNG = 100_000  # new container objects between young collections at start


def young_collections_only_at_start(seconds: float = 1.0) -> None:
    """Collect only the youngest generation, and less often, for the first ``seconds``.

    A command starts by importing typer, pydantic's schemas and our modules: about 10^5
    objects that live until exit, which the older generations' collections traverse in
    vain (about 20 ms of a 0.4 s ``analyze``, measured), and many short-lived ones that a
    young collection every :data:`START_YOUNG` allocations (instead of 700) mostly finds
    already freed (1.2% of ``analyze``'s instructions). Young objects are still collected;
    the thresholds in force before return at the first collection after ``seconds``, so a
    long command (a server, a tournament) collects as usual.
    """
    usual = gc.get_threshold()
    if usual[1] == 0 or usual[0] == 0:  # the user tuned or disabled it: leave it alone
        return
    gc.set_threshold(max(usual[0], START_YOUNG), 1_000_000, 1_000_000)
    until = [time.monotonic() + seconds]

    def restore(phase: str, info: dict[str, int]) -> None:
        # stays registered (removing itself would skip the next callback once)
        if until and phase == "stop" and time.monotonic() > until[0]:
            gc.set_threshold(*usual)
            until.clear()

    gc.callbacks.append(restore)


def no_plugin_loader() -> None:
    """Stand in for pydantic's plugin loader when ``PYDANTIC_DISABLE_PLUGINS`` disables all.

    pydantic imports its loader when it builds its first model, and the loader imports
    :mod:`importlib.metadata` (with email, zipfile, csv and more: about 2% of a short
    command, measured in instructions) even when the variable says to load no plugin.
    The stand-in answers ``get_plugins()`` with none, as the loader would; any other
    name is taken from the real loader, imported then.
    """
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in ("__all__", "1", "true"):
        return
    if _LOADER in sys.modules:
        return
    stand_in = types.ModuleType(_LOADER, "No pydantic plugins (detente.cli.startup).")

    def get_plugins() -> tuple[()]:
        return ()

    def real(name: str) -> Any:
        if name.startswith("__"):  # the import system asks for __path__ and the like
            raise AttributeError(name)
        if sys.modules.get(_LOADER) is stand_in:
            del sys.modules[_LOADER]
        return getattr(importlib.import_module(_LOADER), name)

    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    stand_in.__getattr__ = real  # type: ignore[method-assign]
    sys.modules[_LOADER] = stand_in


# their objects finish files, connections or clusters when freed: a process that loaded
# them is torn down as usual
_TEARDOWN_NEEDED = ("pyarrow", "duckdb", "distributed", "uvicorn", "sqlite3")


def leave(code: object) -> NoReturn:
    """Exit with ``code`` as ``sys.exit`` would, skipping the teardown if that loses nothing.

    Tearing down a process that loaded numpy, pydantic's schemas and our modules (every
    module, type and function freed one by one, the collector's last passes) takes 30-50
    ms after ``detente analyze`` (measured: a sixth of the 2-party benchmark process),
    and the kernel frees all of it at exit anyway. So after what the usual exit does
    first (wait for non-daemon threads: here, it falls back if there are any; run the
    ``atexit`` callbacks, in their order), the process ends by ``os._exit``, but only
    when the standard streams flush without error, no other file is open for writing
    (its buffer is flushed only when it is freed), none of :data:`_TEARDOWN_NEEDED` is
    loaded and Python is not in development mode. Otherwise, and for a non-integer code,
    the usual exit.
    """
    import atexit

    run_callbacks = getattr(atexit, "_run_exitfuncs", None)  # CPython's, as exit runs them
    if (
        (code is not None and (isinstance(code, bool) or not isinstance(code, int)))
        or run_callbacks is None
        or sys.flags.dev_mode
        or not _flushed()
        or any(m in sys.modules for m in _TEARDOWN_NEEDED)
        or _threads_running()
        or _files_open()
    ):
        raise SystemExit(code)
    run_callbacks()  # it clears them: they never run twice
    if not _flushed():
        raise SystemExit(code)
    os._exit(0 if code is None else code)


def _flushed() -> bool:
    """Whether stdout and stderr flush (a closed pipe: no, and Python reports it)."""
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return False
    return True


def _threads_running() -> bool:
    """Whether a thread other than the main one runs that exit would wait for."""
    threading = sys.modules.get("threading")
    if threading is None:
        return False
    main = threading.main_thread()
    return any(t is not main and not t.daemon and t.is_alive() for t in threading.enumerate())


def _files_open() -> bool:
    """Whether a file other than the standard streams is still open for writing."""
    import _io
    import itertools

    std = set()
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        while stream is not None and id(stream) not in std:
            std.add(id(stream))
            stream = getattr(stream, "buffer", None) or getattr(stream, "raw", None)
    # the few file objects among every object the collector tracks, picked by type
    # without a Python-level step per object (5 ms instead of 15 after analyze)
    live = gc.get_objects()
    kinds = {t for t in set(map(type, live)) if issubclass(t, _io._IOBase)}
    files = itertools.compress(live, map(kinds.__contains__, map(type, live)))
    return any(id(f) not in std and _writing(f) for f in files)


def _writing(f: Any) -> bool:
    """Whether file object ``f`` is open for writing (when it cannot say: yes)."""
    try:
        return not f.closed and bool(f.writable())
    except (OSError, ValueError):  # e.g. a wrapper whose buffer was detached
        return True


young_collections_only_at_start()
no_plugin_loader()
