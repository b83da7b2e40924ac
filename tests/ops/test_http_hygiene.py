"""HTTP hygiene: request bodies over their route's limit get 413 in the error shape before
they are read (declared or chunked), uploads keep their own limit, security headers and a
Content-Security-Policy on every response, HSTS only behind HTTPS, CORS off by default."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from chatdata.app import create_app
from tests.conftest import make_settings
from tests.datasets.api_helpers import upload_bytes
from tests.support import assert_error, register

API = "/api/v1"
LIMIT = 4096
ORIGIN = "https://analytics.example.org"


@pytest.fixture(scope="module")
async def strict_app(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[FastAPI]:
    """An app with a small JSON body limit, HTTPS and one CORS origin."""
    settings = make_settings(
        tmp_path_factory.mktemp("hygiene"),
        database_url,
        max_json_body_bytes=LIMIT,
        behind_https=True,
        cors_origins=[ORIGIN],
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def strict(strict_app: FastAPI) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=strict_app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def login_body(size: int) -> bytes:
    """A JSON login body of exactly `size` bytes."""
    head, tail = b'{"email": "a@example.com", "password": "', b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


async def test_oversize_json_is_413_in_the_error_shape(strict: AsyncClient) -> None:
    json_headers = {"Content-Type": "application/json"}
    at_limit = await strict.post(
        f"{API}/auth/login", content=login_body(LIMIT), headers=json_headers
    )
    assert at_limit.status_code == 422  # read and validated: the password is too long
    over = await strict.post(
        f"{API}/auth/login", content=login_body(LIMIT + 1), headers=json_headers
    )
    error = assert_error(over, 413, "payload_too_large")
    assert error["details"] == {"max_bytes": LIMIT}
    assert over.headers["x-request-id"] and "content-security-policy" in over.headers


async def test_chunked_body_is_cut_off_at_the_limit(strict: AsyncClient) -> None:
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        while True:  # never ends: the server must stop reading
            sent += 1024
            yield b" " * 1024

    response = await strict.post(
        f"{API}/auth/login", content=endless(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert_error(response, 413, "payload_too_large")
    assert sent <= LIMIT + 1024

    async def small() -> AsyncIterator[bytes]:
        yield login_body(LIMIT)[:100]
        yield login_body(LIMIT)[100:]

    within = await strict.post(
        f"{API}/auth/login", content=small(), headers={"Content-Type": "application/json"}
    )
    assert within.status_code == 422


async def test_upload_keeps_its_own_limit(strict: AsyncClient) -> None:
    account = await register(strict, "uploader")
    rows = b"".join(b"%d,%d\n" % (i, i * i) for i in range(2000))
    content = b"n,square\n" + rows
    assert len(content) > 4 * LIMIT
    uploaded = await upload_bytes(strict, account, content, "squares.csv")
    assert uploaded.status_code == 202, uploaded.text
    big_patch = await strict.patch(
        f"{API}/datasets/{uploaded.json()['id']}",
        json={"description": "d" * LIMIT},
        headers=account.headers,
    )
    assert_error(big_patch, 413, "payload_too_large")


async def test_security_headers_and_csp_by_kind_of_page(client: AsyncClient) -> None:
    api = await client.get(f"{API}/health")
    ui = await client.get("/datasets")
    docs = await client.get("/docs")
    for response in (api, ui, docs):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "strict-transport-security" not in response.headers
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert api.headers["content-security-policy"].startswith("default-src 'none'")
    ui_policy = ui.headers["content-security-policy"]
    assert "script-src 'self';" in ui_policy and "unsafe-eval" not in ui_policy
    assert "https://cdn.jsdelivr.net" in docs.headers["content-security-policy"]
    metrics = await client.get("/metrics")
    assert metrics.headers["content-security-policy"].startswith("default-src 'none'")


async def test_hsts_behind_https_and_cors_only_when_configured(
    strict: AsyncClient, client: AsyncClient
) -> None:
    hsts = (await strict.get(f"{API}/health")).headers["strict-transport-security"]
    assert hsts.startswith("max-age=31536000")
    preflight = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
    allowed = await strict.options(f"{API}/auth/login", headers=preflight)
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    stranger = {**preflight, "Origin": "https://evil.example"}
    refused = await strict.options(f"{API}/auth/login", headers=stranger)
    assert "access-control-allow-origin" not in refused.headers
    default = await client.options(f"{API}/auth/login", headers=preflight)
    assert "access-control-allow-origin" not in default.headers
    plain = await client.get(f"{API}/health", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in plain.headers
