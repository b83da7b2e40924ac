"""Fixtures for task tests: an in-process app, a Celery app with a real worker process,
and, for each, a signed-in owner with the test datasets uploaded (ingest runs as a task).

Each app gets its own database (SQLite file, or a fresh PostgreSQL database when the
session runs on PostgreSQL) so no other runner's reaper touches its tasks. Timing knobs are
short (heartbeat 0.3 s, stale after 2 s) so recovery is observable in seconds.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import redis
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from chatdata.app import create_app
from chatdata.config import Settings
from chatdata.tasks.registry import TEST_TYPES_ENV
from chatdata.tasks.tuning import TaskTuning
from tests.conftest import POSTGRES_URL, make_settings
from tests.support import pg_database
from tests.tasks.helpers import Stack, build_stack

REDIS_URL = os.environ.get("CHATDATA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
TUNING = TaskTuning(
    heartbeat_seconds=0.3,
    poll_seconds=0.1,
    stale_seconds=2.0,
    reaper_seconds=0.5,
    max_attempts=3,
)


@pytest.fixture(scope="session")
def task_env() -> Iterator[dict[str, str]]:
    """Short task timing and the test-only task types, for this process and workers."""
    values = {**TUNING.as_env(), TEST_TYPES_ENV: "1"}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in values.items():
            patch.setenv(name, value)
        yield values


@contextlib.contextmanager
def own_database(backend_url: str, directory: Path) -> Iterator[str]:
    """A new empty database on the same backend as `backend_url`."""
    if backend_url.startswith("sqlite"):
        yield f"sqlite+aiosqlite:///{directory / 'tasks.db'}"
        return
    assert POSTGRES_URL
    with pg_database(POSTGRES_URL) as url:
        yield url


@contextlib.asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[FastAPI]:
    """An app with its lifespan running."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


def client_for(app: FastAPI) -> AsyncClient:
    """An HTTP client talking to the app in-process."""
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    return AsyncClient(transport=transport, base_url="http://testserver", timeout=60)


async def _inprocess_stack(backend: str, directory: Path) -> AsyncIterator[Stack]:
    with own_database(backend, directory) as url:
        settings = make_settings(directory / "data", url, task_workers=2)
        async with running_app(settings) as app, client_for(app) as client:
            yield await build_stack(f"inprocess-{backend}", app, client)


@pytest.fixture(scope="session")
async def inprocess_sqlite_stack(
    task_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    """The in-process runner (two workers) on SQLite with the test datasets uploaded."""
    async for stack in _inprocess_stack("sqlite", tmp_path_factory.mktemp("inprocess")):
        yield stack


@pytest.fixture(scope="session")
async def inprocess_postgres_stack(
    task_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    """The in-process runner on PostgreSQL (only requested when it is configured)."""
    async for stack in _inprocess_stack("postgresql", tmp_path_factory.mktemp("inprocess")):
        yield stack


def start_worker(settings: Settings, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A real `chatdata worker` (Celery, prefork, one child process) for these settings."""
    worker_env = {
        **os.environ,
        **env,
        "CHATDATA_DATABASE_URL": settings.resolved_database_url,
        "CHATDATA_DATA_DIR": str(settings.data_dir),
        "CHATDATA_REDIS_URL": settings.redis_url,
        "CHATDATA_TASK_RUNNER": "celery",
        "CHATDATA_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "chatdata", "worker", "--concurrency", "1"]
    with log.open("wb") as output:
        return subprocess.Popen(command, env=worker_env, stdout=output, stderr=subprocess.STDOUT)


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    """Warm shutdown, then kill if it does not stop."""
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=5)


@pytest.fixture(scope="session")
async def celery_stack(
    task_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    """The Celery runner against the real Redis (db 15) and one real worker process.

    Uses PostgreSQL when the session has it (the scaled mode), else a SQLite file both
    processes share; the store is a local folder both processes share."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    directory = tmp_path_factory.mktemp("celery")
    with own_database("postgresql" if POSTGRES_URL else "sqlite", directory) as url:
        settings = make_settings(directory / "data", url, task_runner="celery", redis_url=REDIS_URL)
        async with running_app(settings) as app, client_for(app) as client:
            worker = start_worker(settings, task_env, directory / "worker.log")
            try:
                stack = await build_stack("celery", app, client, worker=worker)
                yield stack
            finally:
                stop_worker(worker)
    redis.Redis.from_url(REDIS_URL).flushdb()


INPROCESS = ["inprocess_sqlite"] + (["inprocess_postgres"] if POSTGRES_URL else [])


@pytest.fixture(params=[*INPROCESS, "celery"])
def stack(request: pytest.FixtureRequest) -> Stack:
    """Each runner in turn (the in-process one on every configured database)."""
    found: Stack = request.getfixturevalue(f"{request.param}_stack")
    return found


@pytest.fixture(params=INPROCESS)
def inprocess_stack(request: pytest.FixtureRequest) -> Stack:
    """The in-process runner on every configured database."""
    found: Stack = request.getfixturevalue(f"{request.param}_stack")
    return found
