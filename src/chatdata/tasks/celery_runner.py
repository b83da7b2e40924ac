"""The scaled runner: the server publishes task ids to Celery (Redis) and revokes on cancel.

Nothing runs in the server; `chatdata worker` processes execute the tasks. The server
still runs the reaper, which re-queues or fails tasks whose worker died.
"""

from __future__ import annotations

import functools
import uuid

import anyio

from chatdata.tasks.celery_app import RUN_TASK, create_celery_app
from chatdata.tasks.environment import TaskEnvironment
from chatdata.tasks.runner import TaskRunner


class CeleryRunner(TaskRunner):
    """Dispatch tasks to Celery workers through Redis."""

    name = "celery"

    def __init__(self, env: TaskEnvironment) -> None:
        super().__init__(env)
        self.celery = create_celery_app(env.settings, env.tuning)

    async def _start_workers(self) -> None:
        """Workers are separate processes (`chatdata worker`)."""

    async def _stop_workers(self) -> None:
        """Close the broker connections of this process."""
        await anyio.to_thread.run_sync(self.celery.close)

    async def _resume(self) -> None:
        """Pending tasks wait in Redis; nothing to re-send."""

    async def _dispatch(self, task_id: uuid.UUID) -> None:
        send = functools.partial(
            self.celery.send_task, RUN_TASK, args=[str(task_id)], task_id=str(task_id)
        )
        await anyio.to_thread.run_sync(send)

    async def _revoke(self, task_id: uuid.UUID) -> None:
        await anyio.to_thread.run_sync(self.celery.control.revoke, str(task_id))
