"""Fixtures of the fault tests: private PostgreSQL, Redis and S3 servers to break, and an
in-process app on chosen settings."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from chatdata.config import Settings
from tests.faults.servers import MotoS3Server, PostgresServer, RedisServer, TcpProxy
from tests.tasks.conftest import client_for, running_app


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A private PostgreSQL cluster for this session (never the shared one)."""
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A private Redis server for one test."""
    server = RedisServer()
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def moto_s3() -> Iterator[MotoS3Server]:
    """A private moto S3 server for one test (the test may kill it)."""
    server = MotoS3Server()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def s3_proxy(moto_s3: MotoS3Server) -> Iterator[TcpProxy]:
    """A relay in front of `moto_s3` that the test can cut and restore."""
    proxy = TcpProxy(moto_s3.port)
    try:
        yield proxy
    finally:
        proxy.close()


@contextlib.asynccontextmanager
async def app_client(settings: Settings) -> AsyncIterator[tuple[FastAPI, AsyncClient]]:
    """An app with its lifespan running and an in-process client to it."""
    async with running_app(settings) as app, client_for(app) as client:
        yield app, client
