"""Bytes on the wire for one HTTP/1.1 response: a whole JSON body, a chunked
Server-Sent-Events stream, a truncated body, or a connection cut mid-way."""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler

from tests.llm.script import JSONObject


class Wire:
    """Writes one response through a `BaseHTTPRequestHandler` (HTTP/1.1, keep-alive)."""

    def __init__(self, handler: BaseHTTPRequestHandler, request_id: str) -> None:
        """Write to `handler`'s connection; every response carries `x-request-id`."""
        self._handler = handler
        self._request_id = request_id

    def send_json(
        self, status: int, payload: JSONObject, headers: Mapping[str, str] | None = None
    ) -> None:
        """A complete JSON response."""
        self.send_body(status, json.dumps(payload).encode(), headers)

    def send_body(
        self,
        status: int,
        body: bytes,
        headers: Mapping[str, str] | None = None,
        truncate_at: int | None = None,
    ) -> None:
        """A JSON-typed response of `body`; with `truncate_at`, only that many bytes
        are sent (Content-Length still announces all) and the connection is cut."""
        self._start(status, {"content-type": "application/json", **(headers or {})})
        self._handler.send_header("content-length", str(len(body)))
        self._handler.end_headers()
        self._handler.wfile.write(body if truncate_at is None else body[:truncate_at])
        if truncate_at is not None:
            self.drop()

    def start_stream(self, headers: Mapping[str, str] | None = None) -> None:
        """The head of a 200 `text/event-stream` response with chunked encoding."""
        self._start(
            200,
            {
                "content-type": "text/event-stream; charset=utf-8",
                "cache-control": "no-cache",
                **(headers or {}),
            },
        )
        self._handler.send_header("transfer-encoding", "chunked")
        self._handler.end_headers()

    def send_event(self, data: str) -> None:
        """One SSE `data:` event, sent as its own HTTP chunk and flushed."""
        self._write_chunk(f"data: {data}\n\n".encode())

    def end_stream(self) -> None:
        """The terminating zero-length chunk."""
        self._write_chunk(b"")

    def drop(self) -> None:
        """Cut the connection now (the client sees an early end of the body)."""
        self._handler.close_connection = True
        with contextlib.suppress(OSError):
            self._handler.connection.shutdown(socket.SHUT_RDWR)

    def _start(self, status: int, headers: Mapping[str, str]) -> None:
        """Status line and headers (except the framing header)."""
        self._handler.send_response(status)
        self._handler.send_header("x-request-id", self._request_id)
        for name, value in headers.items():
            self._handler.send_header(name, value)

    def _write_chunk(self, data: bytes) -> None:
        """One chunk of a chunked body."""
        self._handler.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")
        self._handler.wfile.flush()
