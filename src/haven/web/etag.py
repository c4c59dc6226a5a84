"""Strong ETags for JSON and GeoJSON responses, and ``304 Not Modified`` when the client has them.

A pure ASGI middleware: for a GET answered 200 with a JSON or GeoJSON body, it hashes the body
(SHA-256) into a strong ETag, and answers ``If-None-Match`` with 304 and no body when one of the
client's tags matches. Hashing the body rather than the database state is what keeps the tag right:
the same URL gives the public coarsened points and a viewer exact ones, and each answer gets its own
tag without the middleware having to know why they differ. For the same reason responses carry
``Vary: Authorization, Cookie``, so a shared cache never gives one user's answer to another, and
``Cache-Control: no-cache`` (store, but ask again with the tag) unless the route set its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TAGGED_TYPES = ("application/json", "application/geo+json")
VARY = ("Authorization", "Cookie")
# RFC 9110 15.4.5: a 304 carries the headers a 200 would have that describe caching, not the body
_BODY_HEADERS = frozenset({"content-length", "content-type", "content-encoding", "transfer-encoding"})


def etag_of(body: bytes) -> str:
    """The strong ETag of a response body."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, as RFC 9110 13.1.2 asks)."""
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


def _is_tagged(headers: Headers) -> bool:
    media_type = headers.get("content-type", "").split(";")[0].strip().lower()
    return media_type in TAGGED_TYPES and "etag" not in headers


def _add_vary(headers: MutableHeaders, names: Iterable[str]) -> None:
    present = {v.strip().lower() for v in headers.get("vary", "").split(",") if v.strip()}
    for name in names:
        if name.lower() not in present and "*" not in present:
            headers.add_vary_header(name)


class ETagMiddleware:
    """Add ETags to GET responses in JSON or GeoJSON and answer conditional requests with 304."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        if_none_match = Headers(scope=scope).get("if-none-match")
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if message["status"] == 200 and _is_tagged(Headers(raw=message["headers"])):
                    start = message  # hold it until the whole body is known
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await _finish(start, b"".join(chunks))

        async def _finish(begin: Message, body: bytes) -> None:
            tag = etag_of(body)
            headers = MutableHeaders(raw=list(begin["headers"]))
            headers["etag"] = tag
            _add_vary(headers, VARY)
            if "cache-control" not in headers:
                headers["cache-control"] = "no-cache"
            if if_none_match is not None and matches(if_none_match, tag):
                kept = [(k, v) for k, v in headers.raw if k.decode("latin-1").lower() not in _BODY_HEADERS]
                await send({"type": "http.response.start", "status": 304, "headers": kept})
                await send({"type": "http.response.body", "body": b""})
                return
            await send({**begin, "headers": headers.raw})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffered)


__all__ = ["ETagMiddleware", "etag_of", "matches"]
