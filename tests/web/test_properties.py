"""Properties of the safety layers, against brute force: the body limit over any
chunking, and file names that never leave the workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import examples
from tests.web.conftest import run_async

from detente.web.safety import BodyLimit
from detente.web.workspace import WorkspaceError, check_name


def _run(limit: int, chunks: list[bytes], declared: bool) -> tuple[int | None, bytes | None]:
    """Send ``chunks`` through BodyLimit: (status it answered, body the app saw)."""
    seen: list[bytes] = []
    sent: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        message = await receive()
        seen.append(message["body"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    messages = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ] or [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = [(b"content-length", str(sum(map(len, chunks))).encode())] if declared else []
    scope = {"type": "http", "headers": headers, "path": "/api/validate"}
    run_async(lambda: BodyLimit(app, limit)(scope, receive, send))
    status = next((m["status"] for m in sent if m["type"] == "http.response.start"), None)
    return status, (seen[0] if seen else None)


@settings(max_examples=examples(100), deadline=None)
@given(
    limit=st.integers(0, 300),
    chunks=st.lists(st.binary(max_size=80), max_size=8),
    declared=st.booleans(),
)
def test_body_limit_over_any_chunking(limit: int, chunks: list[bytes], declared: bool) -> None:
    status, body = _run(limit, chunks, declared)
    whole = b"".join(chunks)
    if len(whole) > limit:
        assert status == 413 and body is None  # the app never sees it
    else:
        assert status == 200 and body == whole  # replayed intact, in one piece


@settings(max_examples=examples(300), deadline=None)
@given(
    name=st.text(st.characters(codec="utf-8"), max_size=40)
    | st.from_regex(r"[A-Za-z0-9._/-]{1,20}\.yaml", fullmatch=True)
)
def test_accepted_names_stay_in_the_workspace(name: str) -> None:
    root = Path("/srv/workspace")
    try:
        check_name(name)
    except WorkspaceError:
        return
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".") and ".." not in name
    assert (root / name).resolve().parent == root
    assert name.endswith((".yaml", ".yml", ".json"))
