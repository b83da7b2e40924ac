"""`GET /metrics`: Prometheus text that parses, on a registry of its own per app; request,
task, kernel and LLM figures move with the work done; a token when one is configured."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from prometheus_client import REGISTRY

from chatdata.app import create_app
from tests.conftest import make_settings
from tests.datasets.api_helpers import upload_ready
from tests.llm.fixtures import shared_llm_server
from tests.llm.script import Reply, ToolCall
from tests.llm.scripted_server import ScriptedLLMServer
from tests.ops.metrics_helpers import scrape, value
from tests.support import assert_error, register

API = "/api/v1"
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")
CSV = b"region,amount\nnorth,10\nsouth,20\nnorth,30\n"


@pytest.fixture(scope="module")
async def llm_app(
    request: pytest.FixtureRequest, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[FastAPI]:
    """An app talking to the scripted LLM server, with a metrics token."""
    server = shared_llm_server(request.config)
    settings = make_settings(
        tmp_path_factory.mktemp("metrics"),
        database_url,
        llm_preset="openai",
        llm_base_url=server.base_url,
        llm_api_key="sk-metrics-test",
        llm_model="scripted-model",
        llm_max_retries=0,
        llm_timeout_seconds=5.0,
        kernel_pool_size=1,
        metrics_token="scrape-me-7",
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def llm_client(llm_app: FastAPI) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=llm_app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://testserver", timeout=60) as c:
        yield c


async def test_request_counts_by_route_template(client: AsyncClient) -> None:
    account = await register(client, "counted")
    before = await scrape(client)
    missing = f"{API}/datasets/{uuid.uuid4()}"
    for _ in range(2):
        assert (await client.get(missing, headers=account.headers)).status_code == 404
    assert (await client.get(f"{API}/auth/me", headers=account.headers)).status_code == 200
    after = await scrape(client)

    template = {"method": "GET", "route": f"{API}/datasets/{{dataset_id}}", "status": "404"}
    me = {"method": "GET", "route": f"{API}/auth/me", "status": "200"}
    for labels, count in ((template, 2), (me, 1)):
        for name in (
            "chatdata_http_requests_total",
            "chatdata_http_request_duration_seconds_count",
        ):
            assert value(after, name, **labels) - value(before, name, **labels) == count
    assert value(after, "chatdata_http_requests_in_flight") == 1  # the scrape itself
    assert value(after, "chatdata_database_up") == 1
    assert not any(UUID_TEXT.search(str(labels)) for _, labels in after), "ids in labels"


async def test_each_app_has_its_own_registry(
    app: FastAPI, tmp_path_factory: pytest.TempPathFactory
) -> None:
    other = create_app(make_settings(tmp_path_factory.mktemp("other"), "sqlite+aiosqlite://"))
    registries = {id(app.state.metrics.registry), id(other.state.metrics.registry), id(REGISTRY)}
    assert len(registries) == 3


async def test_chat_moves_llm_kernel_and_task_figures(
    llm_client: AsyncClient, llm_server: ScriptedLLMServer
) -> None:
    token = {"Authorization": "Bearer scrape-me-7"}
    account = await register(llm_client, "chatty")
    before = await scrape(llm_client, token)
    dataset = await upload_ready(llm_client, account, CSV, "sales.csv")
    created = await llm_client.post(
        f"{API}/conversations", json={"dataset_id": dataset["id"]}, headers=account.headers
    )
    chat = f"{API}/conversations/{created.json()['id']}/chat"
    llm_server.script(
        Reply(tool_calls=[ToolCall.run_python("len(df)")], prompt_tokens=120, completion_tokens=7),
        Reply(text="There are 3 rows.", prompt_tokens=150, completion_tokens=5),
        Reply.http_error(500),
    )
    for question, status in (("How many rows?", "complete"), ("And now?", "error")):
        answered = await llm_client.post(chat, json={"message": question}, headers=account.headers)
        assert answered.status_code == 200 and answered.json()["status"] == status
    after = await scrape(llm_client, token)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("chatdata_llm_requests_total", provider="openai") == 3
    assert moved("chatdata_llm_errors_total", provider="openai") == 1
    assert moved("chatdata_llm_tokens_total", provider="openai", direction="in") == 270
    assert moved("chatdata_llm_tokens_total", provider="openai", direction="out") == 12
    assert moved("chatdata_llm_request_duration_seconds_count", provider="openai") == 3
    assert moved("chatdata_kernel_cell_duration_seconds_count", status="ok") == 1
    assert value(after, "chatdata_kernels_live") >= 1
    assert value(after, "chatdata_kernels_started_total") >= 1
    assert moved("chatdata_tasks", type="ingest", state="succeeded") == 1
    assert value(after, "chatdata_task_queue_depth") == 0
    chat_route = {"method": "POST", "route": f"{API}/conversations/{{conversation_id}}/chat"}
    assert moved("chatdata_http_requests_total", **chat_route, status="200") == 2


async def test_token_required_when_configured(llm_client: AsyncClient) -> None:
    assert_error(await llm_client.get("/metrics"), 401, "unauthorized")
    wrong = {"Authorization": "Bearer not-the-token"}
    assert_error(await llm_client.get("/metrics", headers=wrong), 401, "unauthorized")
    basic = {"Authorization": "Basic scrape-me-7"}
    assert_error(await llm_client.get("/metrics", headers=basic), 401, "unauthorized")
    assert (
        await llm_client.get("/metrics", headers={"Authorization": "Bearer scrape-me-7"})
    ).status_code == 200
