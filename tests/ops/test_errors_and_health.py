"""The one error shape on 401, 404, 405, 422 and 500; health; request ids; OpenAPI."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from chatdata.app import create_app
from tests.conftest import make_settings
from tests.support import assert_error, unique_email

API = "/api/v1"


async def test_health(client: AsyncClient) -> None:
    response = await client.get(f"{API}/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["checks"]["database"]["ok"] is True
    assert body["mode"] in {"embedded", "scaled"} and body["version"]
    assert body["checks"]["tasks"]["runner"] == "inprocess"


async def test_health_says_when_task_types_are_imported(client: AsyncClient) -> None:
    """The app imports its task families in the background after start-up, so the first
    ingest does not wait for them; health tells when that is done."""
    for _ in range(600):
        tasks = (await client.get(f"{API}/health")).json()["checks"]["tasks"]
        if tasks["types_loaded"]:
            break
        await asyncio.sleep(0.05)
    assert tasks["types_loaded"] is True


async def test_error_shapes(client: AsyncClient) -> None:
    assert_error(await client.get(f"{API}/auth/me"), 401, "unauthorized")
    assert_error(await client.get(f"{API}/no/such/route"), 404, "not_found")
    assert_error(await client.delete(f"{API}/health"), 405, "method_not_allowed")
    invalid = await client.post(
        f"{API}/auth/register", json={"email": "not-an-email", "password": "secret-value-1"}
    )
    error = assert_error(invalid, 422, "validation_error")
    assert "secret-value-1" not in invalid.text  # submitted values are never echoed
    assert any("email" in str(item["loc"]) for item in error["details"])  # type: ignore[union-attr]
    bad_json = await client.post(
        f"{API}/auth/login", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert_error(bad_json, 422, "validation_error")


async def test_request_id_echoed_and_generated(client: AsyncClient) -> None:
    given = await client.get(f"{API}/health", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = await client.get(f"{API}/health", headers={"X-Request-ID": "bad id with spaces"})
    assert (
        made.headers["x-request-id"] != "bad id with spaces"
        and len(made.headers["x-request-id"]) == 16
    )
    assert given.headers["x-content-type-options"] == "nosniff"


@pytest.fixture
async def app_with_boom(database_url: str, tmp_path: Path) -> AsyncIterator[FastAPI]:
    app = create_app(make_settings(tmp_path, database_url))

    @app.get("/api/v1/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    # Ahead of the web UI's catch-all route.
    app.router.routes.insert(0, app.router.routes.pop())

    async with app.router.lifespan_context(app):
        yield app


async def test_unhandled_error_is_500_without_internals(app_with_boom: FastAPI) -> None:
    transport = ASGITransport(app=app_with_boom, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.get("/api/v1/boom")
    error = assert_error(response, 500, "internal_error")
    assert "hunter2" not in response.text and "Traceback" not in response.text
    assert error["details"]["request_id"]  # type: ignore[index]


async def test_openapi_routes_tagged_and_described(client: AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            assert op.get("tags"), f"{method} {path} has no tag"
            assert op.get("summary") or op.get("description"), f"{method} {path} undocumented"


async def test_database_down_is_503(tmp_path: Path) -> None:
    # A PostgreSQL URL on a closed port: health says 503 in the error shape.
    settings = make_settings(
        tmp_path, "postgresql+asyncpg://postgres@127.0.0.1:1/none", migrate_on_start=False
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://t") as http:
            health = await http.get(f"{API}/health")
            assert_error(health, 503, "service_unavailable")
            login = await http.post(
                f"{API}/auth/login", json={"email": unique_email(), "password": "x"}
            )
            assert_error(login, 503, "service_unavailable")


async def test_exhausted_connection_pool_answers_503_and_recovers(tmp_path: Path) -> None:
    """Every connection busy for longer than the pool timeout: 503 in the error shape with
    Retry-After (not a 500), and the next request after they are free succeeds."""
    settings = make_settings(
        tmp_path,
        f"sqlite+aiosqlite:///{tmp_path / 'pool.db'}",
        db_pool_size=1,
        db_pool_timeout_seconds=0.3,
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = ASGITransport(app=application, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://testserver") as http:
            engine = application.state.runtime.engine
            held = [await engine.connect() for _ in range(2)]  # pool 1 + overflow 1
            try:
                busy = await http.post(
                    f"{API}/auth/login", json={"email": unique_email(), "password": "x" * 12}
                )
                assert_error(busy, 503, "service_unavailable")
                assert busy.headers["retry-after"] == "1"
            finally:
                for connection in held:
                    await connection.close()
            health = await http.get(f"{API}/health")
            assert health.status_code == 200
