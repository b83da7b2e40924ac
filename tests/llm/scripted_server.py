"""A scripted OpenAI-compatible HTTP server on loopback: the test double of the LLM path.

It is a real HTTP/1.1 server (stdlib `ThreadingHTTPServer`, one thread per connection,
chunked SSE for `stream=true`) on 127.0.0.1 and a free port, driven through the real
`openai` client. Endpoints: `POST /v1/chat/completions` (stream and non-stream) and
`GET /v1/models`. Each chat-completion request pops the next scripted turn; every
request (any path) is recorded with its headers and parsed JSON body.

Use in a test suite (the fixture starts one server per pytest session, shared by every
suite that imports it, and resets its script and records before and after each test):

    # tests/<suite>/conftest.py
    from tests.llm.fixtures import llm_server  # noqa: F401

    # tests/<suite>/test_x.py
    from tests.llm.scripted_server import Reply, ScriptedLLMServer, ToolCall

    def test_tool_loop(llm_server: ScriptedLLMServer) -> None:
        llm_server.script(
            Reply(tool_calls=[ToolCall.run_python("print(1 + 1)", id="call_1")]),
            lambda body: Reply(text="It is " + body["messages"][-1]["content"]),
        )
        client = openai.OpenAI(base_url=llm_server.base_url, api_key="sk-test")
        ...
        assert llm_server.requests[-1].messages[-1]["tool_call_id"] == "call_1"

A turn is a `Reply` (text, tool calls, HTTP error, delays, malformed output, dropped
connection; see `Reply`) or a callable taking the parsed request body and returning a
`Reply`. When the script is empty the server answers 500 with a `script_exhausted`
error (and `x-should-retry: false`, so the openai client fails at once). A scripted
callable that raises also gives 500; the exception is kept in `callable_errors`.
Standalone use: `with ScriptedLLMServer() as server: ...`.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from types import TracebackType
from typing import Any

from tests.llm.handler import ScriptedHandler, ServerState
from tests.llm.script import RecordedRequest, Reply, ReplyFactory, ToolCall, Turn

__all__ = ["RecordedRequest", "Reply", "ReplyFactory", "ScriptedLLMServer", "ToolCall", "Turn"]

DEFAULT_MODELS = ["scripted-model", "gpt-4o-mini"]


class _LoopbackHTTPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """A threading HTTP server on 127.0.0.1 that can cut its open connections and
    joins its connection threads on close."""

    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True

    def __init__(self, state: ServerState) -> None:
        """Bind 127.0.0.1 on a free port."""
        super().__init__(("127.0.0.1", 0), ScriptedHandler)
        self.state = state
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        """Track the connection, then serve it in its own thread."""
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Forget and close a finished connection."""
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def cut_open_connections(self) -> None:
        """Shut down every open connection so its thread stops waiting for input."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class ScriptedLLMServer:
    """Start/stop, script and inspect the loopback OpenAI-compatible server."""

    def __init__(
        self, *, models: list[str] | None = None, expected_api_key: str | None = None
    ) -> None:
        """Not started yet; `expected_api_key` makes other bearer tokens get 401."""
        self._state = ServerState(list(models or DEFAULT_MODELS), expected_api_key)
        self._http: _LoopbackHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> ScriptedLLMServer:
        """Bind a free port on 127.0.0.1 and serve in a background thread."""
        if self._http is not None:
            raise RuntimeError("ScriptedLLMServer is already running")
        self._http = _LoopbackHTTPServer(self._state)
        self._thread = threading.Thread(
            target=self._http.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"scripted-llm-{self.port}",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, end pending delays, cut connections, join every thread."""
        if self._http is None or self._thread is None:
            return
        self._http.shutdown()
        self._thread.join()
        self._state.interrupt()
        self._http.cut_open_connections()
        self._http.server_close()
        self._http = None
        self._thread = None

    def __enter__(self) -> ScriptedLLMServer:
        """Start."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop."""
        self.stop()

    @property
    def port(self) -> int:
        """The bound TCP port."""
        if self._http is None:
            raise RuntimeError("ScriptedLLMServer is not running")
        return int(self._http.server_address[1])

    @property
    def base_url(self) -> str:
        """The `base_url` for the openai client, e.g. `http://127.0.0.1:PORT/v1`."""
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *turns: Turn) -> None:
        """Append turns; each chat-completion request consumes the first one left."""
        self._state.script.extend(turns)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received since the last reset, oldest first."""
        return self._state.script.requests

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """The chat-completion requests among `requests`."""
        return [r for r in self.requests if r.path.rstrip("/").endswith("/chat/completions")]

    @property
    def remaining(self) -> int:
        """Scripted turns not consumed yet."""
        return self._state.script.remaining

    @property
    def callable_errors(self) -> list[BaseException]:
        """Exceptions raised by scripted callables since the last reset."""
        return list(self._state.callable_errors)

    @property
    def expected_api_key(self) -> str | None:
        """The enforced API key, or None to accept any."""
        return self._state.expected_api_key

    @expected_api_key.setter
    def expected_api_key(self, value: str | None) -> None:
        """Enforce `value` as the bearer token (None accepts any)."""
        self._state.expected_api_key = value

    def reset(self) -> None:
        """Forget turns, records and callable errors; end pending delays; accept any key."""
        self._state.interrupt()
        self._state.script.clear()
        self._state.callable_errors.clear()
        self._state.expected_api_key = None
