"""Request and response bodies of the datasets API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

DatasetStatus = Literal["processing", "ready", "failed"]
Access = Literal["read", "edit", "manage"]


class ColumnOut(BaseModel):
    """A column with its profile; sample values are masked when it holds PII."""

    model_config = ConfigDict(from_attributes=True)

    name: str
    position: int
    data_type: str | None
    semantic_type: str | None
    nullable: bool | None
    statistics: dict[str, Any]
    sample_values: list[Any]
    pii: dict[str, Any] | None


class DatasetOut(BaseModel):
    """A dataset as lists show it."""

    id: uuid.UUID
    name: str
    description: str | None
    tags: list[str]
    file_type: str | None
    file_size: int | None
    owner_id: uuid.UUID
    team_id: uuid.UUID
    is_public: bool
    status: DatasetStatus
    progress: int
    status_message: str | None
    error: str | None
    row_count: int | None
    column_count: int | None
    my_access: Access
    created_at: datetime
    updated_at: datetime


class DatasetDetailOut(DatasetOut):
    """A dataset with its profile, ingest facts and columns."""

    metadata: dict[str, Any]
    columns: list[ColumnOut]
    current_version: VersionOut | None


class VersionOut(BaseModel):
    """One immutable version (Parquet file) of a dataset."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: int
    content_hash: str
    size_bytes: int
    row_count: int
    column_count: int
    parent_id: uuid.UUID | None
    operation: str
    lineage: dict[str, Any]
    created_by: uuid.UUID | None
    created_at: datetime


class DatasetUpdateIn(BaseModel):
    """Editable metadata."""

    name: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=10_000)
    tags: list[str] | None = Field(default=None, max_length=50)
    is_public: bool | None = Field(default=None, description="Owners and team managers only.")


class ShareIn(BaseModel):
    """Share with a user (by email) or a team (by id)."""

    email: EmailStr | None = None
    team_id: uuid.UUID | None = None
    role: Literal["viewer", "editor"] = "viewer"

    @model_validator(mode="after")
    def _one_target(self) -> ShareIn:
        if (self.email is None) == (self.team_id is None):
            raise ValueError("give exactly one of `email` or `team_id`")
        return self


class ShareOut(BaseModel):
    """An explicit share."""

    id: uuid.UUID
    dataset_id: uuid.UUID
    user_id: uuid.UUID | None
    user_email: str | None
    team_id: uuid.UUID | None
    team_name: str | None
    role: Literal["viewer", "editor"]
    created_at: datetime


class SampleOut(BaseModel):
    """A page of rows with the column types."""

    columns: list[dict[str, str]]
    rows: list[dict[str, Any]]
    offset: int
    total_rows: int
    random: bool
    masked_columns: list[str]
    version: int


class DatasetPage(BaseModel):
    """A page of datasets."""

    items: list[DatasetOut]
    total: int
    limit: int
    offset: int


DatasetDetailOut.model_rebuild()
