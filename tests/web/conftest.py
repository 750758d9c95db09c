"""Fixtures of the web app's tests: the app in-process (TestClient) and served on a
free loopback port (uvicorn in a thread), both with a fresh workspace."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi, uvicorn) is not installed")

from fastapi.testclient import TestClient

from detente.web.app import create_app
from detente.web.config import Settings

CAIRO = Path(__file__).parents[2] / "src" / "detente" / "examples" / "cairo-2024-05.yaml"
YAML = {"content-type": "application/yaml"}
BASE = "http://127.0.0.1"
T = TypeVar("T")


@pytest.fixture(scope="session")
def cairo_text() -> str:
    return CAIRO.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app with one warm worker, on a fresh workspace."""
    ws = tmp_path_factory.mktemp("workspace")
    app = create_app(Settings(workspace=ws, workers=1, queue=8))
    with TestClient(app, base_url=BASE) as c:
        yield c


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port: its base URL."""
    from detente.web.server import Background

    ws = tmp_path_factory.mktemp("served")
    with Background(Settings(workspace=ws, workers=1, queue=8)) as url:
        yield url


# headless chromium for the browser tests: tests/conftest.py (browser_type_launch_args)


def run_async(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """``asyncio.run(make())`` in a thread of its own: Playwright's sync API leaves an
    event loop running in the main thread once a browser test has run."""
    out: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            out.append(asyncio.run(make()))
        except BaseException as err:
            errors.append(err)

    t = threading.Thread(target=target)
    t.start()
    t.join()
    if errors:
        raise errors[0]
    return out[0]
