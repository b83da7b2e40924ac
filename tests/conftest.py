"""Shared fixtures: a real database per backend (SQLite always, PostgreSQL when
CHATDATA_TEST_POSTGRES_URL is set), a running app, and an HTTP client against it."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from chatdata.app import create_app
from chatdata.config import Settings
from tests.support import pg_database

# Session-wide fixtures shared by several test packages: one S3 server, one scripted LLM.
pytest_plugins = ["tests.storage.s3server", "tests.llm.fixtures"]

POSTGRES_URL = os.environ.get("CHATDATA_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh, empty database for this test session on each backend."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "test.db"
        yield f"sqlite+aiosqlite:///{path}"
        return
    assert POSTGRES_URL
    with pg_database(POSTGRES_URL) as url:
        yield url


def make_settings(data_dir: Path, database_url: str, **overrides: object) -> Settings:
    """Settings for a test app: isolated data dir, generous login limits."""
    values: dict[str, object] = {
        "data_dir": data_dir,
        "database_url": database_url,
        "jwt_secret": "test-secret-" + uuid.uuid4().hex,
        "login_attempts_per_ip": 10_000,
        "login_attempts_per_account": 50,
        "log_level": "WARNING",
        "kernel_pool_size": 0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of the session's shared app."""
    return make_settings(tmp_path_factory.mktemp("data"), database_url)


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    """The app with its lifespan running (migrations applied)."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    """An HTTP client talking to the app in-process over ASGI."""
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
