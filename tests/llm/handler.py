"""The HTTP request handler of the scripted LLM server: records each request, routes
`POST /v1/chat/completions` to the next scripted turn and `GET /v1/models` to the
model list, and renders a `Reply` as a JSON body or an SSE stream."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler
from typing import Any, cast
from urllib.parse import urlsplit

from tests.llm import payloads
from tests.llm.script import JSONObject, RecordedRequest, Reply, Script, Turn, error_body
from tests.llm.wire import Wire

MALFORMED_JSON = b'{"id": "chatcmpl-malformed", "object": "chat.completion", "choices": [{"ind'
MALFORMED_EVENT = '{"id": "chatcmpl-malformed", "choices": [{"delta": {"content": "unterminat'
NO_RETRY = {"x-should-retry": "false"}


class ServerState:
    """What the handler threads share: the script, settings, and a wake-up for delays."""

    def __init__(self, model_ids: list[str], expected_api_key: str | None) -> None:
        """An empty script; `expected_api_key` (if set) is enforced with 401."""
        self.script = Script()
        self.model_ids = model_ids
        self.expected_api_key = expected_api_key
        self.callable_errors: list[BaseException] = []
        self._wake = threading.Condition()
        self._generation = 0

    def sleep(self, seconds: float) -> bool:
        """Wait `seconds`; False if `interrupt()` cut the wait short."""
        if seconds <= 0:
            return True
        with self._wake:
            started = self._generation
            return not self._wake.wait_for(lambda: self._generation != started, seconds)

    def interrupt(self) -> None:
        """End every pending delay (the waiting responses are then dropped)."""
        with self._wake:
            self._generation += 1
            self._wake.notify_all()


class ScriptedHandler(BaseHTTPRequestHandler):
    """Serves one keep-alive connection of the scripted server."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # each SSE event leaves at once (no 40 ms ACK stall)
    timeout = 60  # an idle keep-alive connection never outlives a minute

    @property
    def state(self) -> ServerState:
        """The shared state, attached to the server object."""
        return cast(ServerState, cast(Any, self.server).state)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""

    def handle(self) -> None:
        """Serve requests until the client leaves; a client reset is a normal end."""
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):
            self.close_connection = True

    def do_GET(self) -> None:
        """Handle a GET request."""
        self._handle()

    def do_POST(self) -> None:
        """Handle a POST request."""
        self._handle()

    def _handle(self) -> None:
        """Record, route and answer; a vanished client just ends the connection."""
        request = self._read_request()
        self.state.script.record(request)
        wire = Wire(self, f"req_{len(self.state.script.requests)}")
        try:
            self._route(request, wire)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _read_request(self) -> RecordedRequest:
        """The request line, headers and parsed JSON body."""
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        return RecordedRequest(
            method=self.command,
            path=self.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            raw_body=raw,
            body=body if isinstance(body, dict) else None,
        )

    def _route(self, request: RecordedRequest, wire: Wire) -> None:
        """Dispatch by method and path."""
        path = urlsplit(request.path).path.rstrip("/")
        if not self._authorized(request):
            wire.send_json(401, error_body(401, "Incorrect API key provided (scripted)."))
        elif (request.method, path) == ("GET", "/v1/models"):
            wire.send_json(200, payloads.models_list(self.state.model_ids))
        elif (request.method, path) == ("POST", "/v1/chat/completions"):
            self._chat(request, wire)
        else:
            message = f"ScriptedLLMServer has no route {request.method} {path}"
            wire.send_json(404, error_body(404, message), NO_RETRY)

    def _authorized(self, request: RecordedRequest) -> bool:
        """True unless an expected API key is set and the bearer token differs."""
        expected = self.state.expected_api_key
        return expected is None or request.authorization == f"Bearer {expected}"

    def _chat(self, request: RecordedRequest, wire: Wire) -> None:
        """Answer a chat completion with the next scripted turn."""
        if request.body is None:
            wire.send_json(400, error_body(400, "request body is not a JSON object"), NO_RETRY)
            return
        number, turn = self.state.script.pop()
        if turn is None:
            message = (
                f"ScriptedLLMServer: the script ran out; chat completion request #{number} "
                "has no scripted reply (call server.script(...) with one more Reply)"
            )
            wire.send_json(500, error_body(500, message, "script_exhausted"), NO_RETRY)
            return
        reply = self._resolve(turn, request.body, wire)
        if reply is not None:
            ReplyRenderer(self.state, wire, request.body, reply).render()

    def _resolve(self, turn: Turn, body: JSONObject, wire: Wire) -> Reply | None:
        """The turn itself, or what the scripted callable returns for `body`."""
        if isinstance(turn, Reply):
            return turn
        try:
            reply = turn(body)
            if not isinstance(reply, Reply):
                raise TypeError(f"scripted callable returned {reply!r}, not a Reply")
        except Exception as exc:
            self.state.callable_errors.append(exc)
            message = f"ScriptedLLMServer: scripted callable raised {type(exc).__name__}: {exc}"
            wire.send_json(500, error_body(500, message, "script_callable_failed"), NO_RETRY)
            return None
        return reply


class ReplyRenderer:
    """Sends one `Reply` for one chat-completion request."""

    def __init__(self, state: ServerState, wire: Wire, request: JSONObject, reply: Reply) -> None:
        """Render `reply` to the request body `request` through `wire`."""
        self._state = state
        self._wire = wire
        self._request = request
        self._reply = reply

    def render(self) -> None:
        """Wait the first delay, then send an error, a stream or a whole completion."""
        reply = self._reply
        if not self._state.sleep(reply.delay_first):
            self._wire.drop()
        elif reply.status != 200:
            body = reply.error_body or error_body(reply.status, f"scripted {reply.status}")
            self._wire.send_json(reply.status, body, reply.headers)
        elif self._request.get("stream"):
            self._stream()
        else:
            self._whole()

    def _whole(self) -> None:
        """The non-stream answer: a completion, broken JSON, or half a body."""
        reply = self._reply
        if reply.malformed:
            self._wire.send_body(200, MALFORMED_JSON, reply.headers)
            return
        body = json.dumps(payloads.completion(self._request, reply)).encode()
        cut = None if reply.drop_after_chunks is None else len(body) // 2
        self._wire.send_body(200, body, reply.headers, truncate_at=cut)

    def _stream(self) -> None:
        """The SSE answer: chunk events, `[DONE]`, with the scripted faults."""
        reply = self._reply
        self._wire.start_stream(reply.headers)
        for index, chunk in enumerate(payloads.stream_chunks(self._request, reply)):
            if index == reply.drop_after_chunks:
                self._wire.drop()
                return
            if index and not self._state.sleep(reply.delay_between):
                self._wire.drop()
                return
            self._wire.send_event(json.dumps(chunk))
            if reply.malformed and index == 0:
                self._wire.send_event(MALFORMED_EVENT)
        if reply.drop_after_chunks is not None:
            self._wire.drop()
            return
        self._wire.send_event("[DONE]")
        self._wire.end_stream()
