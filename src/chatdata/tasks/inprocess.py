"""The embedded runner: a pool of worker coroutines in the server process.

`task_workers` coroutines take task ids from an in-memory queue and run them with
`execute_task`; sync task functions run in threads, so the event loop stays free. The
queue is only a cache of the database: on start-up every pending task is queued again, and
on shutdown running tasks stop at their next check and go back to `pending`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import uuid
from collections import Counter

from chatdata.tasks.environment import TaskEnvironment
from chatdata.tasks.executor import execute_task
from chatdata.tasks.reaper import pending_task_ids
from chatdata.tasks.runner import TaskRunner

log = logging.getLogger("chatdata.tasks")


class InProcessRunner(TaskRunner):
    """Run tasks in this process with at most `workers` at a time."""

    name = "inprocess"

    def __init__(self, env: TaskEnvironment, workers: int, shutdown_grace: float = 10.0) -> None:
        super().__init__(env)
        self._worker_count = max(1, workers)
        self._shutdown_grace = shutdown_grace
        self._queue: asyncio.Queue[uuid.UUID] | None = None
        self._workers: list[asyncio.Task[None]] = []
        self._interrupt = threading.Event()
        self._busy = 0
        self._alive: Counter[uuid.UUID] = Counter()  # the same id may be queued twice
        self._idle = asyncio.Event()
        self._idle.set()

    async def _start_workers(self) -> None:
        self._queue = asyncio.Queue()
        self._interrupt.clear()
        self._workers = [
            asyncio.create_task(self._work(), name=f"task-worker-{n}")
            for n in range(self._worker_count)
        ]

    async def _work(self) -> None:
        assert self._queue is not None
        while True:
            task_id = await self._queue.get()
            self._busy += 1
            self._idle.clear()
            self._alive[task_id] += 1
            try:
                await execute_task(self.env, task_id, self._interrupt)
            except Exception:
                log.exception("task %s crashed its worker", task_id)
            finally:
                self._alive -= Counter({task_id: 1})
                self._busy -= 1
                if not self._busy:
                    self._idle.set()
                self._queue.task_done()

    async def _stop_workers(self) -> None:
        """Ask running tasks to stop (they return to pending), then end the workers."""
        self._interrupt.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), self._shutdown_grace)
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers = []

    def alive_tasks(self) -> frozenset[uuid.UUID]:
        """Tasks this process is executing now."""
        return frozenset(+self._alive)

    async def _resume(self) -> None:
        for task_id in await pending_task_ids(self.env.sessions):
            await self._dispatch(task_id)

    async def _dispatch(self, task_id: uuid.UUID) -> None:
        if self._queue is None:
            raise RuntimeError("the in-process runner is not started")
        self._queue.put_nowait(task_id)

    async def _revoke(self, task_id: uuid.UUID) -> None:
        """Nothing to do: a cancelled pending task is never claimed, a running one stops."""

    async def wait_idle(self) -> None:
        """Wait until the queue is empty and no task runs (tests, benchmarks)."""
        if self._queue is not None:
            await self._queue.join()
