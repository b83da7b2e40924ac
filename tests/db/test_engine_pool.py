"""The engine's pool: `db_pool_size` connections kept on every file-backed backend (so
concurrent requests reuse them instead of opening one each), checkout pings only where a
connection can go stale (PostgreSQL), and an in-memory SQLite URL still works."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import event, text

from chatdata.db.engine import create_engine
from tests.conftest import make_settings


async def test_concurrent_sessions_reuse_pooled_connections(
    tmp_path: Path, database_url: str
) -> None:
    engine = create_engine(make_settings(tmp_path, database_url, db_pool_size=8))
    opened: list[object] = []
    event.listen(engine.sync_engine, "connect", lambda *_: opened.append(1))

    async def query(release: asyncio.Event) -> None:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            await release.wait()

    try:
        for _ in range(3):  # three bursts of 8 at once: the same 8 connections
            release = asyncio.Event()
            tasks = [asyncio.create_task(query(release)) for _ in range(8)]
            await asyncio.sleep(0.2)
            release.set()
            await asyncio.gather(*tasks)
        assert len(opened) == 8
        assert engine.pool._pre_ping is (engine.dialect.name == "postgresql")  # type: ignore[attr-defined]
    finally:
        await engine.dispose()


async def test_in_memory_sqlite_still_builds(tmp_path: Path) -> None:
    engine = create_engine(make_settings(tmp_path, "sqlite+aiosqlite://"))
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT 1"))).scalar() == 1
    finally:
        await engine.dispose()
