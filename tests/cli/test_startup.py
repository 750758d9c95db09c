"""The command line's start-up (young collections only, no plugin scan) and its exit."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from detente.cli.startup import START_YOUNG, young_collections_only_at_start

CAIRO = Path(__file__).parents[2] / "src" / "detente" / "examples" / "cairo-2024-05.yaml"

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
    out = subprocess.run(
        [sys.executable, "-c", PLUGINS, str(CAIRO)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return list(json.loads(out.stdout))


def test_the_command_line_skips_pydantics_plugin_scan() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    assert _plugins(env) == [False, [], "pydantic"]


def test_a_users_own_plugin_setting_keeps_the_real_loader() -> None:
    env = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "some-plugin"}
    scanned, plugins, group = _plugins(env)
    assert scanned is True and plugins == [] and group == "pydantic"


LEAVE = textwrap.dedent(
    """\
    import atexit, sys, threading, time
    from detente.cli.startup import leave

    class Witness:  # says so when the interpreter tears the module down
        def __del__(self):
            sys.stderr.write("torn down\\n")

    witness = Witness()
    sys.stdout.write("x" * 2_000_000)  # more than a pipe holds: flushed before the exit
    {setup}
    leave({code})
    """
)


def _leave(setup: str = "", code: str = "3", *flags: str) -> subprocess.CompletedProcess[str]:
    probe = LEAVE.format(setup=setup, code=code)
    return subprocess.run(
        [sys.executable, *flags, "-c", probe], capture_output=True, text=True, check=False
    )


def test_leave_skips_the_teardown_and_keeps_the_code_and_the_output() -> None:
    done = _leave()
    assert done.returncode == 3 and done.stdout == "x" * 2_000_000
    assert "torn down" not in done.stderr
    done = _leave(code="None")
    assert done.returncode == 0 and "torn down" not in done.stderr


def test_leave_runs_the_atexit_callbacks_once_in_their_order() -> None:
    setup = "atexit.register(print, 'first'); atexit.register(print, 'second', end='')"
    done = _leave(setup)
    assert done.returncode == 3 and "torn down" not in done.stderr
    assert done.stdout == "x" * 2_000_000 + "second" + "first\n"  # last registered, first run


def test_leave_exits_as_usual_when_the_teardown_has_work_to_do(tmp_path: Path) -> None:
    target = tmp_path / "kept.txt"
    cases = {
        # a thread that exit waits for
        "late": "threading.Thread(target=lambda: (time.sleep(0.2), print('late'))).start()",
        # a file whose buffer only its teardown flushes
        "file": f"kept = open({str(target)!r}, 'w'); kept.write('kept')",
        # a library whose objects finish files or connections when freed
        "library": "import sqlite3",
    }
    for name, setup in cases.items():
        done = _leave(setup)
        assert done.returncode == 3 and "torn down" in done.stderr, name
    assert target.read_text() == "kept"
    assert "late" in _leave(cases["late"]).stdout
    assert "torn down" in _leave("", "3", "-X", "dev").stderr  # development mode


def test_leave_reports_what_sys_exit_reports() -> None:
    done = _leave(code="'no such file'")
    assert done.returncode == 1 and "no such file" in done.stderr
    done = _leave("sys.stdout.close()")  # a stream that cannot flush: Python's own exit
    assert done.returncode == 3 and "torn down" in done.stderr


def test_the_console_script_exits_with_the_commands_code(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    for path, code in ((CAIRO, 0), (bad, 2)):
        done = subprocess.run(
            [sys.executable, "-m", "detente", "validate", str(path), "--format", "json"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == code
        assert json.loads(done.stdout)["command"] == "validate"
