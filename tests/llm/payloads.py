"""OpenAI chat-completion JSON as the real API sends it: whole completions, stream
chunks (content deltas, tool-call deltas with index/id/name then argument fragments,
the finish chunk, the usage chunk) and the model list."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from tests.llm.script import JSONObject, Reply, ToolCall

SYSTEM_FINGERPRINT = "fp_scripted"


def split_evenly(text: str, pieces: int) -> list[str]:
    """`text` cut into at most `pieces` non-empty consecutive parts ("" gives [])."""
    count = min(pieces, len(text))
    if count == 0:
        return []
    size, extra = divmod(len(text), count)
    parts, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        parts.append(text[start:end])
        start = end
    return parts


def call_ids(reply: Reply) -> list[str]:
    """The id of each tool call: the scripted one or a fresh `call_...`."""
    return [call.id or f"call_{uuid.uuid4().hex[:24]}" for call in reply.tool_calls]


def usage(request: JSONObject, reply: Reply) -> JSONObject:
    """Token usage: the scripted counts, else chars/4 of the messages and of the reply."""
    prompt = reply.prompt_tokens
    if prompt is None:
        prompt = _estimate(json.dumps(request.get("messages", [])))
    completion = reply.completion_tokens
    if completion is None:
        produced = (reply.text or "") + "".join(c.name + c.arguments for c in reply.tool_calls)
        completion = _estimate(produced)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _estimate(text: str) -> int:
    """A rough token count: one per four characters, at least one."""
    return max(1, (len(text) + 3) // 4)


class CompletionIdentity:
    """The fields shared by every object of one completion (id, created, model)."""

    def __init__(self, model: str) -> None:
        """A fresh completion id for `model`."""
        self.id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        self.created = int(time.time())
        self.model = model

    def envelope(self, kind: str) -> JSONObject:
        """The common top-level fields for `chat.completion` or `chat.completion.chunk`."""
        return {
            "id": self.id,
            "object": kind,
            "created": self.created,
            "model": self.model,
            "system_fingerprint": SYSTEM_FINGERPRINT,
        }


def completion(request: JSONObject, reply: Reply) -> JSONObject:
    """The non-stream `chat.completion` object for `reply`."""
    identity = CompletionIdentity(str(request.get("model", "")))
    message: JSONObject = {"role": "assistant", "content": reply.text, "refusal": None}
    if reply.tool_calls:
        message["tool_calls"] = [
            _tool_call_json(call, call_id)
            for call, call_id in zip(reply.tool_calls, call_ids(reply), strict=True)
        ]
    choice = {
        "index": 0,
        "message": message,
        "logprobs": None,
        "finish_reason": reply.effective_finish_reason,
    }
    return identity.envelope("chat.completion") | {
        "choices": [choice],
        "usage": usage(request, reply),
    }


def _tool_call_json(call: ToolCall, call_id: str) -> JSONObject:
    """A complete tool call as in a non-stream message."""
    return {
        "id": call_id,
        "type": "function",
        "function": {"name": call.name, "arguments": call.arguments},
    }


def stream_chunks(request: JSONObject, reply: Reply) -> list[JSONObject]:
    """Every `chat.completion.chunk` of a streamed `reply`, in order."""
    identity = CompletionIdentity(str(request.get("model", "")))
    options = request.get("stream_options") or {}
    with_usage = bool(options.get("include_usage"))
    deltas = _deltas(reply)
    chunks = [_chunk(identity, delta, None, with_usage) for delta in deltas]
    chunks.append(_chunk(identity, {}, reply.effective_finish_reason, with_usage))
    if with_usage:
        chunks.append(
            identity.envelope("chat.completion.chunk")
            | {
                "choices": [],
                "usage": usage(request, reply),
            }
        )
    return chunks


def _chunk(
    identity: CompletionIdentity, delta: JSONObject, finish: str | None, with_usage: bool
) -> JSONObject:
    """One chunk with a single choice carrying `delta`."""
    chunk = identity.envelope("chat.completion.chunk") | {
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }
    if with_usage:
        chunk["usage"] = None
    return chunk


def _deltas(reply: Reply) -> list[JSONObject]:
    """The role delta, the content deltas, then each tool call's deltas."""
    deltas: list[JSONObject] = [{"role": "assistant", "content": "", "refusal": None}]
    deltas += [{"content": part} for part in split_evenly(reply.text or "", reply.chunks)]
    for index, (call, call_id) in enumerate(zip(reply.tool_calls, call_ids(reply), strict=True)):
        deltas.append(
            _tool_delta(
                index,
                {
                    "id": call_id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": ""},
                },
            )
        )
        for part in split_evenly(call.arguments, reply.chunks):
            deltas.append(_tool_delta(index, {"function": {"arguments": part}}))
    return deltas


def _tool_delta(index: int, fields: JSONObject) -> JSONObject:
    """A delta carrying one fragment of the tool call at `index`."""
    return {"tool_calls": [{"index": index} | fields]}


def models_list(model_ids: list[str]) -> JSONObject:
    """The `GET /v1/models` answer."""
    data: list[Any] = [
        {"id": model_id, "object": "model", "created": 0, "owned_by": "scripted"}
        for model_id in model_ids
    ]
    return {"object": "list", "data": data}
