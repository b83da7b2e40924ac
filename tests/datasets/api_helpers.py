"""Helpers for dataset API tests: upload bytes and wait for the ingest to finish."""

from __future__ import annotations

import asyncio
from typing import Any

from httpx import AsyncClient, Response

from tests.support import Account

API = "/api/v1"


async def upload_bytes(
    client: AsyncClient,
    account: Account,
    content: bytes,
    filename: str = "data.csv",
    *,
    params: dict[str, str] | None = None,
    data: dict[str, str] | None = None,
) -> Response:
    """POST a file as multipart to the upload endpoint."""
    return await client.post(
        f"{API}/datasets/upload",
        files={"file": (filename, content, "application/octet-stream")},
        data=data or {},
        params=params or {},
        headers=account.headers,
    )


async def wait_for(
    client: AsyncClient, account: Account, dataset_id: str, timeout: float = 60.0
) -> dict[str, Any]:
    """Follow the dataset (long polling) until it leaves `processing`; return its detail."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        response = await client.get(
            f"{API}/datasets/{dataset_id}", params={"wait": 5}, headers=account.headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["status"] != "processing":
            return body
        assert asyncio.get_running_loop().time() < deadline, f"still processing: {body}"


async def upload_ready(
    client: AsyncClient, account: Account, content: bytes, filename: str = "data.csv", **kwargs: Any
) -> dict[str, Any]:
    """Upload and wait until ready (asserting it did not fail)."""
    response = await upload_bytes(client, account, content, filename, **kwargs)
    assert response.status_code == 202, response.text
    detail = await wait_for(client, account, response.json()["id"])
    assert detail["status"] == "ready", detail
    return detail
