"""Running the web app: uvicorn on a socket this module binds (so port 0 works).

:func:`run` serves until interrupted (``detente serve``); :class:`Background` serves in
a thread of the current process, for tests and benchmarks (``with Background(s) as url``).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from types import TracebackType
from typing import Any

from detente.web.config import Settings

__all__ = ["Background", "bind", "run", "url_of"]


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (``0``: a free port the kernel picks)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, not 0: asyncio sets TCP_NODELAY only on sockets that say TCP, and
    # without it every keep-alive response waits out the client's delayed ACK (~40 ms)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(settings: Settings, port: int) -> str:
    """The address to open: loopback for a wildcard bind, with the token once."""
    host = settings.host
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    url = f"http://{host}:{port}/"
    return url if settings.token is None else f"{url}?token={settings.token}"


def _config(settings: Settings, app: Any) -> Any:
    import uvicorn

    return uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=5,
        limit_concurrency=None,
        lifespan="on",
    )


def run(settings: Settings, announce: Callable[[str], None] = print) -> None:
    """Serve ``settings`` until interrupted; ``announce`` gets the lines to print once."""
    try:
        sock = bind(settings.host, settings.port)
    except OSError as err:
        from detente.errors import DetenteError

        raise DetenteError(
            f"cannot listen on {settings.host}:{settings.port}: {err.strerror or err} "
            "(another server on that port? choose one with --port, or --port 0 for any)"
        ) from None
    port = int(sock.getsockname()[1])
    settings = replace(settings, port=port)
    # the server and the app (uvicorn, FastAPI: 0.5 s of imports) only once the port is
    # ours: a taken port says so at once
    import uvicorn

    from detente.web.app import create_app

    server = uvicorn.Server(_config(settings, create_app(settings)))
    announce(f"detente: serving on {url_of(settings, port)}")
    announce(f"workspace: {settings.workspace.resolve()}")
    if settings.token is not None:
        announce("every request needs the token above (it is printed only once); Ctrl-C stops")
    else:
        announce("loopback only; Ctrl-C stops")
    server.run(sockets=[sock])


class Background:
    """The app served from a thread on a free loopback port (``with`` gives its URL)."""

    def __init__(self, settings: Settings, *, timeout: float = 60.0) -> None:
        self.sock = bind(settings.host, 0)
        self.port = int(self.sock.getsockname()[1])
        self.settings = replace(settings, port=self.port)
        import uvicorn

        from detente.web.app import create_app

        self.server = uvicorn.Server(_config(self.settings, create_app(self.settings)))
        self.timeout = timeout
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    @property
    def url(self) -> str:
        """The server's base URL (no token)."""
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        """Wait until the server answers and a worker is ready."""
        import json
        import urllib.request

        deadline = time.monotonic() + self.timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the web app did not start")
            time.sleep(0.02)
        headers = (
            {}
            if self.settings.token is None
            else {"Authorization": f"Bearer {self.settings.token}"}
        )
        while time.monotonic() < deadline:  # the first worker warms up in the background
            req = urllib.request.Request(f"{self.url}/api/health", headers=headers)
            with urllib.request.urlopen(req, timeout=5) as r:
                if json.loads(r.read()).get("ready", 0) > 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("no analysis worker became ready")

    def __enter__(self) -> str:
        self.thread.start()
        self.wait_ready()
        return self.url

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)
        self.sock.close()
