"""Saving (never overwrite without asking, keep every version, names sanitised, no
links out) and jobs (202, progress by server-sent events, the result kept)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import YAML, run_async

from detente.web.jobs import JobStore
from detente.web.workers import Limits, WorkerPool
from detente.web.workspace import Exists, Workspace, WorkspaceError, check_name


@pytest.mark.parametrize(
    "name",
    [
        "../x.yaml",
        "/etc/passwd",
        "a/b.yaml",
        ".hidden.yaml",
        "x.txt",
        "x.yaml/",
        "..yaml",
        "a..b.yaml",
        "",
        "x" * 200 + ".yaml",
        "tab\t.yaml",
    ],
)
def test_bad_names_refused(name: str) -> None:
    with pytest.raises(WorkspaceError):
        check_name(name)


def test_save_never_overwrites_and_keeps_versions(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    info, kept = ws.save("talks.yaml", "title: one\n")
    assert kept is None and info.size == len("title: one\n")
    with pytest.raises(Exists):
        ws.save("talks.yaml", "title: two\n")
    assert ws.read("talks.yaml") == "title: one\n"
    _, kept = ws.save("talks.yaml", "title: two\n", overwrite=True)
    _, kept2 = ws.save("talks.yaml", "title: three\n", overwrite=True)
    assert ws.read("talks.yaml") == "title: three\n"
    assert ws.versions("talks.yaml") == [kept, kept2]
    assert ws.read_version("talks.yaml", kept) == "title: one\n"
    assert ws.read_version("talks.yaml", kept2) == "title: two\n"
    assert [f.name for f in ws.files()] == ["talks.yaml"]
    assert ws.files()[0].versions == 2


def test_symlinks_out_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("title: secret\n")
    ws = Workspace(tmp_path / "ws")
    os.symlink(outside, ws.root / "link.yaml")
    with pytest.raises(WorkspaceError, match="symbolic link"):
        ws.read("link.yaml")
    with pytest.raises(WorkspaceError, match="symbolic link"):
        ws.save("link.yaml", "title: x\n", overwrite=True)
    assert outside.read_text() == "title: secret\n"
    assert [f.name for f in ws.files()] == []  # links are not listed


def test_files_over_http(client: TestClient, cairo_text: str) -> None:
    r = client.put("/api/files/my-talks.yaml", content=cairo_text, headers=YAML)
    assert r.status_code == 201, r.text
    r = client.put("/api/files/my-talks.yaml", content="title: x\n", headers=YAML)
    assert r.status_code == 409
    assert "overwrite" in r.json()["detail"]
    r = client.put("/api/files/my-talks.yaml?overwrite=true", content="title: x\n", headers=YAML)
    assert r.status_code == 200
    kept = r.json()["kept"]
    assert client.get("/api/files/my-talks.yaml").text == "title: x\n"
    assert client.get(f"/api/files/my-talks.yaml/versions/{kept}").text == cairo_text
    assert client.get("/api/files/my-talks.yaml/versions").json()["versions"] == [kept]
    names = [f["name"] for f in client.get("/api/files").json()["files"]]
    assert "my-talks.yaml" in names
    for bad in ("..%2Fescape.yaml", "%2Fetc%2Fpasswd", ".env.yaml", "x.sh"):
        r = client.put(f"/api/files/{bad}", content="title: x\n", headers=YAML)
        assert r.status_code in (400, 404), bad
    assert client.get("/api/files/none.yaml").status_code == 404
    r = client.put("/api/files/x.yaml", content="a", headers={"content-type": "text/plain"})
    assert r.status_code == 415


def test_examples_over_http(client: TestClient, cairo_text: str) -> None:
    ex = client.get("/api/examples").json()["examples"]
    cairo = next(e for e in ex if e["name"] == "cairo-2024-05")
    assert cairo["title"].startswith("Cairo")
    assert client.get(cairo["url"]).text == cairo_text
    assert client.get("/api/examples/nope").status_code == 404


def test_job_progress_then_result(cairo_text: str) -> None:
    """A job reports progress as events, ends with 'done', and keeps its result."""

    async def scenario() -> tuple[list[str], dict[str, object], bytes | None]:
        pool = WorkerPool(1, Limits(60, 2048), 2)
        await pool.start()
        store = JobStore(pool)
        try:
            payload = {"text": cairo_text, "name": "c.yaml", "command": "analyze", "options": {}}
            job = store.submit("analyze", "detente.web.tasks:analyze", payload)
            events = [e async for e in store.events(job)]
            return events, job.to_dict(), job.result
        finally:
            await store.close()
            await pool.close()

    events, final, result = run_async(scenario)
    kinds = [e.split("\n", 1)[0] for e in events]
    assert kinds[-1] == "event: done"
    assert "event: progress" in kinds
    progress = [json.loads(e.split("data: ", 1)[1]) for e in events[:-1]]
    assert any(p["progress"] and p["progress"]["total"] > 0 for p in progress)
    assert final["status"] == "done" and final["result"].endswith("/result")
    assert result is not None and json.loads(result)["command"] == "analyze"


def test_job_store_refuses_when_full(cairo_text: str) -> None:
    async def scenario() -> list[str]:
        pool = WorkerPool(1, Limits(60, 2048), 0)
        await pool.start()
        store = JobStore(pool)
        out = []
        try:
            payload = {"text": cairo_text, "name": "c.yaml", "command": "analyze", "options": {}}
            store.submit("analyze", "detente.web.tasks:analyze", payload)
            try:
                store.submit("analyze", "detente.web.tasks:analyze", payload)
            except Exception as err:
                out.append(type(err).__name__)
        finally:
            await store.close()
            await pool.close()
        return out

    assert run_async(scenario) == ["Busy"]


def test_unknown_job_is_404(client: TestClient) -> None:
    r = client.get("/api/jobs/doesnotexist")
    assert r.status_code == 404
    assert client.get("/api/jobs/doesnotexist/events").status_code == 404
