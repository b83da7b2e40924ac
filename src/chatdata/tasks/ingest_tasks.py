"""Ingest of uploads as tasks: one `ingest` task per uploaded dataset, created once.

The upload route commits the dataset as `processing` and asks the runner to schedule its
ingest; the task's idempotency key `ingest:{dataset_id}` makes creation happen once even
when the server restarts between the two steps or several processes resume at once.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatdata.datasets.ingest_job import pending_ingests
from chatdata.datasets.models import Dataset
from chatdata.datasets.status_wait import status_changed
from chatdata.tasks.models import AnalysisTask
from chatdata.tasks.state import TERMINAL

INGEST_TYPE = "ingest"
INGEST_DID_NOT_FINISH = "The file could not be processed: its ingest task did not finish."

Sessions = async_sessionmaker[AsyncSession]


def ingest_key(dataset_id: uuid.UUID) -> str:
    """The idempotency key of a dataset's ingest task."""
    return f"ingest:{dataset_id}"


async def ensure_ingest_task(
    sessions: Sessions, dataset_id: uuid.UUID
) -> tuple[uuid.UUID | None, str | None]:
    """Create the dataset's ingest task unless it exists; return its id and status.

    (None, None) when the dataset is gone or no longer processing. An ingest task that
    already ended while the dataset is still processing leaves the dataset failed."""
    for _ in range(2):
        try:
            return await _get_or_create(sessions, dataset_id)
        except IntegrityError:
            continue  # created concurrently by another process: read it on the next pass
    return None, None


async def _get_or_create(
    sessions: Sessions, dataset_id: uuid.UUID
) -> tuple[uuid.UUID | None, str | None]:
    async with sessions() as session, session.begin():
        dataset = await session.get(Dataset, dataset_id)
        if dataset is None or dataset.status != "processing":
            return None, None
        existing = await session.scalar(
            select(AnalysisTask).where(AnalysisTask.idempotency_key == ingest_key(dataset_id))
        )
        if existing is not None:
            if existing.status in TERMINAL:
                dataset.status, dataset.status_message = "failed", "Failed"
                dataset.error_message = existing.error_message or INGEST_DID_NOT_FINISH
            return existing.id, existing.status
        task = AnalysisTask(
            user_id=dataset.owner_id,
            team_id=dataset.team_id,
            dataset_id=dataset.id,
            task_type=INGEST_TYPE,
            parameters={},
            idempotency_key=ingest_key(dataset_id),
            status="pending",
            progress=0,
            attempts=0,
            cancel_requested=False,
        )
        session.add(task)
        await session.flush()
        return task.id, task.status


async def orphaned_ingests(sessions: Sessions) -> list[uuid.UUID]:
    """Datasets still `processing` (their ingest is ensured again at start-up)."""
    return await pending_ingests(sessions)


async def fail_dataset_ingest(sessions: Sessions, dataset_id: uuid.UUID, reason: str) -> None:
    """Mark a dataset whose ingest task ended without finishing as failed (if still processing)."""
    async with sessions() as session, session.begin():
        await session.execute(
            update(Dataset)
            .where(Dataset.id == dataset_id, Dataset.status == "processing")
            .values(status="failed", status_message="Failed", error_message=reason)
        )
    status_changed(dataset_id)
