"""Uploads past the size limit answer 413 and leave nothing behind."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from chatdata.app import create_app
from tests.conftest import make_settings
from tests.datasets.api_helpers import API, upload_bytes
from tests.support import assert_error, register


@pytest.fixture
async def small_app(database_url: str, tmp_path: Path) -> AsyncIterator[FastAPI]:
    app = create_app(make_settings(tmp_path, database_url, max_upload_bytes=100_000))
    async with app.router.lifespan_context(app):
        yield app


async def test_oversize_upload_is_413_and_leaves_nothing(small_app: FastAPI) -> None:
    transport = ASGITransport(app=small_app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://t") as client:
        owner = await register(client)
        big = b"a,b\n" + b"1,2\n" * 60_000  # 240 KB
        assert_error(await upload_bytes(client, owner, big), 413, "payload_too_large")

        async def chunked() -> AsyncIterator[bytes]:
            boundary = b"--XyZ\r\n"
            yield (
                boundary + b'Content-Disposition: form-data; name="file"; filename="x.csv"\r\n\r\n'
            )
            yield b"a,b\n"
            for _ in range(100):
                yield b"1,2\n" * 1000
            yield b"\r\n--XyZ--\r\n"

        # No Content-Length: the stream itself is cut off at the limit.
        streamed = await client.post(
            f"{API}/datasets/upload",
            content=chunked(),
            headers={**owner.headers, "Content-Type": "multipart/form-data; boundary=XyZ"},
        )
        assert_error(streamed, 413, "payload_too_large")
        listing = (
            await client.get(f"{API}/datasets", params={"scope": "mine"}, headers=owner.headers)
        ).json()
        assert listing["total"] == 0
        store = small_app.state.runtime.store
        assert store.list_prefix(owner.personal_team_id) == []
