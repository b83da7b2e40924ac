"""The whole dataset life cycle with files in a real S3 HTTP endpoint (moto's server)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from chatdata.app import create_app
from chatdata.datasets.files import local_cache_dir
from tests.conftest import make_settings
from tests.datasets.api_helpers import API, upload_ready
from tests.storage.s3server import S3Endpoint
from tests.support import register

CSV = (
    b"city,temp,email\nOslo,3.5,a.b@example.com\nRome,18.0,c.d@example.org\nLima,,e.f@example.net\n"
)


@pytest.fixture
async def s3_app(
    database_url: str, tmp_path: Path, s3_endpoint: S3Endpoint, s3_bucket: str
) -> AsyncIterator[FastAPI]:
    settings = make_settings(
        tmp_path,
        database_url,
        storage_backend="s3",
        s3_endpoint_url=s3_endpoint.url,
        s3_bucket=s3_bucket,
        s3_access_key_id="testing",
        s3_secret_access_key="testing",
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


async def test_dataset_lifecycle_on_s3(
    s3_app: FastAPI, s3_endpoint: S3Endpoint, s3_bucket: str, tmp_path: Path
) -> None:
    transport = ASGITransport(app=s3_app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://t") as client:
        owner = await register(client)
        detail = await upload_ready(client, owner, CSV, "weather.csv")
        assert detail["row_count"] == 3
        assert {c["name"]: c["pii"] for c in detail["columns"]}["email"]["kind"] == "email"
        prefix = f"{detail['team_id']}/datasets/{detail['id']}/"
        listed = s3_endpoint.client().list_objects_v2(Bucket=s3_bucket, Prefix=prefix)
        keys = sorted(obj["Key"] for obj in listed.get("Contents", []))
        assert keys == [prefix + "original/weather.csv", prefix + "versions/v1/data.parquet"]
        sample = (
            await client.get(f"{API}/datasets/{detail['id']}/sample", headers=owner.headers)
        ).json()
        assert [r["city"] for r in sample["rows"]] == ["Oslo", "Rome", "Lima"]
        cached = local_cache_dir(tmp_path) / prefix / "versions/v1/data.parquet"
        assert pq.read_table(cached).num_rows == 3  # reads go through a local copy
        download = await client.get(
            f"{API}/datasets/{detail['id']}/download",
            params={"format": "parquet"},
            headers=owner.headers,
        )
        assert pq.read_table(io.BytesIO(download.content)).num_rows == 3
        deleted = await client.delete(f"{API}/datasets/{detail['id']}", headers=owner.headers)
        assert deleted.status_code == 204
        listed = s3_endpoint.client().list_objects_v2(Bucket=s3_bucket, Prefix=prefix)
        assert listed.get("KeyCount", 0) == 0
        assert not (local_cache_dir(tmp_path) / prefix).exists()  # no copy outlives it
