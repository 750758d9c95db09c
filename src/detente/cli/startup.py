"""What a ``detente`` process does first: fewer collections, no plugin scan.

It collects only young objects while it starts, and skips pydantic's plugin scan when
plugins are disabled. Imported for its effect by :mod:`detente.cli` before anything
else; a library user's process (``import detente``) is left alone.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
import time
import types
from typing import Any

__all__ = ["START_YOUNG", "no_plugin_loader", "young_collections_only_at_start"]

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


young_collections_only_at_start()
no_plugin_loader()
