"""The task runner interface shared by the in-process pool and Celery.

A runner dispatches committed `pending` tasks, cancels them, schedules dataset ingests, and
keeps tasks from getting lost: at start-up and every `reaper_seconds` it re-queues or fails
running tasks whose heartbeat went stale (see `reaper.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from abc import ABC, abstractmethod
from collections.abc import Coroutine
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from chatdata.errors import ServiceUnavailable
from chatdata.tasks.environment import TaskEnvironment
from chatdata.tasks.ingest_tasks import ensure_ingest_task, orphaned_ingests
from chatdata.tasks.reaper import EndedTask, reap_stale_tasks
from chatdata.tasks.registry import find_task_type
from chatdata.tasks.state import (
    CANCELLED,
    FAILED,
    PENDING,
    fail_pending,
    load_task,
    request_cancel,
)

log = logging.getLogger("chatdata.tasks")
QUEUE_DOWN = "The task queue is not reachable; the task was not started."


class TaskRunner(ABC):
    """Dispatch, cancel and watch over tasks; subclasses say where tasks run."""

    name = "abstract"

    def __init__(self, env: TaskEnvironment) -> None:
        self.env = env
        self._background: set[asyncio.Task[Any]] = set()
        self._reaper: asyncio.Task[None] | None = None
        self._recovered = False

    async def start(self) -> None:
        """Start workers, recover lost tasks, resume what waits, and start the reaper.

        With the database unreachable the server still starts; the reaper loop retries the
        recovery until it succeeds."""
        await self._start_workers()
        self._recovered = await self._recover()
        self._reaper = asyncio.create_task(self._reaper_loop(), name="task-reaper")

    async def _recover(self) -> bool:
        try:
            await self.reap()
            await self._resume()
            for dataset_id in await orphaned_ingests(self.env.sessions):
                await self._submit_ingest(dataset_id)
        except (SQLAlchemyError, OSError) as exc:
            log.warning("task recovery failed, retrying later (database unreachable?): %s", exc)
            return False
        return True

    async def close(self) -> None:
        """Stop the reaper and background work, then the workers."""
        if self._reaper is not None:
            self._reaper.cancel()
        for job in list(self._background):
            job.cancel()
        pending = [j for j in [self._reaper, *self._background] if j is not None]
        await asyncio.gather(*pending, return_exceptions=True)
        await self._stop_workers()

    async def submit(self, task_id: uuid.UUID) -> None:
        """Queue a committed pending task; ServiceUnavailable (task failed) if the queue is down."""
        try:
            await self._dispatch(task_id)
        except Exception as exc:
            log.exception("could not dispatch task %s", task_id)
            if await fail_pending(self.env.sessions, task_id, QUEUE_DOWN):
                await self._abandon(task_id, FAILED, QUEUE_DOWN)
            raise ServiceUnavailable(QUEUE_DOWN) from exc

    async def cancel(self, task_id: uuid.UUID) -> str | None:
        """Cancel a pending task, or ask a running one to stop; the status it had, or None."""
        previous = await request_cancel(self.env.sessions, task_id)
        if previous is not None:
            try:
                await self._revoke(task_id)
            except Exception:
                log.warning("could not revoke task %s in the queue", task_id, exc_info=True)
        if previous == PENDING:
            await self._abandon(task_id, CANCELLED, "The task was cancelled.")
        return previous

    def schedule_ingest(self, dataset_id: uuid.UUID) -> None:
        """Create (once) and queue the ingest task of a freshly uploaded dataset."""
        self.spawn(self._submit_ingest(dataset_id), f"ingest-{dataset_id}")

    def spawn(self, job: Coroutine[Any, Any, Any], name: str) -> None:
        """Run a coroutine in the background; failures are logged."""

        async def guarded() -> None:
            try:
                await job
            except Exception:
                log.exception("background job %s failed", name)

        handle = asyncio.create_task(guarded(), name=name)
        self._background.add(handle)
        handle.add_done_callback(self._background.discard)

    async def reap(self) -> None:
        """One reaper pass: re-dispatch re-queued tasks, run hooks of ended ones."""
        tuning = self.env.tuning
        outcome = await reap_stale_tasks(
            self.env.sessions, tuning.stale_seconds, tuning.max_attempts, self.alive_tasks()
        )
        for task_id in outcome.requeued:
            log.warning("task %s lost its worker; re-queued", task_id)
            with contextlib.suppress(ServiceUnavailable):
                await self.submit(task_id)
        for ended in outcome.ended:
            log.warning("task %s lost its worker; %s", ended.id, ended.status)
            await self.abandoned(ended)

    async def _abandon(self, task_id: uuid.UUID, status: str, reason: str) -> None:
        task = await load_task(self.env.sessions, task_id)
        if task is not None:
            await self.abandoned(
                EndedTask(task.id, task.task_type, task.dataset_id, status, reason)
            )

    async def abandoned(self, ended: EndedTask) -> None:
        """Run the task type's hook for a task that ended without finishing its work."""
        task_type = find_task_type(ended.task_type)
        if task_type is not None and task_type.on_abandoned is not None:
            await task_type.on_abandoned(self.env, ended.dataset_id, ended.reason)

    async def _reaper_loop(self) -> None:
        while True:
            await asyncio.sleep(self.env.tuning.reaper_seconds)
            try:
                if not self._recovered:
                    self._recovered = await self._recover()
                else:
                    await self.reap()
            except Exception:
                log.exception("task reaper pass failed")

    async def _submit_ingest(self, dataset_id: uuid.UUID) -> None:
        task_id, status = await ensure_ingest_task(self.env.sessions, dataset_id)
        if task_id is not None and status == PENDING:
            with contextlib.suppress(ServiceUnavailable):
                await self.submit(task_id)

    def alive_tasks(self) -> frozenset[uuid.UUID]:
        """Tasks running in this process right now (none for Celery)."""
        return frozenset()

    @abstractmethod
    async def _start_workers(self) -> None:
        """Start whatever executes tasks in this process (nothing for Celery)."""

    @abstractmethod
    async def _stop_workers(self) -> None:
        """Stop the workers started by `_start_workers`."""

    @abstractmethod
    async def _resume(self) -> None:
        """Queue again what was pending when the server stopped (in-process runner)."""

    @abstractmethod
    async def _dispatch(self, task_id: uuid.UUID) -> None:
        """Hand a pending task to a worker."""

    @abstractmethod
    async def _revoke(self, task_id: uuid.UUID) -> None:
        """Tell the workers a task was cancelled."""
