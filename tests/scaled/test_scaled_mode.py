"""The scaled mode end to end, with the settings a production deployment uses: PostgreSQL
(metadata), an S3 endpoint (files), Redis (Celery broker, result store and cache) and a real
`chatdata worker` process running the tasks. Register, upload, ingest to ready (in the
worker, reading from S3), chat with the built-in analyst (a table and a chart), run a task,
build a report from the conversation and export it.

PostgreSQL and Redis are the machine's services (`CHATDATA_TEST_POSTGRES_URL`, else the local
default) and a private `redis-server` (so no other suite's FLUSHDB touches the queue)."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient

from tests.conftest import make_settings
from tests.datasets.api_helpers import upload_ready
from tests.faults.servers import RedisServer
from tests.storage.s3server import S3Endpoint
from tests.support import Account, pg_database, register
from tests.tasks.conftest import client_for, running_app, start_worker, stop_worker

API = "/api/v1"
POSTGRES_URL = os.environ.get(
    "CHATDATA_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
CSV = b"region,amount,units\nnorth,10,1\nsouth,20,2\nnorth,5,3\neast,7,4\nsouth,1,5\n"


@dataclass
class Scaled:
    """The app's client, the S3 endpoint and bucket behind it."""

    client: AsyncClient
    endpoint: S3Endpoint
    bucket: str


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A private Redis server for the broker, the result store and the cache."""
    server = RedisServer()
    try:
        server.start()
        yield server.url
    finally:
        server.close()


@pytest.fixture
async def scaled(
    redis_url: str, s3_endpoint: S3Endpoint, s3_bucket: str, tmp_path: Path
) -> AsyncIterator[Scaled]:
    """The app on PostgreSQL + S3 + Celery/Redis, and one worker process."""
    s3 = s3_endpoint.settings_env(s3_bucket)
    with pg_database(POSTGRES_URL) as database_url:
        settings = make_settings(
            tmp_path / "api",
            database_url,
            task_runner="celery",
            redis_url=redis_url,
            storage_backend="s3",
            s3_endpoint_url=s3_endpoint.url,
            s3_bucket=s3_bucket,
            s3_access_key_id=s3_endpoint.access_key_id,
            s3_secret_access_key=s3_endpoint.secret_access_key,
        )
        worker_settings = settings.model_copy(update={"data_dir": tmp_path / "worker"})
        async with running_app(settings) as app, client_for(app) as client:
            worker = start_worker(worker_settings, s3, tmp_path / "worker.log")
            try:
                yield Scaled(client, s3_endpoint, s3_bucket)
            finally:
                stop_worker(worker)


async def check_health(client: AsyncClient) -> None:
    """The app reports the scaled mode on PostgreSQL with the Celery runner."""
    health = (await client.get(f"{API}/health")).json()
    assert health["mode"] == "scaled"
    assert health["checks"]["database"] == {"ok": True, "dialect": "postgresql"}
    assert health["checks"]["tasks"]["runner"] == "celery"


def stored_keys(scaled: Scaled) -> list[str]:
    """Every object key in the bucket."""
    listed = scaled.endpoint.client().list_objects_v2(Bucket=scaled.bucket)
    return sorted(entry["Key"] for entry in listed.get("Contents", []))


async def ask_for_chart(client: AsyncClient, owner: Account, dataset_id: str) -> str:
    """A conversation with one built-in analyst turn answering with a table and a chart."""
    created = await client.post(
        f"{API}/conversations",
        json={"dataset_id": dataset_id, "title": "Sales by region"},
        headers=owner.headers,
    )
    assert created.status_code == 201, created.text
    conversation_id = str(created.json()["id"])
    turn = await client.post(
        f"{API}/conversations/{conversation_id}/chat",
        json={"message": "Total amount by region, as a bar chart"},
        headers=owner.headers,
    )
    assert turn.status_code == 200, turn.text
    message = turn.json()
    assert message["status"] == "complete", message
    assert "north (15)" in message["content"] and "south (21)" in message["content"]
    kinds = [part["type"] for cell in message["code_result"]["cells"] for part in cell["outputs"]]
    assert "table" in kinds and "plotly" in kinds, kinds
    return conversation_id


async def run_describe(client: AsyncClient, owner: Account, dataset_id: str) -> dict[str, Any]:
    """A `describe` task run by the Celery worker; its result."""
    body = {"task_type": "describe", "dataset_id": dataset_id, "parameters": {}}
    created = await client.post(f"{API}/tasks", json=body, headers=owner.headers)
    assert created.status_code == 201, created.text
    task_id = created.json()["id"]
    deadline = time.monotonic() + 90
    while (task := (await client.get(f"{API}/tasks/{task_id}", headers=owner.headers)).json())[
        "status"
    ] not in {"succeeded", "failed", "cancelled"}:
        assert time.monotonic() < deadline, task
        await asyncio.sleep(0.1)
    assert task["status"] == "succeeded", task
    result = await client.get(f"{API}/tasks/{task_id}/result", headers=owner.headers)
    assert result.status_code == 200, result.text
    data: dict[str, Any] = result.json()["result"]
    return data


async def report_html(client: AsyncClient, owner: Account, conversation_id: str) -> str:
    """Generate a report from the conversation and export it as HTML."""
    generated = await client.post(
        f"{API}/reports/generate",
        json={"conversation_id": conversation_id, "title": "Scaled sales"},
        headers=owner.headers,
    )
    assert generated.status_code == 201, generated.text
    exported = await client.get(
        f"{API}/reports/{generated.json()['id']}/export",
        params={"format": "html"},
        headers=owner.headers,
    )
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"].startswith("text/html")
    return exported.text


async def test_scaled_mode_end_to_end(scaled: Scaled) -> None:
    client = scaled.client
    await check_health(client)
    owner = await register(client, "scaled")
    dataset = await upload_ready(client, owner, CSV, "sales.csv")
    assert (dataset["row_count"], dataset["column_count"]) == (5, 3)
    keys = stored_keys(scaled)
    assert any(k.endswith("/original/sales.csv") for k in keys), keys
    assert any(k.endswith(".parquet") for k in keys), keys  # written by the worker
    conversation_id = await ask_for_chart(client, owner, dataset["id"])
    described = await run_describe(client, owner, dataset["id"])
    assert described["data"]["rows"] == 5
    assert described["data"]["numeric"]["amount"]["mean"] == pytest.approx(43 / 5)
    html = await report_html(client, owner, conversation_id)
    assert "<title>Scaled sales</title>" in html
    assert "<td>north</td>" in html and 'data-for="' in html  # the table and the chart
