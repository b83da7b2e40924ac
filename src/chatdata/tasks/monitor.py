"""The monitor that runs beside a task: heartbeat, progress flush and cancel polling.

It lives on the event loop while the task function works (in a thread, or as a coroutine):
every `poll_seconds` it writes changed progress, writes the heartbeat at least every
`heartbeat_seconds`, and turns a cancel request in the database into the function's stop
flag. A database hiccup is logged and retried at the next tick, never fatal to the task.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from types import TracebackType

from sqlalchemy.exc import SQLAlchemyError

from chatdata.tasks.context import TaskControl
from chatdata.tasks.environment import TaskEnvironment
from chatdata.tasks.state import beat, cancel_requested

log = logging.getLogger("chatdata.tasks")


class TaskMonitor:
    """Async context manager: the monitor loop runs while the block runs."""

    def __init__(
        self, env: TaskEnvironment, task_id: uuid.UUID, attempt: int, control: TaskControl
    ) -> None:
        self._env = env
        self._task_id = task_id
        self._attempt = attempt
        self._control = control
        self._loop_task: asyncio.Task[None] | None = None
        self.lost = False

    async def __aenter__(self) -> TaskMonitor:
        self._loop_task = asyncio.create_task(self._loop(), name=f"monitor-{self._task_id}")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task

    async def _loop(self) -> None:
        tuning = self._env.tuning
        seen = 0
        last_beat = time.monotonic()
        while True:
            await asyncio.sleep(tuning.poll_seconds)
            try:
                changes, percent, message = self._control.snapshot()
                due = time.monotonic() - last_beat >= tuning.heartbeat_seconds
                if changes != seen or due:
                    progress = (percent, message) if changes != seen else None
                    if not await beat(self._env.sessions, self._task_id, self._attempt, progress):
                        self._stop_lost()
                        return
                    seen, last_beat = changes, time.monotonic()
                if await cancel_requested(self._env.sessions, self._task_id):
                    self._control.cancelled.set()
            except (SQLAlchemyError, OSError) as exc:
                log.warning("task %s: monitor could not reach the database: %s", self._task_id, exc)

    def _stop_lost(self) -> None:
        """The task was taken from us (re-queued or ended elsewhere): stop the function."""
        log.warning("task %s: no longer owned by this worker; stopping it", self._task_id)
        self.lost = True
        self._control.cancelled.set()
