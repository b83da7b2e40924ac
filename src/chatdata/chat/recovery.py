"""Answers whose server stopped: found and marked interrupted, without touching live ones.

Each server instance has a runner id kept in its data dir (so it survives a restart), and
a running answer records the id of the instance running it and a heartbeat that instance
renews while it works. An answer is interrupted when its own instance starts again (it
cannot still be running), or when its heartbeat has stopped for `STALE_AFTER_SECONDS`
(its instance died; any instance's periodic sweep finds it). Another instance's live
answer is left alone, so a rolling restart of several API instances loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, or_, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatdata.chat.models import Message
from chatdata.db.base import utcnow

log = logging.getLogger("chatdata.chat")

INTERRUPTED_TEXT = "This answer was interrupted (the server stopped). Ask again to continue."
HEARTBEAT_SECONDS = 20.0
STALE_AFTER_SECONDS = 90.0  # several missed heartbeats: the instance is gone
RUNNER_ID_FILE = "runner-id"


def runner_id(data_dir: Path) -> str:
    """This instance's runner id: read from its data dir, created there the first time."""
    path = data_dir / RUNNER_ID_FILE
    with contextlib.suppress(FileNotFoundError):
        existing = path.read_text(encoding="utf-8").strip()
        if existing:
            return existing
    data_dir.mkdir(parents=True, exist_ok=True)
    created = uuid.uuid4().hex
    path.write_text(created + "\n", encoding="utf-8")
    return created


async def mark_interrupted_turns(
    sessions: async_sessionmaker[AsyncSession],
    *,
    own_runner: str | None,
    stale_after: float = STALE_AFTER_SECONDS,
) -> int:
    """Mark running answers interrupted when their heartbeat stopped `stale_after` seconds
    ago, or they have no runner (written before runners were recorded), or they belong to
    `own_runner` (pass it only at start-up, before this instance runs any turn); how many."""
    cutoff = utcnow() - timedelta(seconds=stale_after)
    last_sign = func.coalesce(Message.heartbeat_at, Message.created_at)
    dead = [Message.runner_id.is_(None), last_sign < cutoff]
    if own_runner is not None:
        dead.append(Message.runner_id == own_runner)
    async with sessions() as session, session.begin():
        result = await session.execute(
            update(Message)
            .where(Message.status == "running", or_(*dead))
            .values(status="interrupted", content=INTERRUPTED_TEXT)
        )
    return int(getattr(result, "rowcount", 0) or 0)


@contextlib.asynccontextmanager
async def heartbeat(
    sessions: async_sessionmaker[AsyncSession],
    message_id: uuid.UUID,
    every: float = HEARTBEAT_SECONDS,
) -> AsyncIterator[None]:
    """Renew the running answer's heartbeat every `every` seconds while the block runs."""
    task = asyncio.create_task(_beat(sessions, message_id, every), name=f"heartbeat-{message_id}")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _beat(
    sessions: async_sessionmaker[AsyncSession], message_id: uuid.UUID, every: float
) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            async with sessions() as session, session.begin():
                await session.execute(
                    update(Message)
                    .where(Message.id == message_id, Message.status == "running")
                    .values(heartbeat_at=utcnow())
                )
        except Exception:  # the next beat retries; only several missed ones make it stale
            log.warning("heartbeat of answer %s not recorded", message_id, exc_info=True)
