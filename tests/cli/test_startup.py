"""The command line's start-up: fewer, young collections only, then the usual thresholds."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from detente.cli.startup import START_YOUNG, young_collections_only_at_start

PROBE = textwrap.dedent(
    """\
    import gc, json, time
    before = gc.get_threshold()
    import detente.cli
    at_start = gc.get_threshold()
    time.sleep(1.05)
    junk = [[[] for _ in range(100)] for _ in range(1100)]  # a young collection or two
    print(json.dumps([before, at_start, gc.get_threshold()]))
    """
)


def test_a_process_starts_with_young_collections_only_then_collects_as_usual() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    before, at_start, later = json.loads(out.stdout)
    assert at_start == [max(before[0], START_YOUNG), 1_000_000, 1_000_000]
    assert later == before  # the usual thresholds are back


def test_a_tuned_or_disabled_collector_is_left_alone() -> None:
    usual, callbacks = gc.get_threshold(), gc.callbacks[:]
    gc.callbacks.clear()  # this process's own start-up may not have restored its thresholds yet
    try:
        for tuned in ((0, 10, 10), (700, 0, 0)):
            gc.set_threshold(*tuned)
            young_collections_only_at_start(0.0)
            assert gc.get_threshold() == tuned
    finally:
        gc.set_threshold(*usual)
        gc.callbacks[:] = callbacks


PLUGINS = textwrap.dedent(
    """\
    import json, sys
    import detente.cli, detente
    detente.load(sys.argv[1])
    from pydantic.plugin._loader import get_plugins
    scanned = "importlib.metadata" in sys.modules
    from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP  # any other name: the real one
    print(json.dumps([scanned, list(get_plugins()), PYDANTIC_ENTRY_POINT_GROUP]))
    """
)


def _plugins(env: dict[str, str]) -> list[object]:
    cairo = str(Path(__file__).parents[2] / "src" / "detente" / "examples" / "cairo-2024-05.yaml")
    out = subprocess.run(
        [sys.executable, "-c", PLUGINS, cairo], capture_output=True, text=True, check=True, env=env
    )
    return list(json.loads(out.stdout))


def test_the_command_line_skips_pydantics_plugin_scan() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    assert _plugins(env) == [False, [], "pydantic"]


def test_a_users_own_plugin_setting_keeps_the_real_loader() -> None:
    env = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "some-plugin"}
    scanned, plugins, group = _plugins(env)
    assert scanned is True and plugins == [] and group == "pydantic"
