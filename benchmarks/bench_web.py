"""The web app's speed and its behaviour under load (loopback only, bounded in time).

Measurements (each printed as one JSON line):

- ``start``: seconds from ``detente serve`` (a fresh process) to the first page
  answered, and to the first analysis worker ready (target: first page under 1 s);
- ``edit``: a valid edit of the Cairo file to the editor's refreshed document
  (``POST /api/view``, what the page draws: bottom line, plots, toggles) on a warm
  worker, median and worst of ``--runs`` edits (target: under 1 s); with ``--browser``
  also in headless chromium, from the keystroke to the redrawn panels;
- ``load``: ``--clients`` clients analysing at once for ``--seconds`` (each posting an
  edited Cairo file to ``/api/analyze`` and saving it to the workspace), then: the
  status codes seen (only 200, and the documented 429/504, are allowed), the server's
  peak resident memory (its process and its workers), and whether every saved file is
  intact (its text and its kept versions).

Usage::

    python benchmarks/bench_web.py                       # start, edit
    python benchmarks/bench_web.py --load --clients 20 --seconds 60
    python benchmarks/bench_web.py --browser --runs 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[1]
CAIRO = ROOT / "src" / "detente" / "examples" / "cairo-2024-05.yaml"
DETENTE = str(Path(sys.executable).with_name("detente"))
YAML = {"content-type": "application/yaml"}


def emit(**row: Any) -> None:
    print(json.dumps(row), flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def edited(text: str, i: int) -> str:
    """The Cairo file with one number changed (a valid edit the analysis sees)."""
    return text.replace("firmness: 8", f"firmness: {1 + i % 9}", 1)


class Server:
    """``detente serve`` in a child process on a free loopback port."""

    def __init__(self, workspace: Path, *extra: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            [DETENTE, "serve", "--port", str(self.port), "--workspace", str(workspace), *extra],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def wait(self, path: str, ok: Any = None, timeout: float = 120) -> float:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                with urllib.request.urlopen(self.url + path, timeout=5) as r:
                    body = r.read()
                    if ok is None or ok(body):
                        return time.perf_counter() - self.t0
            except OSError:
                pass
            time.sleep(0.01)
        raise RuntimeError(f"{path} did not answer")

    def rss_mb(self) -> float:
        """Resident memory of the server and its children, in MB."""
        pids = [self.proc.pid]
        out = subprocess.run(["ps", "-o", "pid=,ppid=,rss=", "-A"], capture_output=True, text=True)
        table = [
            tuple(int(x) for x in line.split()) for line in out.stdout.splitlines() if line.strip()
        ]
        changed = True
        while changed:
            changed = False
            for pid, ppid, _ in table:
                if ppid in pids and pid not in pids:
                    pids.append(pid)
                    changed = True
        return sum(rss for pid, _, rss in table if pid in pids) / 1024

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def bench_start(workspace: Path) -> Server:
    s = Server(workspace)
    page = s.wait("/")
    ready = s.wait("/api/health", lambda b: json.loads(b)["ready"] > 0)
    emit(
        bench="start",
        first_page_s=round(page, 3),
        first_worker_ready_s=round(ready, 3),
        target_page_s=1.0,
    )
    return s


def bench_edit(s: Server, runs: int) -> None:
    import httpx

    text = CAIRO.read_text(encoding="utf-8")
    times = []
    sizes = []
    with httpx.Client(base_url=s.url, timeout=60) as c:
        c.post("/api/view", content=text, headers=YAML)  # warm
        for i in range(runs):
            t0 = time.perf_counter()
            r = c.post("/api/view", content=edited(text, i), headers=YAML)
            r.json()
            times.append(time.perf_counter() - t0)
            sizes.append(len(r.content))
            assert r.status_code == 200, r.text[:300]
    emit(
        bench="edit",
        route="/api/view",
        runs=runs,
        median_s=round(statistics.median(times), 3),
        worst_s=round(max(times), 3),
        bytes=int(statistics.median(sizes)),
        target_s=1.0,
    )


# replace the digit after the first "firmness: " as typing it does (one transaction)
KEYSTROKE = """d => {
  const v = document.getElementById('editor').cmView;
  const at = v.state.doc.toString().indexOf('firmness: ') + 10;
  v.dispatch({changes: {from: at, to: at + 1, insert: d}, userEvent: 'input.type'});
}"""


def bench_browser(s: Server, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    exe = "/usr/lib/chromium/chromium-headless-shell"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe)
        page = b.new_page(viewport={"width": 1280, "height": 900})
        t0 = time.perf_counter()
        page.goto(f"{s.url}/#/edit?example=cairo-2024-05")
        page.wait_for_selector("#deal-plot .main-svg")
        first = time.perf_counter() - t0
        times = []
        for i in range(runs):
            before = page.locator("#main").get_attribute("data-refreshed")
            t0 = time.perf_counter()
            page.evaluate(KEYSTROKE, str(1 + i % 9))  # one keystroke: a firmness digit
            page.wait_for_function(
                "b => document.getElementById('main').dataset.refreshed !== b && "
                "document.getElementById('status').classList.contains('ok')",
                arg=before,
            )
            times.append(time.perf_counter() - t0)
        ms = [int(page.locator("#main").get_attribute("data-refresh-ms") or 0)]
        b.close()
    emit(
        bench="edit-browser",
        first_editor_s=round(first, 3),
        runs=runs,
        median_s=round(statistics.median(times), 3),
        worst_s=round(max(times), 3),
        last_request_and_draw_ms=ms[0],
        includes_debounce_ms=250,
        target_s=1.0,
    )


async def _client(
    url: str,
    n: int,
    until: float,
    codes: Counter[int],
    saves: Counter[int],
    saved: dict[str, list[str]],
) -> None:
    import httpx

    text = CAIRO.read_text(encoding="utf-8")
    name = f"load-{n:02d}.yaml"
    async with httpx.AsyncClient(base_url=url, timeout=120) as c:
        i = 0
        while time.perf_counter() < until:
            body = edited(text, n + i)
            r = await c.post("/api/analyze", content=body, headers=YAML)
            codes[r.status_code] += 1
            if r.status_code == 429:
                await asyncio.sleep(float(r.headers.get("retry-after", "1")))
                continue
            first = not saved[name]
            w = await c.put(
                f"/api/files/{name}",
                params={"overwrite": str(not first).lower()},
                content=body,
                headers=YAML,
            )
            saves[w.status_code] += 1
            if w.status_code in (200, 201):
                saved[name].append(body)
            i += 1


def bench_load(workspace: Path, clients: int, seconds: float) -> None:
    import httpx

    s = Server(workspace, "--queue", str(clients))
    try:
        s.wait("/api/health", lambda b: json.loads(b)["ready"] > 0)
        codes: Counter[int] = Counter()
        saves: Counter[int] = Counter()
        saved: dict[str, list[str]] = {f"load-{n:02d}.yaml": [] for n in range(clients)}
        peak = [s.rss_mb()]

        async def run() -> None:
            until = time.perf_counter() + seconds

            async def sample() -> None:
                while time.perf_counter() < until:
                    peak.append(s.rss_mb())
                    await asyncio.sleep(1)

            await asyncio.gather(
                sample(), *(_client(s.url, n, until, codes, saves, saved) for n in range(clients))
            )

        t0 = time.perf_counter()
        asyncio.run(run())
        wall = time.perf_counter() - t0
        intact = True
        with httpx.Client(base_url=s.url) as c:
            for name, texts in saved.items():
                if not texts:
                    continue
                if c.get(f"/api/files/{name}").text != texts[-1]:
                    intact = False
                versions = c.get(f"/api/files/{name}/versions").json()["versions"]
                kept = [c.get(f"/api/files/{name}/versions/{v}").text for v in versions]
                if kept != texts[:-1]:
                    intact = False
        bad = {k: v for k, v in (codes + saves).items() if k >= 500 and k != 504}
        emit(
            bench="load",
            clients=clients,
            seconds=round(wall, 1),
            analyze_codes=dict(sorted(codes.items())),
            save_codes=dict(sorted(saves.items())),
            analyses_per_s=round(codes[200] / wall, 2),
            unexpected_5xx=sum(bad.values()),
            peak_rss_mb=round(max(peak), 1),
            start_rss_mb=round(peak[0], 1),
            files_saved=sum(len(t) for t in saved.values()),
            files_intact=intact,
        )
    finally:
        s.stop()


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--browser", action="store_true", help="also time edits in headless chromium")
    ap.add_argument("--load", action="store_true", help="the load test instead")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60.0)
    args = ap.parse_args()
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    with tempfile.TemporaryDirectory() as tmp:
        if args.load:
            bench_load(Path(tmp) / "ws", args.clients, args.seconds)
            return
        s = bench_start(Path(tmp) / "ws")
        try:
            bench_edit(s, args.runs)
            if args.browser:
                bench_browser(s, args.runs)
        finally:
            s.stop()


if __name__ == "__main__":
    main()
