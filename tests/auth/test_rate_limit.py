"""Login rate limits per account and per IP answer 429 with Retry-After."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient
from redis.asyncio import Redis

from chatdata.app import create_app
from chatdata.auth.ratelimit import RedisWindow
from tests.conftest import make_settings
from tests.faults.servers import free_port
from tests.support import PASSWORD, assert_error, register

API = "/api/v1"


@pytest.fixture
async def strict_client(database_url: str, tmp_path: Path) -> AsyncIterator[AsyncClient]:
    settings = make_settings(
        tmp_path, database_url, login_attempts_per_ip=8, login_attempts_per_account=3
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


async def test_account_lockout_after_failures(strict_client: AsyncClient) -> None:
    account = await register(strict_client)  # one attempt from this IP
    for _ in range(3):
        wrong = await strict_client.post(
            f"{API}/auth/login", json={"email": account.email, "password": "wrong-pass-1"}
        )
        assert_error(wrong, 401, "invalid_credentials")
    # Even the right password is refused while the account is throttled.
    blocked = await strict_client.post(
        f"{API}/auth/login", json={"email": account.email, "password": PASSWORD}
    )
    error = assert_error(blocked, 429, "rate_limited")
    retry_after = int(blocked.headers["Retry-After"])
    assert 1 <= retry_after <= 300
    assert error["details"] == {"retry_after": retry_after}


async def test_ip_limit(strict_client: AsyncClient) -> None:
    statuses = []
    for i in range(10):
        response = await strict_client.post(
            f"{API}/auth/login", json={"email": f"nobody{i}@example.com", "password": "x"}
        )
        statuses.append(response.status_code)
    assert statuses[:8] == [401] * 8
    assert statuses[8:] == [429, 429]


REDIS_URL = os.environ.get("CHATDATA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
async def two_instances(database_url: str, tmp_path: Path) -> AsyncIterator[list[AsyncClient]]:
    """Two API instances on one database whose rate limits count in one Redis."""
    cleaner = Redis.from_url(REDIS_URL)
    async for key in cleaner.scan_iter("chatdata:ratelimit:*"):
        await cleaner.delete(key)
    await cleaner.aclose()
    async with contextlib.AsyncExitStack() as stack:
        clients = []
        for name in ("a", "b"):
            settings = make_settings(
                tmp_path / name,
                database_url,
                rate_limit_backend="redis",
                redis_url=REDIS_URL,
                login_attempts_per_ip=1000,
                login_attempts_per_account=3,
            )
            app = create_app(settings)
            await stack.enter_async_context(app.router.lifespan_context(app))
            transport = ASGITransport(app=app, raise_app_exceptions=False)
            clients.append(
                await stack.enter_async_context(
                    AsyncClient(transport=transport, base_url="http://testserver")
                )
            )
        yield clients


async def test_instances_share_the_account_limit_through_redis(
    two_instances: list[AsyncClient],
) -> None:
    first, second = two_instances
    account = await register(first)
    for client in (first, second, first):
        wrong = await client.post(
            f"{API}/auth/login", json={"email": account.email, "password": "wrong-pass-1"}
        )
        assert_error(wrong, 401, "invalid_credentials")
    for client in (second, first):  # three failures in all: both instances refuse
        blocked = await client.post(
            f"{API}/auth/login", json={"email": account.email, "password": PASSWORD}
        )
        assert_error(blocked, 429, "rate_limited")
        assert 1 <= int(blocked.headers["Retry-After"]) <= 300


async def test_unreachable_redis_lets_requests_through() -> None:
    client = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=1)
    window = RedisWindow(client, "test", limit=1, window_seconds=60)
    for _ in range(3):
        await window.check("someone", "limited")
        await window.hit("someone")
    await window.reset("someone")
    await client.aclose()
