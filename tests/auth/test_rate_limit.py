"""Login rate limits per account and per IP answer 429 with Retry-After."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient

from chatdata.app import create_app
from tests.conftest import make_settings
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
