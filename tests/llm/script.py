"""What the scripted LLM server answers (`Reply`, `ToolCall`) and what it received
(`RecordedRequest`), plus the thread-safe queue of scripted turns (`Script`)."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

JSONObject = dict[str, Any]

ERROR_TYPES = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    404: ("invalid_request_error", "not_found"),
    429: ("requests", "rate_limit_exceeded"),
}


@dataclass(frozen=True)
class ToolCall:
    """One function call the assistant makes; `arguments` is the raw JSON string."""

    name: str
    arguments: str
    id: str | None = None

    @classmethod
    def run_python(cls, code: str, id: str | None = None) -> ToolCall:
        """A `run_python` call whose arguments are `{"code": code}`."""
        return cls(name="run_python", arguments=json.dumps({"code": code}), id=id)


@dataclass(frozen=True)
class Reply:
    """One scripted answer to one chat-completion request.

    `text` and/or `tool_calls` form a 200 answer. A `status` other than 200 sends
    `error_body` (an OpenAI-style error object by default) and `headers`.
    `delay_first` waits before the first byte, `delay_between` between stream events;
    `chunks` is how many pieces text and each tool call's arguments are split into when
    streaming. `malformed` sends a broken JSON body (non-stream) or one broken SSE data
    line after the first event (stream). `drop_after_chunks` cuts the connection after
    that many SSE events (stream) or half-way through the body (non-stream).
    Token counts default to a chars/4 estimate of the request messages and the reply.
    """

    text: str | None = None
    tool_calls: Sequence[ToolCall] = ()
    status: int = 200
    error_body: JSONObject | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    delay_first: float = 0.0
    delay_between: float = 0.0
    chunks: int = 3
    malformed: bool = False
    drop_after_chunks: int | None = None
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None

    def __post_init__(self) -> None:
        """Accept a list of tool calls as well as a tuple."""
        object.__setattr__(self, "tool_calls", tuple(self.tool_calls))
        if self.chunks < 1:
            raise ValueError("chunks must be >= 1")

    @classmethod
    def http_error(
        cls,
        status: int,
        message: str | None = None,
        *,
        retry_after: float | None = None,
        delay_first: float = 0.0,
    ) -> Reply:
        """An error answer with the OpenAI error body for `status` (and `retry-after`)."""
        headers = {} if retry_after is None else {"retry-after": _seconds(retry_after)}
        return cls(
            status=status,
            error_body=error_body(status, message or f"scripted HTTP {status} error"),
            headers=headers,
            delay_first=delay_first,
        )

    @classmethod
    def rate_limited(cls, retry_after: float = 1.0) -> Reply:
        """A 429 "Rate limit reached" answer with a `retry-after` header (seconds)."""
        return cls.http_error(429, "Rate limit reached (scripted)", retry_after=retry_after)

    @property
    def effective_finish_reason(self) -> str:
        """`finish_reason` as sent: explicit, else `tool_calls` or `stop`."""
        if self.finish_reason is not None:
            return self.finish_reason
        return "tool_calls" if self.tool_calls else "stop"


ReplyFactory = Callable[[JSONObject], Reply]
"""A scripted turn computed from the parsed request body when the request arrives."""

Turn = Reply | ReplyFactory


def error_body(status: int, message: str, error_type: str | None = None) -> JSONObject:
    """The OpenAI error JSON `{"error": {"message", "type", "param", "code"}}`."""
    default_type, code = ERROR_TYPES.get(status, ("server_error", None))
    return {
        "error": {
            "message": message,
            "type": error_type or default_type,
            "param": None,
            "code": code,
        }
    }


def _seconds(value: float) -> str:
    """A delay as a header value: `2` for whole seconds, else `0.05`."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request the server received; header names are lower-case."""

    method: str
    path: str
    headers: dict[str, str]
    raw_body: bytes
    body: JSONObject | None

    @property
    def messages(self) -> list[JSONObject]:
        """The `messages` of a chat-completion request (empty otherwise)."""
        return list((self.body or {}).get("messages", []))

    @property
    def authorization(self) -> str | None:
        """The Authorization header as received."""
        return self.headers.get("authorization")

    def occurrences(self, text: str) -> list[str]:
        """Where `text` appears: `path`, `header:<name>` and/or `body`."""
        places = ["path"] if text in self.path else []
        places += [f"header:{name}" for name, value in self.headers.items() if text in value]
        if text.encode() in self.raw_body:
            places.append("body")
        return places


class Script:
    """The queue of scripted turns and the log of received requests, shared by threads."""

    def __init__(self) -> None:
        """Start empty."""
        self._lock = threading.Lock()
        self._turns: deque[Turn] = deque()
        self._requests: list[RecordedRequest] = []
        self._served = 0

    def extend(self, turns: tuple[Turn, ...]) -> None:
        """Append turns; each chat-completion request pops the first."""
        for turn in turns:
            if not isinstance(turn, Reply) and not callable(turn):
                raise TypeError(f"a scripted turn must be a Reply or a callable, got {turn!r}")
        with self._lock:
            self._turns.extend(turns)

    def pop(self) -> tuple[int, Turn | None]:
        """The next turn (None when the script ran out) and its 1-based number."""
        with self._lock:
            self._served += 1
            turn = self._turns.popleft() if self._turns else None
            return self._served, turn

    def record(self, request: RecordedRequest) -> None:
        """Remember a received request."""
        with self._lock:
            self._requests.append(request)

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of all received requests, oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def remaining(self) -> int:
        """How many scripted turns have not been served yet."""
        with self._lock:
            return len(self._turns)

    def clear(self) -> None:
        """Forget the turns and the requests."""
        with self._lock:
            self._turns.clear()
            self._requests.clear()
            self._served = 0
