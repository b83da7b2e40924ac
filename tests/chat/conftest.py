"""An app wired to the scripted LLM server, with a real sandbox, for the chat tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from chatdata.app import create_app
from tests.conftest import make_settings
from tests.llm.fixtures import shared_llm_server

API_KEY = "sk-test-never-leaks-123"


@pytest.fixture(scope="module")
async def chat_app(
    request: pytest.FixtureRequest, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[FastAPI]:
    server = shared_llm_server(request.config)
    settings = make_settings(
        tmp_path_factory.mktemp("chat"),
        database_url,
        llm_preset="openai",
        llm_base_url=server.base_url,
        llm_api_key=API_KEY,
        llm_model="scripted-model",
        llm_max_retries=0,
        llm_timeout_seconds=5.0,
        kernel_pool_size=1,
        chat_rate_per_minute=1000,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def chat_client(chat_app: FastAPI) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=chat_app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://testserver", timeout=120) as http:
        yield http


def parse_sse(text: str) -> list[tuple[str, dict[str, Any]]]:
    """Split an SSE body into (event, data) pairs; comments are skipped."""
    import json

    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        kind, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        if data:
            events.append((kind, json.loads("\n".join(data))))
    return events
