"""A real conversation built through the API (no LLM): uploaded CSV, a table cell, a
Plotly chart cell and a built-in analyst turn, shared by the report tests of a module."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from tests.datasets.api_helpers import upload_ready
from tests.support import Account, register

API = "/api/v1"
CSV = b"region,amount\nNorth,10\nNorth,20\nSouth,30\nSouth,50\nEast,7\n"
TABLE_CODE = 'df.groupby("region", as_index=False)["amount"].mean().sort_values("region")'
CHART_CODE = (
    "import plotly.express as px\n"
    'totals = df.groupby("region", as_index=False)["amount"].sum()\n'
    'px.bar(totals, x="region", y="amount", title="Total amount by region")'
)


@dataclass
class Scenario:
    """The owner, their dataset and conversation, and the messages it holds."""

    owner: Account
    dataset: dict[str, Any]
    conversation_id: str
    messages: list[dict[str, Any]]


@pytest.fixture(scope="module")
async def report_client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    """A client shared by one module's tests (long timeout: renders take seconds)."""
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://testserver", timeout=120) as http:
        yield http


@pytest.fixture(scope="module")
async def scenario(report_client: AsyncClient) -> Scenario:
    """Upload, start a conversation, run a table and a chart cell, ask the built-in analyst."""
    return await build_scenario(report_client, ask_analyst=True)


async def build_scenario(report_client: AsyncClient, *, ask_analyst: bool) -> Scenario:
    """The conversation of `scenario`; the analyst turn only when `ask_analyst`."""
    owner = await register(report_client, "reporter")
    dataset = await upload_ready(report_client, owner, CSV, "sales.csv")
    created = await report_client.post(
        f"{API}/conversations",
        json={"dataset_id": dataset["id"], "title": "Sales review"},
        headers=owner.headers,
    )
    assert created.status_code == 201, created.text
    conversation_id = created.json()["id"]
    for code in (TABLE_CODE, CHART_CODE):
        run = await report_client.post(
            f"{API}/conversations/{conversation_id}/execute",
            json={"code": code},
            headers=owner.headers,
        )
        assert run.status_code == 200, run.text
        assert run.json()["status"] == "ok", run.json()
    if ask_analyst:
        turn = await report_client.post(
            f"{API}/conversations/{conversation_id}/chat",
            json={"message": "average amount by region"},
            headers=owner.headers,
        )
        assert turn.status_code == 200, turn.text
    history = await report_client.get(
        f"{API}/conversations/{conversation_id}", headers=owner.headers
    )
    assert history.status_code == 200, history.text
    return Scenario(owner, dataset, conversation_id, history.json()["messages"])
