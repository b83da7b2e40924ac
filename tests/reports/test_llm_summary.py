"""With an LLM configured, the executive summary is written by it from the results; when
the model fails, the report still comes with the summary made from the messages."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from chatdata.app import create_app
from tests.conftest import make_settings
from tests.llm.fixtures import shared_llm_server
from tests.llm.scripted_server import Reply, ScriptedLLMServer
from tests.reports.conftest import Scenario, build_scenario
from tests.reports.helpers import blocks_of, generate

SUMMARY = "South leads with a mean of 40.0; East trails at 7.0."


@pytest.fixture(scope="module")
async def llm_client(
    request: pytest.FixtureRequest, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncClient]:
    """A client of an app whose analyst is the scripted LLM server."""
    server = shared_llm_server(request.config)
    settings = make_settings(
        tmp_path_factory.mktemp("reports-llm"),
        database_url,
        llm_preset="openai",
        llm_base_url=server.base_url,
        llm_api_key="sk-reports-test",
        llm_model="scripted-model",
        llm_max_retries=0,
        llm_timeout_seconds=5.0,
    )
    app: FastAPI = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app, raise_app_exceptions=False)
        async with AsyncClient(
            transport=transport, base_url="http://testserver", timeout=120
        ) as http:
            yield http


@pytest.fixture(scope="module")
async def llm_scenario(llm_client: AsyncClient) -> Scenario:
    """The table and chart cells, run without asking the model."""
    return await build_scenario(llm_client, ask_analyst=False)


async def test_summary_written_by_the_llm(
    llm_client: AsyncClient, llm_scenario: Scenario, llm_server: ScriptedLLMServer
) -> None:
    llm_server.script(Reply(text=SUMMARY))
    report = await generate(llm_client, llm_scenario)
    assert blocks_of(report, "markdown")[0] == {"type": "markdown", "text": SUMMARY}
    sent = json.dumps(llm_server.requests[0].body)
    assert "| North | 15.0 |" in sent and "| South | 40.0 |" in sent


async def test_model_failure_falls_back(
    llm_client: AsyncClient, llm_scenario: Scenario, llm_server: ScriptedLLMServer
) -> None:
    report = await generate(llm_client, llm_scenario)  # nothing scripted: the server fails
    summary = blocks_of(report, "markdown")[0]["text"]
    assert summary.startswith("This report gathers 2 analysis step(s) on the dataset")
