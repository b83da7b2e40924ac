"""The provider interface the agent loop talks to, and its data types."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from chatdata.errors import AppError

TokenSink = Callable[[str], Awaitable[None]]


@dataclass(frozen=True)
class ToolCall:
    """A tool call the model asked for; `arguments` is the raw JSON string."""

    id: str
    name: str
    arguments: str


@dataclass
class ModelTurn:
    """One model response: text (possibly empty) and tool calls (possibly none)."""

    text: str
    tool_calls: list[ToolCall] = field(default_factory=list)
    usage: dict[str, int] = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)


@dataclass
class DatasetContext:
    """What the analyst knows of the data, in structured form (the built-in analyst reads
    this; LLMs get it rendered into the prompt)."""

    name: str
    row_count: int
    columns: list[dict[str, Any]]
    sample_rows: list[dict[str, Any]]
    df_is_sample: bool
    sample_note: str
    extra_views: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class TurnRequest:
    """Everything a provider needs for one call."""

    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]] | None
    question: str
    dataset: DatasetContext


class ChatProvider(Protocol):
    """A model that answers a turn, streaming its text through `on_token`."""

    name: str
    model: str

    async def complete(self, request: TurnRequest, on_token: TokenSink) -> ModelTurn:
        """Run one model call."""
        ...


class ProviderError(AppError):
    """The model could not be reached or answered nonsense; shown to the user as such."""

    status_code = 502
    code = "llm_error"
