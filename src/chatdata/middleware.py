"""Pure ASGI middleware: request ids, client IP, security headers, metrics, access log."""

from __future__ import annotations

import logging
import re
import secrets
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chatdata.logs import client_ip_var, request_id_var
from chatdata.ops.metrics import Metrics
from chatdata.ops.security_headers import SecurityHeaders

log = logging.getLogger("chatdata.access")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
UNMATCHED_ROUTE = "unmatched"


class RequestContextMiddleware:
    """Give every request an id (kept from `X-Request-ID` when sane), echo it back, put it
    and the client's IP in the request context (logs, audit), add the security headers,
    count the request in the metrics (by route template), and log one line."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: Metrics | None = None,
        headers: SecurityHeaders | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.headers = headers or SecurityHeaders(hsts=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _VALID_ID.match(incoming) else secrets.token_hex(8)
        token = request_id_var.set(request_id)
        client = scope.get("client")
        ip_token = client_ip_var.set(client[0] if client else None)
        scope.setdefault("state", {})["request_id"] = request_id
        extra_headers = self.headers.for_path(scope["path"])
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                headers.extend(extra_headers)
                message["headers"] = headers
            await send(message)

        if self.metrics is not None:
            self.metrics.http_in_flight.inc()
        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            elapsed = time.perf_counter() - started
            if self.metrics is not None:
                self.metrics.http_in_flight.dec()
                self.metrics.observe_request(scope["method"], _route(scope), status, elapsed)
            log.info(
                "%s %s %s %.1fms",
                scope["method"],
                scope["path"],
                status,
                elapsed * 1000,
                extra={"fields": {"status": status, "duration_ms": round(elapsed * 1000, 1)}},
            )
            client_ip_var.reset(ip_token)
            request_id_var.reset(token)


def _route(scope: Scope) -> str:
    """The matched route's full template, e.g. `/api/v1/datasets/{dataset_id}` (never the
    raw path: no ids in metric labels).

    A route included with a prefix knows only its own part (`/datasets/{dataset_id}`): the
    prefix is the part of the request path before the suffix that route matches."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    pattern = getattr(route, "path_regex", None)
    if not isinstance(template, str) or pattern is None:
        return UNMATCHED_ROUTE
    path: str = scope["path"]
    start = 0
    while start != -1:
        if pattern.match(path[start:]):
            return path[:start] + template
        start = path.find("/", start + 1)
    return template
