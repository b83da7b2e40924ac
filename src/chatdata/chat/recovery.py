"""After a restart: turns that were running when the server stopped are marked interrupted."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatdata.chat.models import Message

INTERRUPTED_TEXT = "This answer was interrupted (the server stopped). Ask again to continue."


async def mark_interrupted_turns(sessions: async_sessionmaker[AsyncSession]) -> int:
    """Mark every `running` assistant message as `interrupted`; how many."""
    async with sessions() as session, session.begin():
        result = await session.execute(
            update(Message)
            .where(Message.status == "running")
            .values(status="interrupted", content=INTERRUPTED_TEXT)
        )
    return int(getattr(result, "rowcount", 0) or 0)
