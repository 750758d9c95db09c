"""BLAS on one thread, for work that runs in parallel processes or needs the same sums.

:func:`one_blas_thread` pins the BLAS library's own threads to one (``threadpoolctl``,
when installed: the ``[distributed]`` extra). The analyses' BLAS calls are small
products: one thread runs them no slower, gives the same floating-point sums on any
machine, and leaves the cores to the worker processes (OpenBLAS's idle threads otherwise
spin on the cores the workers need: measured, 2 tournament workers then ran no faster
than 1). Part of the shared kernel: it imports no other detente module.
"""

from __future__ import annotations

import contextlib
import importlib
from typing import Any

__all__ = ["one_blas_thread"]

_CONTROLLER: list[Any] = []  # threadpoolctl's scan of the loaded libraries, made once


def one_blas_thread() -> contextlib.AbstractContextManager[Any]:
    """A context pinning BLAS to one thread; the limit applies as soon as it is made.

    Use it in a ``with`` block, or make it once and keep it for a process's lifetime
    (a pool worker). Without ``threadpoolctl`` it does nothing. The loaded libraries are
    scanned on the first call only (0.5 ms a scan; numpy's BLAS is loaded by then).
    """
    if not _CONTROLLER:
        try:
            tpc: Any = importlib.import_module("threadpoolctl")
        except ImportError:  # pragma: no cover - installed with the [distributed] extra
            return contextlib.nullcontext()
        importlib.import_module("numpy")  # its BLAS must be among the scanned libraries
        _CONTROLLER.append(tpc.ThreadpoolController())
    limits: contextlib.AbstractContextManager[Any] = _CONTROLLER[0].limit(limits=1, user_api="blas")
    return limits
