"""Sliding-window rate limiting for logins (per IP and per account)."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque

from chatdata.errors import RateLimited


class SlidingWindowLimiter:
    """In-process sliding-window counter: at most `limit` hits per `window` seconds per key."""

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

    def check(self, key: str, message: str) -> None:
        """Raise RateLimited (with Retry-After) when `key` has used up its window."""
        with self._lock:
            now = time.monotonic()
            hits = self._prune(key, now)
            if len(hits) >= self.limit:
                retry_after = max(1, math.ceil(hits[0] + self.window - now))
                raise RateLimited(message, retry_after=retry_after)

    def hit(self, key: str) -> None:
        """Record one event for `key`."""
        with self._lock:
            now = time.monotonic()
            self._prune(key, now).append(now)

    def reset(self, key: str) -> None:
        """Forget `key` (e.g. after a successful login)."""
        with self._lock:
            self._hits.pop(key, None)


class LoginLimiter:
    """Login throttling: all attempts per IP, failed attempts per account."""

    def __init__(self, per_ip: int, per_account: int, window_seconds: float) -> None:
        self.by_ip = SlidingWindowLimiter(per_ip, window_seconds)
        self.by_account = SlidingWindowLimiter(per_account, window_seconds)

    def before_attempt(self, ip: str, email: str) -> None:
        """Refuse the attempt when the IP or the account is over its limit."""
        self.by_ip.check(ip, "Too many sign-in attempts from this address; try again later.")
        self.by_account.check(email, "Too many failed sign-ins for this account; try again later.")
        self.by_ip.hit(ip)

    def failed(self, email: str) -> None:
        """Count a failed attempt against the account."""
        self.by_account.hit(email)

    def succeeded(self, email: str) -> None:
        """A successful sign-in clears the account's failures."""
        self.by_account.reset(email)
