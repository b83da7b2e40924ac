"""Sliding-window rate limits (logins per IP and per account, chat turns per user).

Counted in the process (`MemoryWindow`, one instance) or in Redis (`RedisWindow`, shared
by every API instance, so N instances do not allow N times the attempts). Redis being
unreachable lets requests through with a warning: a cache outage must not lock every user
out, and sign-in still needs the password.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from collections import defaultdict, deque
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from chatdata.errors import RateLimited

log = logging.getLogger("chatdata.auth")


class WindowLimit(Protocol):
    """At most `limit` hits per `window` seconds per key."""

    async def check(self, key: str, message: str) -> None:
        """Raise RateLimited (with Retry-After) when `key` has used up its window."""

    async def hit(self, key: str) -> None:
        """Record one event for `key`."""

    async def reset(self, key: str) -> None:
        """Forget `key` (e.g. after a successful login)."""


class MemoryWindow:
    """In-process sliding-window counter."""

    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque[float]:
        hits = self._hits[key]
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    async def check(self, key: str, message: str) -> None:
        """Raise RateLimited (with Retry-After) when `key` has used up its window."""
        with self._lock:
            now = time.monotonic()
            hits = self._prune(key, now)
            if len(hits) >= self.limit:
                raise RateLimited(message, retry_after=_retry_after(hits[0], self.window, now))

    async def hit(self, key: str) -> None:
        """Record one event for `key`."""
        with self._lock:
            now = time.monotonic()
            self._prune(key, now).append(now)

    async def reset(self, key: str) -> None:
        """Forget `key`."""
        with self._lock:
            self._hits.pop(key, None)


class RedisWindow:
    """Sliding-window counter in Redis: one sorted set of hit times per key."""

    def __init__(self, client: Redis, name: str, limit: int, window_seconds: float) -> None:
        self.client = client
        self.prefix = f"chatdata:ratelimit:{name}:"
        self.limit = limit
        self.window = window_seconds

    async def check(self, key: str, message: str) -> None:
        """Raise RateLimited (with Retry-After) when `key` has used up its window."""
        now = time.time()
        try:
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.zremrangebyscore(self.prefix + key, 0, now - self.window)
                pipe.zrange(self.prefix + key, 0, 0, withscores=True)
                pipe.zcard(self.prefix + key)
                _, oldest, count = await pipe.execute()
        except (RedisError, OSError):
            log.warning("rate limits unavailable (Redis); request let through")
            return
        if int(count) >= self.limit and oldest:
            first = float(oldest[0][1])
            raise RateLimited(message, retry_after=_retry_after(first, self.window, now))

    async def hit(self, key: str) -> None:
        """Record one event for `key`."""
        now = time.time()
        try:
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.zadd(self.prefix + key, {uuid.uuid4().hex: now})
                pipe.expire(self.prefix + key, math.ceil(self.window))
                await pipe.execute()
        except (RedisError, OSError):
            log.warning("rate limits unavailable (Redis); hit not counted")

    async def reset(self, key: str) -> None:
        """Forget `key`."""
        try:
            await self.client.delete(self.prefix + key)
        except (RedisError, OSError):
            log.warning("rate limits unavailable (Redis); key not reset")


def _retry_after(first_hit: float, window: float, now: float) -> int:
    return max(1, math.ceil(first_hit + window - now))


class LoginLimiter:
    """Login throttling: all attempts per IP, failed attempts per account."""

    def __init__(self, by_ip: WindowLimit, by_account: WindowLimit) -> None:
        self.by_ip = by_ip
        self.by_account = by_account

    async def before_attempt(self, ip: str, email: str) -> None:
        """Refuse the attempt when the IP or the account is over its limit."""
        await self.by_ip.check(ip, "Too many sign-in attempts from this address; try again later.")
        await self.by_account.check(
            email, "Too many failed sign-ins for this account; try again later."
        )
        await self.by_ip.hit(ip)

    async def failed(self, email: str) -> None:
        """Count a failed attempt against the account."""
        await self.by_account.hit(email)

    async def succeeded(self, email: str) -> None:
        """A successful sign-in clears the account's failures."""
        await self.by_account.reset(email)
