"""Kernels killed for a limit (a cell over its time limit, a kernel that died) are audited
against the conversation, and counted in the metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from prometheus_client.parser import text_string_to_metric_families

from chatdata.app import create_app
from tests.audit.helpers import API, audit_events, make_admin
from tests.conftest import make_settings
from tests.datasets.api_helpers import upload_ready
from tests.support import register

IGNORES_INTERRUPT = (
    "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
)


@pytest.fixture(scope="module")
async def strict_app(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[FastAPI]:
    settings = make_settings(
        tmp_path_factory.mktemp("kills"),
        database_url,
        execution_timeout_seconds=1.0,
        kernel_pool_size=1,  # the kernels lost are replaced from the warm pool
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def strict_client(strict_app: FastAPI) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=strict_app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://testserver", timeout=60) as c:
        yield c


async def test_limit_kills_are_audited_and_counted(
    strict_client: AsyncClient, strict_app: FastAPI
) -> None:
    admin = await make_admin(strict_client, strict_app)
    owner = await register(strict_client, "looper")
    dataset = await upload_ready(strict_client, owner, b"a,b\n1,2\n3,4\n", "tiny.csv")
    created = await strict_client.post(
        f"{API}/conversations", json={"dataset_id": dataset["id"]}, headers=owner.headers
    )
    conversation_id = created.json()["id"]
    execute = f"{API}/conversations/{conversation_id}/execute"
    statuses = []
    for code in ("x = 1", IGNORES_INTERRUPT, "import os\nos._exit(3)", "print(x)"):
        ran = await strict_client.post(execute, json={"code": code}, headers=owner.headers)
        assert ran.status_code == 200, ran.text
        statuses.append(ran.json()["status"])
    assert statuses == ["ok", "timeout", "killed", "ok"]

    events = await audit_events(strict_client, admin, action="kernel.kill")
    assert [
        (e["actor_id"], e["target_type"], e["target_id"], e["team_id"], e["details"])
        for e in reversed(events)
    ] == [
        (owner.id, "conversation", conversation_id, dataset["team_id"], details)
        for details in (
            {"reason": "timeout", "status": "timeout"},
            {"reason": "died", "status": "killed"},
        )
    ]
    scraped = await strict_client.get("/metrics")
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(scraped.text)
        for s in family.samples
    }
    killed = "chatdata_kernels_killed_total"
    assert samples[(killed, (("reason", "timeout"),))] == 1
    assert samples[(killed, (("reason", "died"),))] == 1
    assert samples[("chatdata_kernels_started_total", ())] >= 3
    cells = "chatdata_kernel_cell_duration_seconds_count"
    assert samples[(cells, (("status", "ok"),))] == 2
    assert samples[(cells, (("status", "timeout"),))] == 1
    assert samples[(cells, (("status", "killed"),))] == 1
