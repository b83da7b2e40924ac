"""An in-process cache of the users behind access tokens.

Every authenticated request needs its user row (still active? which role?). Reading it was a
DB round trip per request, the largest part of a cheap read such as a list. This cache keeps a
detached copy of each signed-in user for `auth_user_cache_seconds`, and a request gets its own
session-bound copy of it (a merge without load: no SQL).

Changes made through this process are seen at once: a flush that writes a `User`, or a bulk
UPDATE/DELETE of users, drops the entries, again when its transaction commits, and a read
that raced such a change is not stored. Changes made by another API instance are seen within
the TTL (refresh tokens are revoked at once regardless); a TTL of 0 reads the row on every
request.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session

from chatdata.auth.models import User

SESSION_INFO_KEY = "chatdata.user_cache"
_TOUCHED_KEY = "chatdata.users_touched"


class UserCache:
    """Detached users by id, each fresh for `ttl_seconds`."""

    def __init__(
        self,
        ttl_seconds: float,
        *,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[uuid.UUID, tuple[float, User]] = {}
        # Bumped by every invalidation: a read that started before one is not stored.
        self.generation = 0

    def get(self, user_id: uuid.UUID) -> User | None:
        """The cached user while fresh, else None."""
        entry = self._entries.get(user_id)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            self._entries.pop(user_id, None)
            return None
        return entry[1]

    def put(self, user: User, generation: int) -> None:
        """Keep a detached `user` read when the cache was at `generation`."""
        if self.ttl_seconds <= 0 or generation != self.generation:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.pop(next(iter(self._entries)))  # the oldest insertion
        self._entries[user.id] = (self._clock() + self.ttl_seconds, user)

    def invalidate(self, user_ids: Iterable[uuid.UUID] | None = None) -> None:
        """Forget these users (all of them when None)."""
        self.generation += 1
        if user_ids is None:
            self._entries.clear()
            return
        for user_id in user_ids:
            self._entries.pop(user_id, None)

    def __len__(self) -> int:
        return len(self._entries)


async def load_user(session: AsyncSession, cache: UserCache, user_id: uuid.UUID) -> User | None:
    """The user bound to `session`: a copy of the cached one when fresh, else read (and
    cached). None when there is no such user."""
    cached = cache.get(user_id)
    if cached is not None:
        return await session.merge(cached, load=False)
    generation = cache.generation
    user = await session.get(User, user_id)
    if user is None or cache.ttl_seconds <= 0:
        return user
    session.expunge(user)
    cache.put(user, generation)
    return await session.merge(user, load=False)


def _cache_of(session: Session) -> UserCache | None:
    cache = session.info.get(SESSION_INFO_KEY)
    return cache if isinstance(cache, UserCache) else None


@event.listens_for(Session, "after_flush")
def _forget_flushed_users(session: Session, _context: Any) -> None:
    cache = _cache_of(session)
    if cache is None:
        return
    changed = (*session.new, *session.dirty, *session.deleted)
    ids = {obj.id for obj in changed if isinstance(obj, User)}
    if ids:
        cache.invalidate(ids)
        session.info.setdefault(_TOUCHED_KEY, set()).update(ids)


@event.listens_for(Session, "after_commit")
def _forget_committed_users(session: Session) -> None:
    ids = session.info.pop(_TOUCHED_KEY, None)
    cache = _cache_of(session)
    if ids and cache is not None:
        cache.invalidate(ids)


@event.listens_for(Session, "after_rollback")
def _drop_touched(session: Session) -> None:
    session.info.pop(_TOUCHED_KEY, None)


@event.listens_for(Session, "do_orm_execute")
def _forget_on_bulk_change(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    cache = _cache_of(state.session)
    if cache is not None and any(mapper.class_ is User for mapper in state.all_mappers):
        cache.invalidate()
