"""Any OpenAI-compatible chat endpoint through the official `openai` client, streamed."""

from __future__ import annotations

import logging
from typing import Any

import openai
from openai import AsyncOpenAI

from chatdata.chat.llm.base import ModelTurn, ProviderError, TokenSink, ToolCall, TurnRequest

log = logging.getLogger("chatdata.llm")


class OpenAICompatibleProvider:
    """Streams chat completions with tool calls; errors become ProviderError."""

    def __init__(
        self,
        *,
        name: str,
        base_url: str | None,
        model: str,
        api_key: str,
        timeout: float,
        max_retries: int,
        temperature: float = 0.0,
    ) -> None:
        self.name = name
        self.model = model
        self.temperature = temperature
        self.client = AsyncOpenAI(
            base_url=base_url, api_key=api_key, timeout=timeout, max_retries=max_retries
        )

    async def complete(self, request: TurnRequest, on_token: TokenSink) -> ModelTurn:
        """One streamed completion, accumulated into text and tool calls."""
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": request.messages,
            "stream": True,
            "temperature": self.temperature,
            "stream_options": {"include_usage": True},
        }
        if request.tools:
            kwargs["tools"] = request.tools
        try:
            stream = await self.client.chat.completions.create(**kwargs)
            return await _accumulate(stream, on_token)
        except openai.APITimeoutError as exc:
            raise ProviderError("The AI model did not answer in time.") from exc
        except openai.RateLimitError as exc:
            raise ProviderError("The AI model is rate limited; try again shortly.") from exc
        except openai.APIStatusError as exc:
            raise ProviderError(
                f"The AI model answered with an error (HTTP {exc.status_code}).",
                details={"status": exc.status_code},
            ) from exc
        except (openai.APIError, ValueError) as exc:
            log.warning("llm call failed: %s", type(exc).__name__)
            raise ProviderError("The AI model's answer could not be read.") from exc


async def _accumulate(stream: Any, on_token: TokenSink) -> ModelTurn:
    text: list[str] = []
    calls: dict[int, dict[str, str]] = {}
    usage: dict[str, int] = {}
    async for chunk in stream:
        if getattr(chunk, "usage", None):
            usage = {
                "prompt_tokens": chunk.usage.prompt_tokens,
                "completion_tokens": chunk.usage.completion_tokens,
            }
        if not chunk.choices:
            continue
        delta = chunk.choices[0].delta
        if delta.content:
            text.append(delta.content)
            await on_token(delta.content)
        for call in delta.tool_calls or []:
            slot = calls.setdefault(call.index, {"id": "", "name": "", "arguments": ""})
            if call.id:
                slot["id"] = call.id
            if call.function and call.function.name:
                slot["name"] += call.function.name
            if call.function and call.function.arguments:
                slot["arguments"] += call.function.arguments
    tool_calls = [
        ToolCall(id=c["id"] or f"call_{i}", name=c["name"], arguments=c["arguments"])
        for i, c in sorted(calls.items())
    ]
    return ModelTurn(text="".join(text), tool_calls=tool_calls, usage=usage)
