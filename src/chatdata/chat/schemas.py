"""Request and response bodies of the conversations API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ConversationIn(BaseModel):
    """Start a conversation about a dataset (plus optional extra datasets)."""

    dataset_id: uuid.UUID
    title: str | None = Field(default=None, max_length=500)
    extra_dataset_ids: list[uuid.UUID] = Field(default_factory=list, max_length=5)


class ConversationPatch(BaseModel):
    """Rename a conversation."""

    title: str = Field(min_length=1, max_length=500)


class ConversationOut(BaseModel):
    """A conversation in lists."""

    id: uuid.UUID
    dataset_id: uuid.UUID
    dataset_version_id: uuid.UUID | None
    title: str | None
    extra_dataset_ids: list[uuid.UUID]
    created_at: datetime
    updated_at: datetime


class MessageOut(BaseModel):
    """A stored message; `code_result` holds cells run, outputs, proposals, suggestions."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    role: Literal["user", "assistant"]
    content: str
    status: str
    code_result: dict[str, Any] | None
    created_at: datetime


class ConversationDetailOut(ConversationOut):
    """A conversation with its messages in order."""

    messages: list[MessageOut]


class ChatIn(BaseModel):
    """A chat turn."""

    message: str = Field(min_length=1, max_length=20_000)
    code_execution: bool = True


class ExecuteIn(BaseModel):
    """Code the user runs (or edits and re-runs) in the conversation's kernel."""

    code: str = Field(min_length=1, max_length=100_000)


class ExecuteOut(BaseModel):
    """The result of running code."""

    status: Literal["ok", "error", "timeout", "rejected", "killed"]
    outputs: list[dict[str, Any]]
    duration_ms: int
    message: MessageOut


class ProposalOut(BaseModel):
    """A proposed new dataset version."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    conversation_id: uuid.UUID
    dataset_id: uuid.UUID
    title: str
    description: str | None
    status: Literal["pending", "accepted", "rejected"]
    version_id: uuid.UUID | None
    created_at: datetime
    decided_at: datetime | None


class LlmInfoOut(BaseModel):
    """Which AI answers (never the key)."""

    provider: str
    model: str
    preset: str
    builtin: bool
    base_url: str | None


class CellOut(BaseModel):
    """One cell that ran in the conversation, in order."""

    message_id: uuid.UUID
    code: str
    status: str
    outputs: list[dict[str, Any]]
    duration_ms: int
