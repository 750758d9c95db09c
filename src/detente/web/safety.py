"""What keeps the web app safe to run: raw ASGI middleware and checks on untrusted text.

- :class:`BodyLimit` counts the bytes of every request body as they arrive (chunked
  bodies included; ``Content-Length`` is only an early refusal, never trusted) and sends
  ``413`` itself past the limit.
- :class:`Guard` refuses requests whose ``Host`` is not one the server answers to (DNS
  rebinding), checks the access token when there is one (``Authorization: Bearer``, the
  cookie it sets, or ``?token=`` once on a page), and adds the security headers to every
  response: a Content-Security-Policy with no inline script, no ``eval`` and no external
  origin (:data:`CSP`), ``nosniff``, no referrer, no framing.
- :func:`alias_budget` reads the YAML event stream (no values are built) and refuses a
  document whose aliases exceed a small budget, or whose expansion would, before any
  loader sees it: a 322-byte alias bomb expands to 26 MB.

Nothing here imports FastAPI: the middleware are plain ASGI callables.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from detente.errors import Problem, ScenarioError

__all__ = [
    "CSP",
    "MAX_ALIASES",
    "MAX_EXPANDED",
    "BodyLimit",
    "Guard",
    "alias_budget",
    "new_token",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_ALIASES = 64  # aliases in one document
MAX_EXPANDED = 50_000  # nodes once every alias is expanded (Cairo has about 3,000)

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        # Plotly and CodeMirror set styles from script (CSSOM and constructed sheets);
        # no script may run inline
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# a downloaded report is not a page of this app: rendered here it runs nothing
REPORT_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
COOKIE = "detente_token"


def new_token() -> str:
    """A fresh access token (URL-safe, 32 random bytes)."""
    return secrets.token_urlsafe(32)


async def _reply(
    send: Send, status: int, detail: str, extra: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *_HEADERS,
        (b"content-security-policy", CSP.encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with ``413``, counting what arrives.

    The body is read here, up to the limit, and replayed to the app: an app never sees
    a body over the limit, however it is framed.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_big = f"request body larger than the {self.limit:,}-byte limit"
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _reply(send, 400, "bad Content-Length")
                    return
                if declared > self.limit:
                    await _reply(send, 413, too_big)
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await _reply(send, 413, too_big)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


@dataclass(frozen=True)
class Access:
    """Who may talk to the server: the ``Host`` names it answers to, and its token."""

    hosts: frozenset[str] | None  # None: any host (then a token is required)
    token: str | None


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", []):
        if k == name:
            return bytes(v).decode("latin-1")
    return None


def _cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie") or ""
    for part in raw.split(";"):
        k, _, v = part.strip().partition("=")
        if k == name:
            return v
    return None


def _host_name(host: str) -> str:
    if host.startswith("["):  # [::1]:8000
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Guard:
    """Host check, token check and security headers (see the module docstring)."""

    def __init__(self, app: ASGIApp, access: Access) -> None:
        self.app = app
        self.access = access

    def _token_ok(self, scope: Scope) -> tuple[bool, bool]:
        """(allowed, came in the query string)."""
        token = self.access.token
        if token is None:
            return True, False
        auth = _header(scope, b"authorization") or ""
        if auth.startswith("Bearer ") and secrets.compare_digest(auth[7:].encode(), token.encode()):
            return True, False
        cookie = _cookie(scope, COOKIE)
        if cookie is not None and secrets.compare_digest(cookie.encode(), token.encode()):
            return True, False
        query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
        given = query.get("token", [""])[0]
        if given and secrets.compare_digest(given.encode(), token.encode()):
            return True, True
        return False, False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.access.hosts is not None:
            host = _host_name(_header(scope, b"host") or "")
            if host not in self.access.hosts:
                await _reply(send, 421, "this server does not answer to that host name")
                return
        allowed, by_query = self._token_ok(scope)
        if not allowed:
            await _reply(
                send,
                401,
                "an access token is required (the one 'detente serve' printed): open the "
                "page with ?token=..., or send 'Authorization: Bearer ...'",
                [(b"www-authenticate", b"Bearer")],
            )
            return
        path = str(scope.get("path", ""))
        set_cookie = by_query and self.access.token is not None

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {bytes(k).lower() for k, _ in headers}
                headers.extend(h for h in _HEADERS if h[0] not in names)
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                if path.startswith("/api/") and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                if set_cookie:
                    cookie = f"{COOKIE}={self.access.token}; HttpOnly; SameSite=Strict; Path=/"
                    headers.append((b"set-cookie", cookie.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def _budget_problem(name: str, mark: Any, message: str) -> ScenarioError:
    return ScenarioError(
        [
            Problem(
                message,
                (),
                name,
                None if mark is None else mark.line + 1,
                None if mark is None else mark.column + 1,
                f"at most {MAX_ALIASES} aliases, expanding to at most {MAX_EXPANDED:,} values",
                "write the repeated values out, or use fewer YAML anchors (&) and aliases (*)",
            )
        ]
    )


def alias_budget(text: str, name: str = "<body>") -> None:
    """Refuse ``text`` when its YAML aliases exceed the budget; raise ScenarioError.

    Reads parse events only (nothing is constructed), so a bomb costs its own size. Text
    without an anchor (``&``) cannot hold an alias and is not read. Syntax errors are
    left to the loader, which locates them.
    """
    if "&" not in text:
        return
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        ScalarEvent,
    )

    sizes: dict[str, int] = {}
    stack: list[tuple[str | None, int]] = []  # (anchor, expanded size so far)
    aliases = 0
    expanded = 0

    def add(n: int) -> None:
        nonlocal expanded
        expanded += n
        if stack:
            anchor, size = stack[-1]
            stack[-1] = (anchor, size + n)

    try:
        for ev in YAML(typ="safe", pure=False).parse(text):
            if isinstance(ev, ScalarEvent):
                if ev.anchor:
                    sizes[ev.anchor] = 1
                add(1)
            elif isinstance(ev, AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise _budget_problem(
                        name, ev.start_mark, f"more than {MAX_ALIASES} YAML aliases"
                    )
                add(sizes.get(ev.anchor, 1))
            elif isinstance(ev, CollectionStartEvent):
                stack.append((ev.anchor, 0))
                expanded += 1
            elif isinstance(ev, CollectionEndEvent) and stack:
                anchor, size = stack.pop()
                if anchor:
                    sizes[anchor] = size + 1
                if stack:
                    a, s = stack[-1]
                    stack[-1] = (a, s + size + 1)
            if expanded > MAX_EXPANDED:
                raise _budget_problem(
                    name,
                    getattr(ev, "start_mark", None),
                    f"YAML aliases expand the document past {MAX_EXPANDED:,} values",
                )
    except YAMLError:
        return  # the loader reports the syntax error at its place
