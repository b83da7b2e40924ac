"""Hold a dataset's detail until its processing state changes (long polling).

`GET /datasets/{id}?wait=S` lets a client follow an ingest with a handful of requests
instead of polling several times a second: the answer comes as soon as the status,
progress or status message changes, or after `S` seconds. The ingest job calls
`status_changed` after each change it commits, which wakes the waiters in this process at
once; a short re-check of the row covers changes made elsewhere (a Celery worker, another
server instance). No database connection is held while waiting.
"""

from __future__ import annotations

import uuid

import anyio
from sqlalchemy import select
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.datasets.models import Dataset
from chatdata.errors import NotFound

GONE = "Dataset not found."
MAX_WAIT_SECONDS = 30.0
RECHECK_SECONDS = 0.5

_waiters: dict[uuid.UUID, set[anyio.Event]] = {}

State = tuple[str, int, str | None]


def status_changed(dataset_id: uuid.UUID) -> None:
    """Wake the requests of this process waiting on `dataset_id` (call after the commit)."""
    for event in _waiters.pop(dataset_id, set()):
        event.set()


async def wait_for_change(session: AsyncSession, dataset: Dataset, seconds: float) -> Dataset:
    """`dataset` once its state differs from now, or after `seconds` (at most 30); at once
    when it is not `processing`. The returned object holds the current row."""
    if dataset.status != "processing" or seconds <= 0:
        return dataset
    seen: State = (dataset.status, dataset.progress, dataset.status_message)
    with anyio.move_on_after(min(seconds, MAX_WAIT_SECONDS)):
        while True:
            event = anyio.Event()
            _waiters.setdefault(dataset.id, set()).add(event)
            try:
                current = await _current_state(session, dataset.id)
                if current is None:
                    raise NotFound(GONE)
                if current != seen:
                    break
                await session.commit()  # give the connection back while waiting
                with anyio.move_on_after(RECHECK_SECONDS):
                    await event.wait()
            finally:
                _forget(dataset.id, event)
    try:
        await session.refresh(dataset)
    except InvalidRequestError as exc:  # deleted since the last look
        raise NotFound(GONE) from exc
    return dataset


async def _current_state(session: AsyncSession, dataset_id: uuid.UUID) -> State | None:
    row = (
        await session.execute(
            select(Dataset.status, Dataset.progress, Dataset.status_message).where(
                Dataset.id == dataset_id
            )
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2])


def _forget(dataset_id: uuid.UUID, event: anyio.Event) -> None:
    waiting = _waiters.get(dataset_id)
    if waiting is None:
        return
    waiting.discard(event)
    if not waiting:
        del _waiters[dataset_id]
