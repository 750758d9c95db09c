"""Safety and limits: body size (chunked too), alias bombs, hosts, tokens, time and
memory limits, a bounded queue, and no stack trace in any response."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import BASE, YAML, run_async

from detente.errors import ScenarioError
from detente.web.api import task_error
from detente.web.app import create_app
from detente.web.config import Settings
from detente.web.safety import MAX_ALIASES, alias_budget
from detente.web.server import Background
from detente.web.workers import Busy, Limits, WorkerPool

# nine levels of ten aliases each: 322 bytes that expand to 10^9 values
BOMB = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
    for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_alias_bomb_refused_before_loading(client: TestClient) -> None:
    assert len(BOMB) < 400
    r = client.post("/api/validate?name=bomb.yaml", content=BOMB, headers=YAML)
    assert r.status_code == 422
    (p,) = r.json()["problems"]
    assert p["file"] == "bomb.yaml" and p["line"] is not None
    assert "alias" in p["message"]


def test_alias_budget_counts_expansion() -> None:
    alias_budget("a: &x 1\nb: *x\n")  # small: fine
    with pytest.raises(ScenarioError, match="aliases"):
        alias_budget("a: &x 1\n" + "".join(f"k{i}: *x\n" for i in range(MAX_ALIASES + 1)))
    with pytest.raises(ScenarioError, match="expand"):
        alias_budget(BOMB[: BOMB.index("f:")])  # five levels: 10^5 values, 60 aliases


def test_body_limit_counts_chunked_bytes(tmp_path: Path) -> None:
    with Background(Settings(workspace=tmp_path, workers=1, body_limit=10_000)) as url:

        def chunks() -> Iterator[bytes]:
            for _ in range(100):
                yield b"# " + b"x" * 998 + b"\n"

        with httpx.Client(base_url=url) as c:
            r = c.post("/api/validate", content=chunks(), headers=YAML)  # no Content-Length
            assert r.status_code == 413
            assert "10,000-byte limit" in r.json()["detail"]
            r = c.post("/api/validate", content=b"#" * 20_000, headers=YAML)
            assert r.status_code == 413
            r = c.post("/api/validate", content=b"title: t\n", headers=YAML)
            assert r.status_code == 422  # under the limit: read and checked


def test_unknown_host_refused(client: TestClient) -> None:
    r = client.get("/api/health", headers={"host": "evil.example:8000"})
    assert r.status_code == 421
    assert client.get("/api/health", headers={"host": "localhost:8000"}).status_code == 200


def test_token_required_off_loopback(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="token"):
        create_app(Settings(host="0.0.0.0", workspace=tmp_path))
    app = create_app(Settings(host="0.0.0.0", workspace=tmp_path, token="s3cret", workers=1))
    with TestClient(app, base_url="http://10.1.2.3:8000") as c:
        r = c.get("/api/health")
        assert r.status_code == 401 and "token" in r.json()["detail"]
        assert c.get("/api/health", headers={"authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/health", headers={"authorization": "Bearer s3cret"}).status_code == 200
        r = c.get("/?token=s3cret")  # a page opened with the token sets the cookie
        assert r.status_code == 200
        assert "HttpOnly" in r.headers["set-cookie"]
        assert c.get("/api/health").status_code == 200  # the cookie now


def test_security_headers(client: TestClient) -> None:
    r = client.get("/api/health")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["cache-control"] == "no-store"


def test_time_limit_answers_504_and_the_worker_is_replaced(tmp_path: Path, cairo_text: str) -> None:
    app = create_app(Settings(workspace=tmp_path, workers=1, time_limit=0.001))
    with TestClient(app, base_url=BASE) as c:
        r = c.post("/api/analyze", content=cairo_text, headers=YAML)
        assert r.status_code == 504
        doc = r.json()
        assert doc["error"] == "time_limit"
        assert "time limit" in doc["problems"][0]["message"]
        assert "Traceback" not in r.text


def test_memory_limit_answers_504(tmp_path: Path, cairo_text: str) -> None:
    # a worker may allocate 1 MB more than it holds: the analysis cannot
    app = create_app(Settings(workspace=tmp_path, workers=1, memory_mb=1))
    with TestClient(app, base_url=BASE) as c:
        r = c.post("/api/analyze", content=cairo_text, headers=YAML)
        assert r.status_code == 504
        assert r.json()["error"] == "memory_limit"
        assert "Traceback" not in r.text


def test_full_queue_is_busy_at_once() -> None:
    """One worker busy, one task waiting: the next is refused at once (no waiting)."""

    async def scenario() -> tuple[str, list[int]]:
        pool = WorkerPool(1, Limits(30, 2048), 1)
        await pool.start()
        try:
            while pool.ready < 1:
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.1)  # the worker is in the idle queue
            task = "tests.web.slow_task:sleep"
            first = asyncio.create_task(pool.run(task, {"seconds": 1.5}))
            await asyncio.sleep(0.1)
            second = asyncio.create_task(pool.run(task, {"seconds": 0}))
            await asyncio.sleep(0.1)
            assert pool.waiting == 1
            try:
                await pool.run(task, {"seconds": 0})
                refused = "ran"
            except Busy as err:
                refused = f"busy {err.retry_after}"
            done = [(await t)[0] for t in (first, second)]
            return refused, done
        finally:
            await pool.close()

    refused, done = run_async(scenario)
    assert refused.startswith("busy ")
    assert done == [200, 200]  # the running and the waiting task both finish


def test_busy_answers_429_with_retry_after() -> None:
    r = task_error("analyze", Busy(3))
    assert r.status_code == 429
    assert r.headers["retry-after"] == "3"
    doc = json.loads(bytes(r.body))
    assert doc["command"] == "analyze" and doc["error"] == "busy"
