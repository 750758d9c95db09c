"""Imported once by the server process that forks the analysis workers (warm workers).

Importing this module loads and exercises what every task uses (the composite analysis,
its JSON, the Plotly figures) on the bundled Cairo example, so that a forked worker
answers its first request as fast as its hundredth. Numerical libraries use one thread
per worker: the workers are the parallelism.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import logging  # noqa: E402

from detente.web import tasks  # noqa: E402

__all__: list[str] = []

try:
    tasks.warm_up()
except Exception:  # a cold worker still works; a dead fork server would serve nothing
    logging.getLogger("detente.web").exception("warming the analysis workers failed")
