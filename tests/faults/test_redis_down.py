"""Redis stopped under the Celery runner: the tasks API answers 503 in the error shape (the
task is recorded as failed, never left pending), an upload fails with a reason instead of
staying `processing`, the chat (built-in analyst) keeps answering; Redis back: tasks run."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from httpx import AsyncClient

from chatdata.tasks.runner import QUEUE_DOWN
from tests.conftest import make_settings
from tests.datasets.api_helpers import upload_bytes, upload_ready, wait_for
from tests.faults.conftest import app_client
from tests.faults.servers import RedisServer
from tests.support import Account, assert_error, register
from tests.tasks.conftest import start_worker, stop_worker

API = "/api/v1"
CSV = b"region,amount\nnorth,10\nsouth,20\nnorth,5\neast,7\n"


async def submit_describe(client: AsyncClient, owner: Account, dataset_id: str) -> Any:
    """POST a `describe` task; the raw response."""
    body = {"task_type": "describe", "dataset_id": dataset_id, "parameters": {}}
    return await client.post(f"{API}/tasks", json=body, headers=owner.headers)


async def wait_task_done(client: AsyncClient, owner: Account, task_id: str) -> dict[str, Any]:
    """Poll the task until it finished (60 s at most)."""
    deadline = time.monotonic() + 60
    while True:
        task: dict[str, Any] = (
            await client.get(f"{API}/tasks/{task_id}", headers=owner.headers)
        ).json()
        if task["status"] in {"succeeded", "failed", "cancelled"}:
            return task
        assert time.monotonic() < deadline, task
        await asyncio.sleep(0.1)


async def ask(client: AsyncClient, owner: Account, conversation_id: str) -> dict[str, Any]:
    """One built-in analyst turn; the stored assistant message."""
    response = await client.post(
        f"{API}/conversations/{conversation_id}/chat",
        json={"message": "Total amount by region"},
        headers=owner.headers,
    )
    assert response.status_code == 200, response.text
    message: dict[str, Any] = response.json()
    assert message["status"] == "complete", message
    return message


async def test_redis_stopped_then_back(redis_server: RedisServer, tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path / "data",
        f"sqlite+aiosqlite:///{tmp_path / 'tasks.db'}",
        task_runner="celery",
        redis_url=redis_server.url,
    )
    async with app_client(settings) as (_app, client):
        worker = start_worker(settings, {}, tmp_path / "worker.log")
        try:
            owner = await register(client, "redis-fault")
            dataset = await upload_ready(client, owner, CSV, "sales.csv")
            created = await client.post(
                f"{API}/conversations", json={"dataset_id": dataset["id"]}, headers=owner.headers
            )
            conversation_id = created.json()["id"]

            redis_server.stop()
            refused = assert_error(
                await submit_describe(client, owner, dataset["id"]), 503, "service_unavailable"
            )
            assert refused["message"] == QUEUE_DOWN
            newest = (await client.get(f"{API}/tasks", headers=owner.headers)).json()["items"][0]
            assert (newest["task_type"], newest["status"]) == ("describe", "failed")
            assert newest["error"] == QUEUE_DOWN  # recorded, never left pending
            late = await upload_bytes(client, owner, CSV, "late.csv")
            assert late.status_code == 202, late.text
            late_detail = await wait_for(client, owner, late.json()["id"])
            assert late_detail["status"] == "failed" and late_detail["error"] == QUEUE_DOWN
            answer = await ask(client, owner, conversation_id)  # the chat keeps working
            assert "north (15)" in answer["content"], answer["content"]

            redis_server.start()
            accepted = await submit_describe(client, owner, dataset["id"])
            assert accepted.status_code == 201, accepted.text
            done = await wait_task_done(client, owner, accepted.json()["id"])
            assert done["status"] == "succeeded", done
            again = await upload_ready(client, owner, CSV, "again.csv")
            assert again["row_count"] == 4
        finally:
            stop_worker(worker)
