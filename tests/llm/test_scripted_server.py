"""The scripted LLM server, driven through the real `openai` client (sync and async):
text and tool calls, streamed and not, a tool loop, HTTP errors, retries, timeouts,
malformed output, dropped connections, request recording and clean shutdown."""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from tests.llm.payloads import split_evenly
from tests.llm.scripted_server import Reply, ScriptedLLMServer, ToolCall

API_KEY = "sk-test-0123456789abcdef"
MODEL = "scripted-model"
QUESTION: list[Any] = [{"role": "user", "content": "How many rows?"}]
RUN_PYTHON_TOOL: Any = {
    "type": "function",
    "function": {
        "name": "run_python",
        "description": "Run Python in the sandbox kernel.",
        "strict": True,
        "parameters": {
            "type": "object",
            "properties": {"code": {"type": "string"}},
            "required": ["code"],
            "additionalProperties": False,
        },
    },
}


@pytest.fixture
def openai_client(llm_server: ScriptedLLMServer) -> Iterator[openai.OpenAI]:
    """A real openai client on the scripted server, no retries, 5 s timeout."""
    with openai.OpenAI(
        base_url=llm_server.base_url, api_key=API_KEY, max_retries=0, timeout=5.0
    ) as http:
        yield http


def ask(openai_client: openai.OpenAI, **options: Any) -> Any:
    """One chat completion of the standard question."""
    return openai_client.chat.completions.create(model=MODEL, messages=QUESTION, **options)


def test_text_completion(llm_server: ScriptedLLMServer, openai_client: openai.OpenAI) -> None:
    llm_server.script(Reply(text="There are 42 rows.", prompt_tokens=12, completion_tokens=6))

    completion = ask(openai_client)

    choice = completion.choices[0]
    assert choice.message.role == "assistant"
    assert choice.message.content == "There are 42 rows."
    assert choice.message.tool_calls is None
    assert choice.finish_reason == "stop"
    assert completion.model == MODEL
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (12, 6)
    assert completion.usage.total_tokens == 18


