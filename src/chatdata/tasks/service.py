"""Task service: create (validated, authorised, idempotent), find, list and read results.

Tasks belong to the user who created them and to the dataset's team; the creator and the
team's owners/admins may see a task, everybody else gets NotFound. Dispatching to a runner
is the caller's job, after the task row is committed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.auth.models import User
from chatdata.auth.policy import READ, TEAM_MANAGERS, dataset_for, team_role
from chatdata.datasets.models import Dataset, DatasetColumn
from chatdata.errors import Conflict, NotFound, ValidationFailed
from chatdata.tasks.models import AnalysisTask
from chatdata.tasks.registry import TaskParams, TaskType, get_task_type
from chatdata.tasks.state import CANCELLED, FAILED, PENDING, SUCCEEDED


@dataclass(frozen=True)
class NewTask:
    """What a caller asks to run."""

    task_type: str
    dataset_id: uuid.UUID
    parameters: dict[str, Any]
    idempotency_key: str | None = None


def stored_key(user_id: uuid.UUID, key: str | None) -> str | None:
    """A user's idempotency key, namespaced so users never collide."""
    return f"u:{user_id}:{key}" if key else None


def public_key(stored: str | None) -> str | None:
    """The idempotency key as its user sent it (platform keys are shown as stored)."""
    if stored and stored.startswith("u:"):
        return stored.split(":", 2)[2]
    return stored


async def create_task(session: AsyncSession, user: User, new: NewTask) -> tuple[AnalysisTask, bool]:
    """Validate and record a pending task; (task, created). Same key again: the first task."""
    task_type = get_task_type(new.task_type)
    params = task_type.parse(new.parameters)
    dataset, _ = await dataset_for(session, user, new.dataset_id, task_type.access)
    parameters = task_type.dump(params)
    key = stored_key(user.id, new.idempotency_key)
    if key is not None and (earlier := await _by_key(session, key)) is not None:
        return _replay(earlier, task_type, dataset, parameters), False
    await _check_inputs(session, user, task_type, dataset, params)
    task = AnalysisTask(
        user_id=user.id,
        team_id=dataset.team_id,
        dataset_id=dataset.id,
        task_type=task_type.name,
        parameters=parameters,
        idempotency_key=key,
        status=PENDING,
        progress=0,
        attempts=0,
        cancel_requested=False,
    )
    try:
        async with session.begin_nested():
            session.add(task)
    except IntegrityError:  # the same key was used concurrently
        earlier = await _by_key(session, key) if key is not None else None
        if earlier is None:
            raise
        return _replay(earlier, task_type, dataset, parameters), False
    return task, True


async def _by_key(session: AsyncSession, key: str) -> AnalysisTask | None:
    found: AnalysisTask | None = await session.scalar(
        select(AnalysisTask).where(AnalysisTask.idempotency_key == key)
    )
    return found


def _replay(
    earlier: AnalysisTask, task_type: TaskType, dataset: Dataset, parameters: dict[str, Any]
) -> AnalysisTask:
    same = (
        earlier.task_type == task_type.name
        and earlier.dataset_id == dataset.id
        and earlier.parameters == parameters
    )
    if not same:
        raise Conflict(
            "This idempotency key was already used for a different task.",
            code="idempotency_key_reused",
            details={"task_id": str(earlier.id)},
        )
    return earlier


async def _check_inputs(
    session: AsyncSession, user: User, task_type: TaskType, dataset: Dataset, params: TaskParams
) -> None:
    if task_type.needs_ready_dataset and dataset.status != "ready":
        raise Conflict(
            f"The dataset is {dataset.status}; tasks run on ready datasets.",
            code="dataset_not_ready",
        )
    wanted = params.referenced_columns()
    if wanted:
        names = set((await session.scalars(_column_names(dataset.id))).all())
        missing = sorted({c for c in wanted if c not in names})
        if missing:
            raise ValidationFailed(
                f"Unknown column(s) {', '.join(repr(m) for m in missing)} in the dataset.",
                details={"missing": missing, "available": sorted(names)},
            )
    for other in params.referenced_datasets():
        other_dataset, _ = await dataset_for(session, user, other, READ)
        if other_dataset.status != "ready":
            raise Conflict(f"Dataset {other} is not ready.", code="dataset_not_ready")


def _column_names(dataset_id: uuid.UUID) -> Any:
    return select(DatasetColumn.name).where(DatasetColumn.dataset_id == dataset_id)


async def visible_task(session: AsyncSession, user: User, task_id: uuid.UUID) -> AnalysisTask:
    """The task if the caller created it or manages its team; NotFound otherwise."""
    task = await session.get(AnalysisTask, task_id)
    if task is not None:
        if task.user_id == user.id:
            return task
        if await team_role(session, user, task.team_id) in TEAM_MANAGERS:
            return task
    raise NotFound("Task not found.")


async def list_tasks(
    session: AsyncSession,
    user: User,
    *,
    status: str | None,
    task_type: str | None,
    limit: int,
    offset: int,
) -> tuple[list[AnalysisTask], int]:
    """The caller's tasks, newest first, with the total count."""
    conditions = [AnalysisTask.user_id == user.id]
    if status is not None:
        conditions.append(AnalysisTask.status == status)
    if task_type is not None:
        conditions.append(AnalysisTask.task_type == task_type)
    total = await session.scalar(select(func.count()).select_from(AnalysisTask).where(*conditions))
    rows = await session.scalars(
        select(AnalysisTask)
        .where(*conditions)
        .order_by(AnalysisTask.created_at.desc(), AnalysisTask.id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows.all()), int(total or 0)


def finished_result(task: AnalysisTask) -> dict[str, Any]:
    """The result of a succeeded task; Conflict (409) saying why there is none otherwise."""
    if task.status == SUCCEEDED:
        return task.result or {}
    if task.status == FAILED:
        raise Conflict(
            f"The task failed: {task.error_message}",
            code="task_failed",
            details={"status": task.status, "error": task.error_message},
        )
    if task.status == CANCELLED:
        raise Conflict("The task was cancelled.", code="task_cancelled")
    raise Conflict(
        f"The task is {task.status}; its result is not ready yet.",
        code="task_not_finished",
        details={"status": task.status, "progress": task.progress},
    )
