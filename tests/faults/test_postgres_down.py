"""PostgreSQL stopped under a running app: every request that needs the database answers
503 in the error shape (health too); when it is back the same app recovers, no restart."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from httpx import AsyncClient

from tests.conftest import make_settings
from tests.datasets.api_helpers import upload_bytes, upload_ready
from tests.faults.conftest import app_client
from tests.faults.servers import PostgresServer
from tests.support import PASSWORD, Account, assert_error, register, unique_email

API = "/api/v1"
CSV = b"region,amount\nnorth,10\nsouth,20\nnorth,5\n"


async def assert_database_unavailable(client: AsyncClient, owner: Account, dataset_id: str) -> None:
    """Reads, writes, sign-in and uploads all answer 503 `service_unavailable`."""
    health = assert_error(await client.get(f"{API}/health"), 503, "service_unavailable")
    assert isinstance(health["details"], dict)
    assert health["details"]["checks"]["database"]["ok"] is False
    for response in (
        await client.get(f"{API}/datasets", headers=owner.headers),
        await client.get(f"{API}/auth/me", headers=owner.headers),
        await client.post(f"{API}/auth/login", json={"email": owner.email, "password": PASSWORD}),
        await client.post(
            f"{API}/auth/register",
            json={"email": unique_email(), "username": "late", "password": PASSWORD},
        ),
        await client.post(
            f"{API}/conversations", json={"dataset_id": dataset_id}, headers=owner.headers
        ),
        await upload_bytes(client, owner, CSV, "during-outage.csv"),
    ):
        error = assert_error(response, 503, "service_unavailable")
        assert "database" in str(error["message"]).lower()


async def wait_tasks_finished(client: AsyncClient, owner: Account) -> None:
    """Wait until the owner's tasks (the ingests) recorded their end."""
    for _ in range(600):
        listed = await client.get(f"{API}/tasks", headers=owner.headers)
        if all(t["status"] == "succeeded" for t in listed.json()["items"]):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"tasks still running: {listed.text}")


async def test_postgres_stopped_then_back(postgres_server: PostgresServer, tmp_path: Path) -> None:
    url = postgres_server.create_database(f"fault_{uuid.uuid4().hex[:12]}")
    settings = make_settings(tmp_path / "data", url, task_workers=1)
    async with app_client(settings) as (_app, client):
        owner = await register(client, "pg-fault")
        before = await upload_ready(client, owner, CSV, "before.csv")
        await wait_tasks_finished(client, owner)
        postgres_server.stop()
        try:
            await assert_database_unavailable(client, owner, before["id"])
            # still 503, not a hang or 500
            await assert_database_unavailable(client, owner, before["id"])
        finally:
            postgres_server.start()
        health = await client.get(f"{API}/health")
        assert health.status_code == 200, health.text
        listed = await client.get(f"{API}/datasets", headers=owner.headers)
        assert listed.status_code == 200, listed.text
        assert [d["id"] for d in listed.json()["items"]] == [before["id"]]  # nothing half-made
        login = await client.post(
            f"{API}/auth/login", json={"email": owner.email, "password": PASSWORD}
        )
        assert login.status_code == 200, login.text
        after = await upload_ready(client, owner, CSV, "after.csv")  # the task runner too
        assert after["row_count"] == 3
