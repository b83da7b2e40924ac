"""Request and response bodies of the report API."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

BlockType = Literal["heading", "markdown", "table", "figure", "code"]


class GenerateIn(BaseModel):
    """Build a report from a conversation (all analysis messages unless `message_ids`)."""

    conversation_id: uuid.UUID
    title: str | None = Field(default=None, max_length=500)
    message_ids: list[uuid.UUID] | None = Field(default=None, max_length=500)
    include_code: bool = False


_REQUIRED: dict[str, dict[str, type | tuple[type, ...]]] = {
    "heading": {"text": str, "level": int},
    "markdown": {"text": str},
    "table": {"columns": list, "rows": list},
    "figure": {"kind": str},
    "code": {"code": str},
}


class Block(BaseModel):
    """One content block; the fields beside `type` depend on it (see `blocks.py`)."""

    model_config = ConfigDict(extra="allow")

    type: BlockType

    @model_validator(mode="after")
    def _check_fields(self) -> Block:
        fields = self.model_extra or {}
        for name, kind in _REQUIRED[self.type].items():
            if not isinstance(fields.get(name), kind):
                raise ValueError(f"a {self.type} block needs `{name}`")
        if self.type == "figure":
            _check_figure(fields)
        return self


def _check_figure(fields: dict[str, Any]) -> None:
    if fields["kind"] == "plotly" and isinstance(fields.get("figure"), dict):
        return
    if fields["kind"] == "image" and isinstance(fields.get("data"), str):
        try:
            base64.b64decode(fields["data"], validate=True)
        except binascii.Error:
            raise ValueError("an image figure needs base64 PNG `data`") from None
        return
    raise ValueError("a figure is `plotly` with `figure` or `image` with `data`")


class ReportUpdateIn(BaseModel):
    """Edit a report: new title, new blocks, or public visibility."""

    title: str | None = Field(default=None, min_length=1, max_length=500)
    blocks: list[Block] | None = Field(default=None, max_length=5000)
    is_public: bool | None = None


class ReportSummaryOut(BaseModel):
    """A report in lists (no blocks)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str | None
    dataset_id: uuid.UUID | None
    conversation_id: uuid.UUID | None
    user_id: uuid.UUID
    team_id: uuid.UUID
    is_public: bool
    created_at: datetime
    updated_at: datetime


class ReportOut(ReportSummaryOut):
    """A report with its content blocks."""

    blocks: list[dict[str, Any]]
