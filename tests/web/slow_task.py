"""A worker task that only waits (for the queue tests): ``{"seconds": s}``."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def sleep(
    payload: dict[str, Any], progress: Callable[[dict[str, Any]], None]
) -> tuple[int, str, bytes]:
    time.sleep(float(payload["seconds"]))
    return 200, "application/json", b"{}"
