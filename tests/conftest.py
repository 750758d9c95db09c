"""Test-suite wide settings: the hypothesis profiles.

- default (a developer's run): every run draws new examples.
- ``ci`` (loaded when ``CI`` is set): derandomized, the same examples every run, so a
  submission's result does not depend on the draw.
- ``fuzz`` (``make fuzz``, i.e. ``pytest --hypothesis-profile=fuzz``): random seeds and
  ten times the examples. Per-test counts are written ``examples(n)`` (tests/strategies.py),
  which scales ``n`` by the loaded profile's ``max_examples`` over hypothesis' default 100.

A failure under ``fuzz`` prints the falsifying example; pin it with ``@example`` next to
the test (as in tests/scenario/test_loader_fuzz.py) so every later run checks it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("fuzz", derandomize=False, max_examples=1000, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


# --- headless chromium for the browser tests (pytest-playwright's fixtures) ----------
# Debian's chromium, not a downloaded one: these machines reach no browser CDN
# (../shared/design/BROWSER-TESTING.md). `make browser` installs it.
_CHROMIUM = (
    "/usr/lib/chromium/chromium-headless-shell",
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium",
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    exe = os.environ.get("DETENTE_CHROMIUM") or next(
        (p for p in _CHROMIUM if Path(p).exists()), None
    )
    if exe is None:
        pytest.skip("no chromium for the browser tests: run `make browser` (Debian's chromium)")
    flags = ["--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    return {**browser_type_launch_args, "executable_path": exe, "args": flags}


def offline(
    page: Any, allowed: tuple[str, ...], *, console: bool = False
) -> tuple[list[str], list[str]]:
    """Keep ``page`` offline: abort and record every request outside ``allowed`` prefixes.

    Returns the lists the page fills as it runs: requests that tried to leave, and page
    errors (with ``console``, console errors too).
    """
    leaving: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(allowed):
            r.continue_()
        else:
            leaving.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(str(e)))
    if console:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return leaving, errors


# --- ports on loopback (a real Dask cluster: tests/dask_cluster.py) -------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (the kernel's pick)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
