"""Pure ASGI middleware: refuse request bodies over a per-route limit with 413.

Every route gets `default_limit` bytes unless `limits` names it (by method and path) with
its own limit, or with None when the route enforces one itself (the streamed upload). A
declared `Content-Length` over the limit is refused before the body is read. A body without
one (chunked) is read here up to the limit, then handed on; one byte more and the answer is
413. The app behind never sees a body over its limit, and nothing unbounded is buffered.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

RouteKey = tuple[str, str]
NO_BODY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BodyLimitMiddleware:
    """Answer 413 in the error shape when a request body is larger than its route allows."""

    def __init__(
        self, app: ASGIApp, *, default_limit: int, limits: Mapping[RouteKey, int | None]
    ) -> None:
        self.app = app
        self.default_limit = default_limit
        self.limits = dict(limits)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.get((scope["method"], scope["path"]), self.default_limit)
        if limit is None:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None:
            if declared.isdigit() and int(declared) > limit:
                await _too_large(send, limit)
                return
            await self.app(scope, receive, send)
            return
        if scope["method"] in NO_BODY_METHODS and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)
            return
        buffered = await _read_at_most(receive, limit)
        if buffered is None:
            await _too_large(send, limit)
            return
        await self.app(scope, _replay(buffered, receive), send)


async def _read_at_most(receive: Receive, limit: int) -> list[Message] | None:
    """The request's messages while the body stays within `limit`; None once it does not.

    A disconnect ends the reading early; it is handed on to the app like the rest."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages
        size += len(message.get("body", b""))
        if size > limit:
            return None
        if not message.get("more_body", False):
            return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A receive that gives the buffered messages first, then the real ones."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


async def _too_large(send: Send, limit: int) -> None:
    """Send the 413 answer in the platform's error shape."""
    body = json.dumps(
        {
            "error": {
                "code": "payload_too_large",
                "message": f"The request body is larger than the limit of {limit:,} bytes.",
                "details": {"max_bytes": limit},
            }
        }
    ).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
