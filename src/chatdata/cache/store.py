"""The result cache behind one small interface: `DbCache` or `RedisCache`."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatdata.cache.models import CacheEntry

log = logging.getLogger("chatdata.cache")


class ResultCache(Protocol):
    """Get and set JSON values by key. A cache failure is a miss, never an error."""

    name: str

    async def get(self, key: str) -> dict[str, Any] | None:
        """The value under `key`, or None."""
        ...

    async def set(self, key: str, value: dict[str, Any]) -> None:
        """Store `value` under `key` for the configured lifetime."""
        ...


class DbCache:
    """Cache rows in the `cache_entries` table."""

    name = "db"

    def __init__(self, sessions: async_sessionmaker[AsyncSession], ttl_seconds: int) -> None:
        self.sessions = sessions
        self.ttl = timedelta(seconds=ttl_seconds)

    async def get(self, key: str) -> dict[str, Any] | None:
        async with self.sessions() as session:
            entry = await session.get(CacheEntry, key)
            if entry is None:
                return None
            expires = entry.expires_at
            if (expires if expires.tzinfo else expires.replace(tzinfo=UTC)) < datetime.now(UTC):
                return None
            return dict(entry.value)

    async def set(self, key: str, value: dict[str, Any]) -> None:
        now = datetime.now(UTC)
        async with self.sessions() as session, session.begin():
            await session.execute(delete(CacheEntry).where(CacheEntry.key == key))
            await session.execute(delete(CacheEntry).where(CacheEntry.expires_at < now))
            session.add(CacheEntry(key=key, value=value, expires_at=now + self.ttl))


class RedisCache:
    """Cache values as JSON strings in Redis with a TTL."""

    name = "redis"

    def __init__(self, url: str, ttl_seconds: int, prefix: str = "chatdata:cache:") -> None:
        self.client = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.ttl = ttl_seconds
        self.prefix = prefix

    async def get(self, key: str) -> dict[str, Any] | None:
        try:
            raw = await self.client.get(self.prefix + key)
        except (RedisError, OSError):
            log.warning("redis cache unavailable; treating as a miss")
            return None
        return dict(json.loads(raw)) if raw else None

    async def set(self, key: str, value: dict[str, Any]) -> None:
        try:
            await self.client.set(self.prefix + key, json.dumps(value), ex=self.ttl)
        except (RedisError, OSError):
            log.warning("redis cache unavailable; value not cached")
