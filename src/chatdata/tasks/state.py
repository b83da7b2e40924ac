"""Task state transitions in `analysis_tasks`, each one guarded, atomic UPDATE.

The database is the source of truth. A worker owns a task from its claim (pending ->
running, `attempts` + 1) until it finishes; every later write is guarded by the status and
the attempt number, so a worker that lost its task (re-queued by the reaper after its
heartbeat went stale) can no longer change it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Update, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatdata.tasks.models import AnalysisTask

PENDING, RUNNING = "pending", "running"
SUCCEEDED, FAILED, CANCELLED = "succeeded", "failed", "cancelled"
TERMINAL = frozenset({SUCCEEDED, FAILED, CANCELLED})
STATUSES = (PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED)

Sessions = async_sessionmaker[AsyncSession]


def now_utc() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


async def apply_update(sessions: Sessions, statement: Update) -> bool:
    """Run one UPDATE in its own transaction; True when it changed a row."""
    async with sessions() as session, session.begin():
        result = cast(CursorResult[Any], await session.execute(statement))
        return result.rowcount > 0


def _owned(task_id: uuid.UUID, attempt: int) -> Update:
    return update(AnalysisTask).where(
        AnalysisTask.id == task_id,
        AnalysisTask.status == RUNNING,
        AnalysisTask.attempts == attempt,
    )


async def load_task(sessions: Sessions, task_id: uuid.UUID) -> AnalysisTask | None:
    """The task row (detached, fully loaded), or None."""
    async with sessions() as session:
        return await session.get(AnalysisTask, task_id)


async def claim(sessions: Sessions, task_id: uuid.UUID) -> AnalysisTask | None:
    """Take a pending, not cancelled task: it becomes running with one more attempt.

    Returns the claimed row, or None when someone else has it or it is no longer pending
    (a duplicate or stale queue message is thus harmless)."""
    moment = now_utc()
    claimed = await apply_update(
        sessions,
        update(AnalysisTask)
        .where(
            AnalysisTask.id == task_id,
            AnalysisTask.status == PENDING,
            AnalysisTask.cancel_requested.is_(False),
        )
        .values(
            status=RUNNING,
            attempts=AnalysisTask.attempts + 1,
            started_at=moment,
            heartbeat_at=moment,
            progress=0,
            progress_message="Started",
            error_message=None,
        ),
    )
    return await load_task(sessions, task_id) if claimed else None


async def beat(
    sessions: Sessions, task_id: uuid.UUID, attempt: int, progress: tuple[int, str | None] | None
) -> bool:
    """Write the heartbeat (and progress when given); False when the task is no longer ours."""
    values: dict[str, Any] = {"heartbeat_at": now_utc()}
    if progress is not None:
        values["progress"], values["progress_message"] = progress
    return await apply_update(sessions, _owned(task_id, attempt).values(**values))


async def cancel_requested(sessions: Sessions, task_id: uuid.UUID) -> bool:
    """True when somebody asked to cancel the task."""
    async with sessions() as session:
        flag = await session.scalar(
            select(AnalysisTask.cancel_requested).where(AnalysisTask.id == task_id)
        )
        return bool(flag)


async def finish(
    sessions: Sessions,
    task_id: uuid.UUID,
    attempt: int,
    status: str,
    *,
    result: dict[str, Any] | None = None,
    error: str | None = None,
    message: str | None = None,
) -> bool:
    """End a running task we own: succeeded (with its result), failed or cancelled."""
    values: dict[str, Any] = {
        "status": status,
        "completed_at": now_utc(),
        "result": result,
        "error_message": error,
        "progress_message": message,
    }
    if status == SUCCEEDED:
        values["progress"] = 100
    return await apply_update(sessions, _owned(task_id, attempt).values(**values))


async def release(sessions: Sessions, task_id: uuid.UUID, attempt: int, message: str) -> bool:
    """Put a running task back in the queue (runner shutting down); the attempt is not counted."""
    return await apply_update(
        sessions,
        _owned(task_id, attempt).values(
            status=PENDING,
            attempts=AnalysisTask.attempts - 1,
            progress=0,
            progress_message=message,
            started_at=None,
            heartbeat_at=None,
        ),
    )


async def request_cancel(sessions: Sessions, task_id: uuid.UUID) -> str | None:
    """Cancel a pending task at once, or flag a running one; returns the status it had.

    None when the task had already finished (nothing changed)."""
    moment = now_utc()
    if await apply_update(
        sessions,
        update(AnalysisTask)
        .where(AnalysisTask.id == task_id, AnalysisTask.status == PENDING)
        .values(
            status=CANCELLED,
            cancel_requested=True,
            completed_at=moment,
            progress_message="Cancelled before it started",
        ),
    ):
        return PENDING
    if await apply_update(
        sessions,
        update(AnalysisTask)
        .where(AnalysisTask.id == task_id, AnalysisTask.status == RUNNING)
        .values(cancel_requested=True, progress_message="Cancelling"),
    ):
        return RUNNING
    return None


async def fail_pending(sessions: Sessions, task_id: uuid.UUID, reason: str) -> bool:
    """Fail a task that never started (e.g. the queue was unreachable)."""
    return await apply_update(
        sessions,
        update(AnalysisTask)
        .where(AnalysisTask.id == task_id, AnalysisTask.status == PENDING)
        .values(status=FAILED, error_message=reason, completed_at=now_utc()),
    )
