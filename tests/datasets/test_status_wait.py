"""`GET /datasets/{id}?wait=S`: long polling of an ingest. The answer comes when the
processing state changes (woken at once by the ingest in this process, or found by the
re-check when another process changed it), after `S` seconds otherwise, and at once for a
dataset that is not processing. Waiting holds no database connection."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import delete, update

from chatdata.datasets import status_wait
from chatdata.datasets.models import Dataset
from tests.datasets.api_helpers import API, upload_ready
from tests.datasets.test_ingest_rerun import CSV, back_to_processing, rerun
from tests.support import Account, register

FAR = 30  # seconds no test may come near: an answer before it proves the wake


async def timed_get(
    client: AsyncClient, account: Account, dataset_id: str, wait: float
) -> tuple[float, int, dict[str, Any]]:
    loop = asyncio.get_running_loop()
    started = loop.time()
    response = await client.get(
        f"{API}/datasets/{dataset_id}", params={"wait": wait}, headers=account.headers
    )
    return loop.time() - started, response.status_code, response.json()


async def processing_dataset(client: AsyncClient, app: FastAPI) -> tuple[Account, str]:
    """An owner and a dataset of theirs back in `processing` (as while an ingest runs)."""
    owner = await register(client)
    detail = await upload_ready(client, owner, CSV)
    await back_to_processing(app, detail["id"])
    return owner, detail["id"]


async def waiting_get(
    client: AsyncClient, account: Account, dataset_id: str
) -> asyncio.Task[tuple[float, int, dict[str, Any]]]:
    """A `?wait=` request already waiting when this returns."""
    task = asyncio.create_task(timed_get(client, account, dataset_id, FAR))
    await asyncio.sleep(0.3)
    assert not task.done()
    return task


async def set_row(app: FastAPI, dataset_id: str, **values: object) -> None:
    """Change the row directly, as another process would: no wake-up in this one."""
    async with app.state.runtime.sessions() as session, session.begin():
        await session.execute(
            update(Dataset).where(Dataset.id == uuid.UUID(dataset_id)).values(**values)
        )


async def test_a_ready_dataset_is_answered_at_once(client: AsyncClient) -> None:
    owner = await register(client)
    detail = await upload_ready(client, owner, CSV)
    seconds, code, body = await timed_get(client, owner, detail["id"], FAR)
    assert code == 200 and body["status"] == "ready" and body["row_count"] == 2000
    assert seconds < 5


async def test_the_ingest_wakes_the_waiting_request(
    client: AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(status_wait, "RECHECK_SECONDS", FAR)  # only the wake-up can answer
    owner, dataset_id = await processing_dataset(client, app)
    waiting = await waiting_get(client, owner, dataset_id)
    await rerun(app, dataset_id)
    seconds, code, body = await waiting
    assert code == 200 and seconds < 5
    assert body["status_message"] != "Ready: version 1" or body["status"] != "processing"


async def test_a_change_made_elsewhere_is_found_by_the_recheck(
    client: AsyncClient, app: FastAPI
) -> None:
    owner, dataset_id = await processing_dataset(client, app)
    waiting = await waiting_get(client, owner, dataset_id)
    await set_row(app, dataset_id, status="failed", error_message="stopped elsewhere")
    seconds, code, body = await waiting
    assert code == 200 and seconds < 5
    assert (body["status"], body["error"]) == ("failed", "stopped elsewhere")


async def test_without_a_change_the_answer_comes_after_the_wait(
    client: AsyncClient, app: FastAPI
) -> None:
    owner, dataset_id = await processing_dataset(client, app)
    seconds, code, body = await timed_get(client, owner, dataset_id, 1.2)
    assert code == 200 and body["status"] == "processing"
    assert 1.1 <= seconds < FAR


async def test_a_dataset_deleted_while_waited_on_is_not_found(
    client: AsyncClient, app: FastAPI
) -> None:
    owner, dataset_id = await processing_dataset(client, app)
    waiting = await waiting_get(client, owner, dataset_id)
    async with app.state.runtime.sessions() as session, session.begin():
        await session.execute(delete(Dataset).where(Dataset.id == uuid.UUID(dataset_id)))
    seconds, code, body = await waiting
    assert (code, body["error"]["code"]) == (404, "not_found") and seconds < 5


async def test_waiting_is_authorised_first_and_bounded(client: AsyncClient, app: FastAPI) -> None:
    owner, dataset_id = await processing_dataset(client, app)
    stranger = await register(client, "stranger")
    seconds, code, _ = await timed_get(client, stranger, dataset_id, FAR)
    assert code == 404 and seconds < 5
    _, code, body = await timed_get(client, owner, dataset_id, 31)
    assert code == 422, body


async def test_waiting_requests_hold_no_database_connection(
    client: AsyncClient, app: FastAPI
) -> None:
    owner, dataset_id = await processing_dataset(client, app)
    pool = app.state.runtime.settings.db_pool_size
    waiters = [
        asyncio.create_task(timed_get(client, owner, dataset_id, 4)) for _ in range(2 * pool + 5)
    ]
    await asyncio.sleep(0.5)
    listed = await client.get(f"{API}/datasets", headers=owner.headers)
    assert listed.status_code == 200
    assert not any(task.done() for task in waiters)  # answered while they all still wait
    await set_row(app, dataset_id, status="ready")
    answers = await asyncio.gather(*waiters)
    assert all(code == 200 and body["status"] == "ready" for _, code, body in answers)
