"""The web app's settings: where it listens, its workspace, and its limits."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["LOOPBACK_NAMES", "Settings", "is_loopback"]

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address or ``localhost``."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings:
    """Everything :func:`detente.web.app.create_app` needs.

    Attributes
    ----------
    host, port:
        Where the server listens (the ``Host`` names it answers to follow from them).
    workspace:
        The only folder files are saved in (created if missing).
    token:
        Access token required on every request; ``None`` only on a loopback address.
    body_limit:
        Largest request body, in bytes (``413`` past it).
    workers, queue:
        Analysis worker processes, and how many requests may wait for one (``429``).
    job_workers, job_queue:
        The same for long jobs (robustness, tournaments), kept apart so that a job does
        not hold up the editor.
    time_limit, job_time_limit, memory_mb:
        Seconds an analysis (a job) may run, and the memory a worker may allocate.
    """

    host: str = "127.0.0.1"
    port: int = 8000
    workspace: Path = field(default_factory=lambda: Path("workspace"))
    token: str | None = None
    body_limit: int = 2 * 1024 * 1024
    workers: int = 2
    queue: int = 8
    job_workers: int = 1
    job_queue: int = 4
    time_limit: float = 30.0
    job_time_limit: float = 600.0
    memory_mb: int = 2048

    @property
    def hosts(self) -> frozenset[str] | None:
        """Host names to answer to, or ``None`` for any (a non-loopback bind)."""
        if is_loopback(self.host):
            return LOOPBACK_NAMES | {self.host}
        if self.host in ("0.0.0.0", "::"):
            return None
        return frozenset({self.host}) | LOOPBACK_NAMES
