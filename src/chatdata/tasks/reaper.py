"""Find tasks whose worker died (no heartbeat for `stale_seconds`) and re-queue or fail them.

The server runs this at start-up and periodically, whichever runner is used. A lost task
with attempts left goes back to `pending` (the runner dispatches it again); one without
goes to `failed` with the reason; one whose cancellation was requested becomes `cancelled`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatdata.tasks.models import AnalysisTask
from chatdata.tasks.registry import find_task_type
from chatdata.tasks.state import CANCELLED, FAILED, PENDING, RUNNING, apply_update, now_utc

LOST_REASON = "The worker stopped while running this task."


@dataclass(frozen=True)
class EndedTask:
    """A task the reaper ended without its function finishing."""

    id: uuid.UUID
    task_type: str
    dataset_id: uuid.UUID | None
    status: str
    reason: str


@dataclass
class ReapOutcome:
    """What one reaper pass did."""

    requeued: list[uuid.UUID] = field(default_factory=list)
    ended: list[EndedTask] = field(default_factory=list)


def max_attempts_of(task_type: str, default: int) -> int:
    """How many runs a task of this type gets."""
    found = find_task_type(task_type)
    return found.max_attempts if found is not None and found.max_attempts else default


async def reap_stale_tasks(
    sessions: async_sessionmaker[AsyncSession],
    stale_seconds: float,
    default_max_attempts: int,
    alive: frozenset[uuid.UUID] = frozenset(),
) -> ReapOutcome:
    """Re-queue, fail or cancel every running task whose heartbeat is older than the limit.

    `alive` are tasks this process is running itself (never lost while it lives, even if a
    busy moment delayed their heartbeat)."""
    threshold = now_utc() - timedelta(seconds=stale_seconds)
    stale = or_(AnalysisTask.heartbeat_at.is_(None), AnalysisTask.heartbeat_at < threshold)
    async with sessions() as session:
        rows = (
            await session.execute(
                select(
                    AnalysisTask.id,
                    AnalysisTask.task_type,
                    AnalysisTask.attempts,
                    AnalysisTask.cancel_requested,
                    AnalysisTask.dataset_id,
                ).where(AnalysisTask.status == RUNNING, stale)
            )
        ).all()
    outcome = ReapOutcome()
    for task_id, task_type, attempts, cancel, dataset_id in rows:
        if task_id in alive:
            continue
        guard = update(AnalysisTask).where(
            AnalysisTask.id == task_id,
            AnalysisTask.status == RUNNING,
            AnalysisTask.attempts == attempts,
            stale,
        )
        limit = max_attempts_of(task_type, default_max_attempts)
        if cancel:
            values = {"status": CANCELLED, "completed_at": now_utc(), "progress_message": None}
            ended = EndedTask(task_id, task_type, dataset_id, CANCELLED, "Cancelled.")
        elif attempts < limit:
            values = {
                "status": PENDING,
                "progress": 0,
                "heartbeat_at": None,
                "progress_message": f"Re-queued: {LOST_REASON} (attempt {attempts} of {limit})",
            }
            ended = None
        else:
            reason = f"{LOST_REASON} It was tried {attempts} time(s)."
            values = {"status": FAILED, "completed_at": now_utc(), "error_message": reason}
            ended = EndedTask(task_id, task_type, dataset_id, FAILED, reason)
        if not await apply_update(sessions, guard.values(**values)):
            continue  # it beat or finished in the meantime
        if ended is None:
            outcome.requeued.append(task_id)
        else:
            outcome.ended.append(ended)
    return outcome


async def pending_task_ids(sessions: async_sessionmaker[AsyncSession]) -> list[uuid.UUID]:
    """Every pending task, oldest first (resumed by the in-process runner at start-up)."""
    async with sessions() as session:
        rows = await session.scalars(
            select(AnalysisTask.id)
            .where(AnalysisTask.status == PENDING)
            .order_by(AnalysisTask.created_at)
        )
        return list(rows.all())