def test_default_usage_estimates_chars_over_four(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    llm_server.script(Reply(text="abcdefghi"))

    completion = ask(openai_client)

    assert completion.usage is not None
    prompt_chars = len(json.dumps(QUESTION))
    assert completion.usage.prompt_tokens == (prompt_chars + 3) // 4
    assert completion.usage.completion_tokens == 3


def test_text_stream_is_split_into_chunks(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    text = "The mean price is 12.5 and the median is 11."
    llm_server.script(Reply(text=text, chunks=4, prompt_tokens=9, completion_tokens=11))

    chunks = list(ask(openai_client, stream=True, stream_options={"include_usage": True}))

    contents = [c.choices[0].delta.content for c in chunks if c.choices]
    pieces = [content for content in contents if content]
    assert len(pieces) == 4
    assert "".join(pieces) == text
    assert chunks[0].choices[0].delta.role == "assistant"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.total_tokens == 20
    assert all(chunk.usage is None for chunk in chunks[:-1])
    assert len({chunk.id for chunk in chunks}) == 1


def test_stream_without_include_usage_has_no_usage_chunk(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    llm_server.script(Reply(text="ok", chunks=2))

    chunks = list(ask(openai_client, stream=True))

    assert all(chunk.choices and chunk.usage is None for chunk in chunks)
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_tool_call_completion(llm_server: ScriptedLLMServer, openai_client: openai.OpenAI) -> None:
    code = "df.groupby('city').size()"
    llm_server.script(Reply(tool_calls=[ToolCall.run_python(code, id="call_abc")]))

    completion = ask(openai_client, tools=[RUN_PYTHON_TOOL])

    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    assert choice.message.tool_calls is not None
    [call] = choice.message.tool_calls
    assert call.type == "function"
    assert call.id == "call_abc"
    assert call.function.name == "run_python"
    assert json.loads(call.function.arguments) == {"code": code}


def test_streamed_tool_call_is_accumulated_by_the_client(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    code = "import polars as pl\nprint(pl.read_parquet('d.parquet').height)"
    llm_server.script(Reply(tool_calls=[ToolCall.run_python(code, id="call_1")], chunks=5))

    with openai_client.chat.completions.stream(
        model=MODEL, messages=QUESTION, tools=[RUN_PYTHON_TOOL]
    ) as stream:
        fragments = [
            event.arguments_delta
            for event in stream
            if event.type == "tool_calls.function.arguments.delta" and event.arguments_delta
        ]
        final = stream.get_final_completion()

    assert len(fragments) == 5
    assert "".join(fragments) == json.dumps({"code": code})
    choice = final.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.tool_calls is not None
    [call] = choice.message.tool_calls
    assert (call.id, call.function.name) == ("call_1", "run_python")
    assert call.function.parsed_arguments == {"code": code}


def test_streamed_parallel_tool_calls_use_their_index(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    calls = [ToolCall.run_python("1 + 1", id="call_a"), ToolCall("lookup", '{"q": "x"}', "call_b")]
    llm_server.script(Reply(text="Let me check.", tool_calls=calls, chunks=2))

    accumulated: dict[int, dict[str, str]] = {}
    content = ""
    for chunk in ask(openai_client, stream=True, tools=[RUN_PYTHON_TOOL]):
        delta = chunk.choices[0].delta
        content += delta.content or ""
        for part in delta.tool_calls or []:
            entry = accumulated.setdefault(part.index, {"id": "", "name": "", "arguments": ""})
            entry["id"] += part.id or ""
            if part.function is not None:
                entry["name"] += part.function.name or ""
                entry["arguments"] += part.function.arguments or ""

    assert content == "Let me check."
    assert accumulated == {
        0: {"id": "call_a", "name": "run_python", "arguments": '{"code": "1 + 1"}'},
        1: {"id": "call_b", "name": "lookup", "arguments": '{"q": "x"}'},
    }


def test_two_turn_tool_loop_sends_the_tool_result_back(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    def answer_from_tool_result(body: dict[str, Any]) -> Reply:
        tool_message = body["messages"][-1]
        assert tool_message["role"] == "tool"
        return Reply(text=f"The kernel printed {tool_message['content']}.")

    llm_server.script(
        Reply(tool_calls=[ToolCall.run_python("print(6 * 7)", id="call_42")]),
        answer_from_tool_result,
    )

    first = ask(openai_client, tools=[RUN_PYTHON_TOOL]).choices[0].message
    assert first.tool_calls is not None
    messages: list[Any] = [
        *QUESTION,
        first.model_dump(exclude_none=True),
        {"role": "tool", "tool_call_id": first.tool_calls[0].id, "content": "42"},
    ]
    second = openai_client.chat.completions.create(
        model=MODEL, messages=messages, tools=[RUN_PYTHON_TOOL]
    )

    assert second.choices[0].message.content == "The kernel printed 42."
    assert llm_server.callable_errors == []
    first_request, second_request = llm_server.chat_requests
    assert first_request.body is not None
    assert first_request.body["tools"] == [RUN_PYTHON_TOOL]
    assert [m["role"] for m in second_request.messages] == ["user", "assistant", "tool"]
    assert second_request.messages[1]["tool_calls"][0]["id"] == "call_42"
    assert second_request.messages[2] == {
        "role": "tool",
        "tool_call_id": "call_42",
        "content": "42",
    }
    assert llm_server.remaining == 0


def test_rate_limit_raises_without_retries(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    llm_server.script(Reply.rate_limited(retry_after=0.05))

    with pytest.raises(openai.RateLimitError) as caught:
        ask(openai_client)

    assert caught.value.status_code == 429
    assert caught.value.response.headers["retry-after"] == "0.05"
    assert caught.value.code == "rate_limit_exceeded"
    assert len(llm_server.requests) == 1


def test_rate_limit_is_retried_after_the_retry_after_delay(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    llm_server.script(Reply.rate_limited(retry_after=0.2), Reply(text="second try"))

    started = time.monotonic()
    completion = ask(openai_client.with_options(max_retries=1))
    elapsed = time.monotonic() - started

    assert completion.choices[0].message.content == "second try"
    assert elapsed >= 0.2
    retry_counts = [r.headers["x-stainless-retry-count"] for r in llm_server.requests]
    assert retry_counts == ["0", "1"]


def test_server_error_raises_internal_server_error(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    llm_server.script(Reply.http_error(500, "The server had an error"))

    with pytest.raises(openai.InternalServerError) as caught:
        ask(openai_client)

    assert caught.value.status_code == 500
    assert caught.value.message == "Error code: 500 - The server had an error"
    assert caught.value.type == "server_error"


def test_wrong_api_key_gets_authentication_error(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    llm_server.expected_api_key = "sk-the-right-one"
    llm_server.script(Reply(text="never sent"))

    with pytest.raises(openai.AuthenticationError) as caught:
        ask(openai_client)

    assert caught.value.code == "invalid_api_key"
    assert llm_server.remaining == 1


def test_scripted_401_gets_authentication_error(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    llm_server.script(Reply.http_error(401, "Incorrect API key provided"))

    with pytest.raises(openai.AuthenticationError):
        ask(openai_client)


def test_slow_first_byte_times_out(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    llm_server.script(Reply(text="too late", delay_first=3.0))

    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        ask(openai_client.with_options(timeout=0.3))

    assert 0.3 <= time.monotonic() - started < 2.0


def test_slow_first_byte_within_the_timeout_succeeds(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    llm_server.script(Reply(text="patience", delay_first=0.3))

    started = time.monotonic()
    completion = ask(openai_client)

    assert completion.choices[0].message.content == "patience"
    assert time.monotonic() - started >= 0.3


def test_slow_chunks_time_out_while_iterating(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    llm_server.script(Reply(text="abcdef", chunks=3, delay_between=3.0))

    stream = ask(openai_client.with_options(timeout=0.3), stream=True)
    first = next(iter(stream))
    assert first.choices[0].delta.role == "assistant"
    with pytest.raises(openai.APITimeoutError):
        list(stream)


def test_delay_between_spaces_the_stream_events(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    llm_server.script(Reply(text="abc", chunks=3, delay_between=0.05))

    arrivals = [time.monotonic() for _ in ask(openai_client, stream=True)]

    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert len(gaps) == 4  # role, three content pieces, finish
    assert min(gaps) >= 0.04


def test_zero_delay_stream_starts_at_once(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    """No Nagle/delayed-ACK stall (about 40 ms) before the first SSE event; the stall
    shows when a stream follows a non-stream answer on the same connection."""
    waits = []
    for _ in range(7):
        llm_server.script(Reply(text="ok"), Reply(text="hi"))
        ask(openai_client)
        started = time.monotonic()
        events = iter(ask(openai_client, stream=True))
        next(events)
        waits.append(time.monotonic() - started)
        assert len(list(events)) == 3  # drained, so the keep-alive connection is reused

    assert sorted(waits)[3] < 0.035


def test_malformed_json_body_raises_json_decode_error(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    """openai 3.x does not wrap a broken 200 JSON body: json.JSONDecodeError escapes."""
    llm_server.script(Reply(text="hidden", malformed=True))

    with pytest.raises(json.JSONDecodeError):
        ask(openai_client)


def test_malformed_sse_line_raises_json_decode_error_while_iterating(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    llm_server.script(Reply(text="hidden", malformed=True))

    received = []
    with pytest.raises(json.JSONDecodeError):
        for chunk in ask(openai_client, stream=True):
            received.append(chunk)

    assert len(received) == 1


def test_dropped_stream_raises_connection_error_while_iterating(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    llm_server.script(Reply(text="abcdef", chunks=3, drop_after_chunks=2))

    received = []
    with pytest.raises(openai.APIConnectionError) as caught:
        for chunk in ask(openai_client, stream=True):
            received.append(chunk)

    assert [c.choices[0].delta.content for c in received] == ["", "ab"]
    # the cause is the HTTP library's RemoteProtocolError (httpx2 under openai 3.x)
    assert type(caught.value.__cause__).__name__ == "RemoteProtocolError"


def test_dropped_body_raises_connection_error(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    llm_server.script(Reply(text="abcdef", drop_after_chunks=0))

    with pytest.raises(openai.APIConnectionError):
        ask(openai_client)


def test_empty_script_fails_loudly_without_retries(llm_server: ScriptedLLMServer) -> None:
    retrying = openai.OpenAI(base_url=llm_server.base_url, api_key=API_KEY, max_retries=2)
    with retrying, pytest.raises(openai.InternalServerError) as caught:
        ask(retrying)

    assert "script ran out" in caught.value.message
    assert caught.value.type == "script_exhausted"
    assert len(llm_server.requests) == 1


def test_failing_scripted_callable_is_reported(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    def wrong_expectation(body: dict[str, Any]) -> Reply:
        raise AssertionError("expected a tool message")

    llm_server.script(wrong_expectation)

    with pytest.raises(openai.InternalServerError) as caught:
        ask(openai_client)

    assert "AssertionError: expected a tool message" in caught.value.message
    assert [str(error) for error in llm_server.callable_errors] == ["expected a tool message"]


def test_request_is_recorded_and_key_only_in_authorization(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    llm_server.script(Reply(text="ok"))

    ask(openai_client, temperature=0)

    [request] = llm_server.requests
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.authorization == f"Bearer {API_KEY}"
    assert request.body is not None
    assert request.body["model"] == MODEL
    assert request.body["temperature"] == 0
    assert request.messages == QUESTION
    assert request.occurrences(API_KEY) == ["header:authorization"]


def test_models_endpoint_lists_models(
    llm_server: ScriptedLLMServer, openai_client: openai.OpenAI
) -> None:
    models = openai_client.models.list()

    assert [model.id for model in models] == ["scripted-model", "gpt-4o-mini"]
    assert llm_server.requests[0].method == "GET"
    assert llm_server.remaining == 0


async def test_async_client_streams_text_and_tool_calls(llm_server: ScriptedLLMServer) -> None:
    llm_server.script(
        Reply(text="Hello there", chunks=3),
        Reply(tool_calls=[ToolCall.run_python("x = 1", id="call_async")]),
    )
    async with openai.AsyncOpenAI(
        base_url=llm_server.base_url, api_key=API_KEY, max_retries=0
    ) as aclient:
        stream = await aclient.chat.completions.create(model=MODEL, messages=QUESTION, stream=True)
        pieces = [c.choices[0].delta.content async for c in stream if c.choices[0].delta.content]
        completion = await aclient.chat.completions.create(
            model=MODEL, messages=QUESTION, tools=[RUN_PYTHON_TOOL]
        )

    assert pieces == ["Hell", "o th", "ere"]
    tool_calls = completion.choices[0].message.tool_calls
    assert tool_calls is not None
    assert tool_calls[0].type == "function"
    assert tool_calls[0].id == "call_async"
    assert tool_calls[0].function.arguments == '{"code": "x = 1"}'


async def test_async_client_errors(llm_server: ScriptedLLMServer) -> None:
    llm_server.script(
        Reply.rate_limited(retry_after=5),
        Reply(text="late", delay_first=3.0),
        Reply(text="abcdef", drop_after_chunks=1),
    )
    async with openai.AsyncOpenAI(
        base_url=llm_server.base_url, api_key=API_KEY, max_retries=0, timeout=0.3
    ) as aclient:
        with pytest.raises(openai.RateLimitError):
            await aclient.chat.completions.create(model=MODEL, messages=QUESTION)
        with pytest.raises(openai.APITimeoutError):
            await aclient.chat.completions.create(model=MODEL, messages=QUESTION)
        stream = await aclient.chat.completions.create(model=MODEL, messages=QUESTION, stream=True)
        with pytest.raises(openai.APIConnectionError):
            _ = [chunk async for chunk in stream]


def test_stop_interrupts_pending_replies_and_leaves_nothing_behind() -> None:
    before = set(threading.enumerate())
    server = ScriptedLLMServer().start()
    port = server.port
    server.script(Reply(text="never", delay_first=30.0))
    openai_client = openai.OpenAI(base_url=server.base_url, api_key=API_KEY, max_retries=0)
    errors: list[BaseException] = []

    def call() -> None:
        try:
            ask(openai_client)
        except openai.APIError as exc:
            errors.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    deadline = time.monotonic() + 5
    while not server.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    server.stop()
    stop_seconds = time.monotonic() - started
    caller.join(5)
    openai_client.close()

    assert stop_seconds < 1.0
    assert [type(error) for error in errors] == [openai.APIConnectionError]
    assert set(threading.enumerate()) - before == set()
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), 1):
        pass


def test_split_evenly() -> None:
    assert split_evenly("abcdefg", 3) == ["abc", "de", "fg"]
    assert split_evenly("ab", 5) == ["a", "b"]
    assert split_evenly("", 3) == []


def test_reply_rejects_zero_chunks() -> None:
    with pytest.raises(ValueError, match="chunks must be >= 1"):
        Reply(text="x", chunks=0)
