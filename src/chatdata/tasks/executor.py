"""Run one task to its end: claim, resolve its data, call its function, record the outcome.

The same code runs in the server's in-process runner and in a Celery worker. Sync task
functions run in a worker thread (the event loop stays free for the monitor); async ones
(ingest, cleaning: they write versions) run on the loop.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import threading
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, cast

import anyio

from chatdata.datasets.files import local_copy
from chatdata.datasets.versions import latest_version
from chatdata.errors import AppError, BadRequest
from chatdata.jsonsafe import json_safe
from chatdata.tasks.context import (
    TaskCancelled,
    TaskContext,
    TaskControl,
    TaskInterrupted,
    VersionRef,
)
from chatdata.tasks.environment import TaskEnvironment
from chatdata.tasks.models import AnalysisTask
from chatdata.tasks.monitor import TaskMonitor
from chatdata.tasks.registry import TaskResult, TaskType, find_task_type, load_task_types
from chatdata.tasks.state import CANCELLED, FAILED, PENDING, SUCCEEDED, claim, finish, release

log = logging.getLogger("chatdata.tasks")
INTERNAL_ERROR = "The task failed because of an internal error ({kind}); it was logged."
INTERRUPTED = "Re-queued: the runner stopped while this task was running"


async def execute_task(
    env: TaskEnvironment, task_id: uuid.UUID, interrupt: threading.Event | None = None
) -> str | None:
    """Claim and run the task; return its final status (None when it was not ours to run).

    `interrupt` (the runner's shutdown flag) makes the task stop at its next check and go
    back to `pending` for the next start."""
    await anyio.to_thread.run_sync(load_task_types)  # slow imports before the heartbeat starts
    task = await claim(env.sessions, task_id)
    if task is None:
        return None
    control = TaskControl(interrupted=interrupt)
    work_dir = env.work_dir(f"task-{task_id}")
    try:
        return await _run_claimed(env, task, control, work_dir)
    finally:
        await anyio.to_thread.run_sync(lambda: shutil.rmtree(work_dir, ignore_errors=True))


async def _run_claimed(
    env: TaskEnvironment, task: AnalysisTask, control: TaskControl, work_dir: Path
) -> str:
    attempt = task.attempts
    task_type = find_task_type(task.task_type)
    status, result, error = FAILED, None, None
    async with TaskMonitor(env, task.id, attempt, control) as monitor:
        try:
            if task_type is None:
                raise BadRequest(f"Unknown task type '{task.task_type}'.")
            result = await _call(env, task, task_type, control, work_dir)
            status = SUCCEEDED
        except TaskCancelled:
            status = CANCELLED
        except TaskInterrupted:
            await release(env.sessions, task.id, attempt, INTERRUPTED)
            return PENDING
        except asyncio.CancelledError:
            with anyio.CancelScope(shield=True):
                await release(env.sessions, task.id, attempt, INTERRUPTED)
            raise
        except AppError as exc:
            error = exc.message
        except Exception as exc:
            log.exception("task %s (%s) failed", task.id, task.task_type)
            error = INTERNAL_ERROR.format(kind=type(exc).__name__)
    if monitor.lost:
        return status
    message = {SUCCEEDED: "Done", CANCELLED: "Cancelled"}.get(status)
    await finish(
        env.sessions, task.id, attempt, status, result=result, error=error, message=message
    )
    if status != SUCCEEDED and task_type is not None and task_type.on_abandoned is not None:
        await task_type.on_abandoned(env, task.dataset_id, error or "The task was cancelled.")
    return status


async def _call(
    env: TaskEnvironment,
    task: AnalysisTask,
    task_type: TaskType,
    control: TaskControl,
    work_dir: Path,
) -> TaskResult:
    params = task_type.parse(task.parameters)
    version = None
    if task.dataset_id is not None and task_type.needs_ready_dataset:
        version = await resolve_version(env, task.dataset_id)
    ctx = TaskContext(
        task_id=task.id,
        user_id=task.user_id,
        team_id=task.team_id,
        dataset_id=task.dataset_id,
        attempt=task.attempts,
        env=env,
        control=control,
        version=version,
        work_dir=work_dir,
    )
    await anyio.to_thread.run_sync(lambda: work_dir.mkdir(parents=True, exist_ok=True))
    ctx.check_cancelled()
    if task_type.is_async:
        outcome = await cast(Awaitable[TaskResult], task_type.run(ctx, params))
    else:
        run = cast(Callable[[TaskContext, Any], TaskResult], task_type.run)
        outcome = await anyio.to_thread.run_sync(run, ctx, params)
    # A function that returned is done, even if a cancel came meanwhile: its work exists.
    safe: TaskResult = json_safe(outcome)
    return safe


async def resolve_version(env: TaskEnvironment, dataset_id: uuid.UUID) -> VersionRef:
    """The dataset's current version with a local path to its Parquet file."""
    async with env.sessions() as session:
        version = await latest_version(session, dataset_id)
    if version is None:
        raise BadRequest("The dataset has no data yet (no version).")
    path = await anyio.to_thread.run_sync(local_copy, env.store, version.file_path, env.cache_dir)
    return VersionRef(id=version.id, number=version.number, key=version.file_path, path=path)
