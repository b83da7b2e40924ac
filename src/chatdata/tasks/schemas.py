"""Request and response bodies of the tasks API."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chatdata.tasks.models import AnalysisTask
from chatdata.tasks.registry import TaskType
from chatdata.tasks.service import public_key


class TaskCreateIn(BaseModel):
    """Run `task_type` on a dataset with type-specific `parameters` (see GET /tasks/types)."""

    model_config = ConfigDict(extra="forbid")

    task_type: str = Field(min_length=1, max_length=100, examples=["describe"])
    dataset_id: uuid.UUID
    parameters: dict[str, Any] = Field(default_factory=dict)
    idempotency_key: str | None = Field(
        default=None,
        min_length=1,
        max_length=150,
        description="Sending the same key again returns the first task instead of a new one.",
    )


class TaskOut(BaseModel):
    """A task's state: status pending|running|succeeded|failed|cancelled, progress 0-100."""

    id: uuid.UUID
    task_type: str
    dataset_id: uuid.UUID | None
    user_id: uuid.UUID
    team_id: uuid.UUID
    status: str
    progress: int
    progress_message: str | None
    error: str | None
    parameters: dict[str, Any]
    idempotency_key: str | None
    attempts: int
    cancel_requested: bool
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    heartbeat_at: datetime | None
    duration_seconds: float | None = Field(description="Run time so far, or in total.")

    @field_validator("created_at", "started_at", "completed_at", "heartbeat_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        """SQLite hands back naive UTC timestamps; make them aware."""
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value

    @classmethod
    def of(cls, task: AnalysisTask) -> TaskOut:
        """Build the response body of a task row."""
        started = _aware(task.started_at)
        end = _aware(task.completed_at) or (datetime.now(UTC) if started else None)
        duration = (end - started).total_seconds() if started and end else None
        return cls(
            id=task.id,
            task_type=task.task_type,
            dataset_id=task.dataset_id,
            user_id=task.user_id,
            team_id=task.team_id,
            status=task.status,
            progress=task.progress,
            progress_message=task.progress_message,
            error=task.error_message,
            parameters=task.parameters,
            idempotency_key=public_key(task.idempotency_key),
            attempts=task.attempts,
            cancel_requested=task.cancel_requested,
            created_at=task.created_at,
            started_at=task.started_at,
            completed_at=task.completed_at,
            heartbeat_at=task.heartbeat_at,
            duration_seconds=duration,
        )


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


class TaskResultOut(BaseModel):
    """The result of a succeeded task (an analysis result: summary, data, tables, figures)."""

    task_id: uuid.UUID
    task_type: str
    status: str
    result: dict[str, Any]


class TaskTypeOut(BaseModel):
    """A task type users may run, with the JSON schema of its parameters."""

    name: str
    description: str
    dataset_access: str = Field(description="Access to the dataset needed: read or edit.")
    parameters_schema: dict[str, Any]

    @classmethod
    def of(cls, task_type: TaskType) -> TaskTypeOut:
        """Describe a registered task type."""
        return cls(
            name=task_type.name,
            description=task_type.description,
            dataset_access=task_type.access,
            parameters_schema=task_type.parameters_schema(),
        )
