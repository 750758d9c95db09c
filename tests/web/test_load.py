"""A bounded load test on loopback: 20 clients analysing and saving at once.

No 5xx but the documented 504, only 429 as a refusal, and every saved file (and each
kept version) intact afterwards. Bounded in count, not time (the benchmark,
``benchmarks/bench_web.py --load``, runs 20 clients for a minute and measures memory).
"""

from __future__ import annotations

import ssl
from collections import Counter
from pathlib import Path

import httpx
from tests.web.conftest import YAML, run_async

from detente.web.config import Settings
from detente.web.server import Background

CLIENTS = 20
ROUNDS = 2  # saves per client: the second keeps the first as a version
# one TLS context for every client (plain http on loopback never uses it): httpx loads
# the CA bundle for each client otherwise, 50 ms holding the GIL the server thread needs
TLS = ssl.create_default_context()


def test_twenty_clients_at_once(tmp_path: Path, cairo_text: str) -> None:
    codes: Counter[int] = Counter()
    saved: dict[str, list[str]] = {}

    async def client(url: str, n: int) -> None:
        name = f"load-{n:02d}.yaml"
        saved[name] = []
        async with httpx.AsyncClient(base_url=url, timeout=120, verify=TLS) as c:
            for i in range(ROUNDS):
                body = cairo_text.replace("firmness: 8", f"firmness: {1 + (n + i) % 9}", 1)
                if i == 0:  # every client analyses once, all at once; saves repeat
                    r = await c.post("/api/analyze", content=body, headers=YAML)
                    codes[r.status_code] += 1
                    if r.status_code == 200:
                        assert r.json()["command"] == "analyze"
                params = {"overwrite": "true"} if saved[name] else {}
                w = await c.put(f"/api/files/{name}", params=params, content=body, headers=YAML)
                codes[w.status_code] += 1
                if w.status_code in (200, 201):
                    saved[name].append(body)

    with Background(Settings(workspace=tmp_path, workers=2, queue=CLIENTS)) as url:

        async def everyone() -> None:
            import asyncio

            await asyncio.gather(*(client(url, n) for n in range(CLIENTS)))

        run_async(everyone)
        with httpx.Client(base_url=url) as c:
            for name, texts in saved.items():
                assert texts, name
                assert c.get(f"/api/files/{name}").text == texts[-1]
                versions = c.get(f"/api/files/{name}/versions").json()["versions"]
                kept = [c.get(f"/api/files/{name}/versions/{v}").text for v in versions]
                assert kept == texts[:-1]
    assert set(codes) <= {200, 201, 429, 504}, codes
    assert codes[200] >= CLIENTS  # the saves at least, and most analyses
