"""Async engine and session factory for SQLite (embedded) and PostgreSQL (scaled)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from chatdata.config import Settings


def create_engine(settings: Settings) -> AsyncEngine:
    """Build the async engine; SQLite gets WAL, foreign keys and a busy timeout. Both keep
    `db_pool_size` connections (SQLAlchemy's default of 5 for SQLite made every request
    above 5 at once open and close a connection of its own).

    Only PostgreSQL connections are pinged on checkout (they can go stale when the server
    restarts); a SQLite file cannot, and the ping would cost a round trip per request."""
    url = settings.resolved_database_url
    kwargs: dict[str, Any] = {"echo": settings.db_echo, **_pool_options(url, settings)}
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_async_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _pool_options(url: str, settings: Settings) -> dict[str, Any]:
    """Pool size and overflow; none for an in-memory SQLite database (one static
    connection)."""
    if make_url(url).database in (None, "", ":memory:"):
        return {}
    return {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_pool_size,
        "pool_timeout": settings.db_pool_timeout_seconds,
    }


def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_sessionmaker(
    engine: AsyncEngine, info: dict[str, Any] | None = None
) -> async_sessionmaker[AsyncSession]:
    """Session factory; objects stay usable after commit. `info` is each session's
    `info` (the app's user cache rides there)."""
    return async_sessionmaker(engine, expire_on_commit=False, info=info)


async def session_scope(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """Yield a session that commits on success and rolls back on error."""
    async with factory() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
