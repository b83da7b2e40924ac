"""The internal `ingest` task type: uploaded file -> Parquet version 1 -> profile.

It runs `chatdata.datasets.ingest_job.run_ingest` (which records progress and failure on
the dataset itself); the task fails with the dataset's reason when the ingest failed.
"""

from __future__ import annotations

import uuid

from chatdata.datasets.ingest_job import run_ingest
from chatdata.datasets.models import Dataset
from chatdata.errors import BadRequest
from chatdata.tasks.context import TaskContext
from chatdata.tasks.environment import TaskEnvironment
from chatdata.tasks.ingest_tasks import INGEST_TYPE, fail_dataset_ingest
from chatdata.tasks.registry import TaskParams, TaskResult, TaskType, register


class IngestParams(TaskParams):
    """No parameters: the dataset row holds everything the ingest needs."""


async def run_ingest_task(ctx: TaskContext, params: IngestParams) -> TaskResult:
    """Ingest the dataset's uploaded file; fail with the dataset's reason if it failed."""
    if ctx.dataset_id is None:
        raise BadRequest("The dataset was deleted before it was processed.")
    env = ctx.env
    ctx.progress(1, "Converting the upload")
    await run_ingest(env.sessions, env.store, env.settings.data_dir, ctx.dataset_id)
    async with env.sessions() as session:
        dataset = await session.get(Dataset, ctx.dataset_id)
    if dataset is None:
        raise BadRequest("The dataset was deleted while it was processed.")
    if dataset.status == "failed":
        raise BadRequest(dataset.error_message or "The file could not be processed.")
    return {
        "dataset_status": dataset.status,
        "row_count": dataset.row_count,
        "column_count": dataset.column_count,
    }


async def dataset_failed(env: TaskEnvironment, dataset_id: uuid.UUID | None, reason: str) -> None:
    """An ingest task that ended unfinished leaves its dataset failed, not processing."""
    if dataset_id is not None:
        await fail_dataset_ingest(env.sessions, dataset_id, reason)


register(
    TaskType(
        name=INGEST_TYPE,
        description="Convert an uploaded file to Parquet and profile it (internal).",
        params=IngestParams,
        run=run_ingest_task,
        access="edit",
        internal=True,
        needs_ready_dataset=False,
        on_abandoned=dataset_failed,
    )
)
