"""One new version at a time per dataset, so numbers and storage keys never collide.

Creating a version reads the highest number, stores the file under the next number's key
and inserts the row; two creators at once (a cleaning task and an accepted proposal, say)
would pick the same number and overwrite each other's file. The lock is held until the
creating transaction ends: on PostgreSQL a transaction-scoped advisory lock, which also
holds across API processes and Celery workers; on SQLite (one process) an asyncio lock
released when the session's outermost transaction ends.
"""

from __future__ import annotations

import asyncio
import uuid
import weakref

from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

_LOCAL_LOCKS: weakref.WeakValueDictionary[uuid.UUID, asyncio.Lock] = weakref.WeakValueDictionary()
_HELD = "chatdata.version_locks"  # session.info key: the dataset ids this session holds


async def lock_dataset_versions(session: AsyncSession, dataset_id: uuid.UUID) -> None:
    """Wait until no other transaction is creating a version of `dataset_id`; the lock is
    then this session's until its transaction commits or rolls back."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(advisory_key(dataset_id))))
        return
    held: dict[uuid.UUID, asyncio.Lock] | None = session.info.get(_HELD)
    if held is None:
        held = session.info[_HELD] = {}
        event.listen(session.sync_session, "after_transaction_end", _release_held)
    if dataset_id in held:  # this transaction holds it already (a second version)
        return
    lock = _LOCAL_LOCKS.get(dataset_id)
    if lock is None:
        lock = _LOCAL_LOCKS.setdefault(dataset_id, asyncio.Lock())
    await lock.acquire()
    held[dataset_id] = lock


def advisory_key(dataset_id: uuid.UUID) -> int:
    """A signed 64-bit key for `pg_advisory_xact_lock`, taken from the dataset id."""
    return int.from_bytes(dataset_id.bytes[:8], "big", signed=True)


def _release_held(session: Session, transaction: SessionTransaction) -> None:
    """Release this session's locks when its outermost transaction (not a savepoint) ends."""
    if transaction.parent is not None:
        return
    held: dict[uuid.UUID, asyncio.Lock] = session.info.get(_HELD, {})
    for lock in held.values():
        lock.release()
    held.clear()
