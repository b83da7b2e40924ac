"""Server-Sent Events of one task: `progress` when its state changes, then `done`.

The stream polls the database (the source of truth, whichever runner runs the task), so it
works the same for in-process and Celery tasks.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatdata.tasks.models import AnalysisTask
from chatdata.tasks.schemas import TaskOut
from chatdata.tasks.state import TERMINAL

KEEPALIVE_SECONDS = 15.0


def sse(event: str, data: dict[str, Any]) -> str:
    """One SSE message."""
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


async def task_events(
    sessions: async_sessionmaker[AsyncSession], task_id: uuid.UUID, poll_seconds: float = 0.2
) -> AsyncIterator[str]:
    """Yield `progress` events on every change of status/progress/message, then `done`."""
    last: tuple[str, int, str | None] | None = None
    quiet_since = time.monotonic()
    body: dict[str, Any] = {"id": str(task_id), "status": "deleted"}
    while True:
        async with sessions() as session:
            task = await session.get(AnalysisTask, task_id)
        if task is None:
            yield sse("done", body)
            return
        body = TaskOut.of(task).model_dump(mode="json")
        state = (task.status, task.progress, task.progress_message)
        if state != last:
            yield sse("progress", body)
            last, quiet_since = state, time.monotonic()
        if task.status in TERMINAL:
            yield sse("done", body)
            return
        if time.monotonic() - quiet_since > KEEPALIVE_SECONDS:
            yield ": keep-alive\n\n"
            quiet_since = time.monotonic()
        await asyncio.sleep(poll_seconds)
