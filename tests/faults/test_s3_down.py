"""The S3 endpoint goes away while a multi-MB upload streams into it: the upload answers 503
in the error shape and leaves no dataset (no row, no visible object); once the endpoint is
back, the same app uploads again."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from httpx import AsyncClient, Response

from chatdata.config import Settings
from tests.conftest import make_settings
from tests.datasets.api_helpers import upload_ready
from tests.faults.conftest import app_client
from tests.faults.servers import MotoS3Server, TcpProxy
from tests.storage.s3server import S3Endpoint, dummy_aws_environment
from tests.support import Account, assert_error, register

API = "/api/v1"
MIB = 1 << 20
BOUNDARY = "chatdata-fault-boundary"
CUT_AFTER = 12 * MIB  # one 8 MiB part is in S3 by then
TOTAL = 40 * MIB


def multipart_csv(on_cut: Callable[[], None]) -> Iterator[bytes]:
    """A multipart body with a big CSV file; `on_cut()` runs once CUT_AFTER bytes went."""
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\nid,region,amount\n"
    ).encode()
    rows = "".join(f"{i},region-{i % 7},{i * 0.5}\n" for i in range(40_000)).encode()
    for sent in range(0, TOTAL, MIB):
        if sent == CUT_AFTER:
            on_cut()
        yield rows[:MIB]
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


async def upload_cut_midway(
    client: AsyncClient, owner: Account, on_cut: Callable[[], None]
) -> Response:
    """Stream the big upload, calling `on_cut` part-way; the response."""

    async def body() -> AsyncIterator[bytes]:
        for chunk in multipart_csv(on_cut):
            yield chunk

    return await client.post(
        f"{API}/datasets/upload",
        content=body(),
        headers={**owner.headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )


def s3_settings(tmp_path: Path, endpoint_url: str, bucket: str) -> Settings:
    """SQLite + the S3 store on `endpoint_url`, in-process tasks."""
    endpoint = S3Endpoint(url=endpoint_url)
    return make_settings(
        tmp_path / "data",
        f"sqlite+aiosqlite:///{tmp_path / 's3.db'}",
        storage_backend="s3",
        s3_endpoint_url=endpoint.url,
        s3_bucket=bucket,
        s3_access_key_id=endpoint.access_key_id,
        s3_secret_access_key=endpoint.secret_access_key,
    )


@pytest.fixture
def aws_env() -> Iterator[None]:
    """Dummy AWS credentials and no config files while the app talks to moto."""
    with dummy_aws_environment():
        yield


async def assert_upload_failed_cleanly(
    client: AsyncClient,
    owner: Account,
    moto: MotoS3Server,
    bucket: str,
    go_away: Callable[[], None],
) -> None:
    """Cut S3 mid-upload (after a part reached it): 503 in the error shape, no dataset row."""
    direct = moto.endpoint.client()  # behind the proxy's back

    def cut() -> None:
        assert len(direct.list_multipart_uploads(Bucket=bucket).get("Uploads", [])) == 1
        go_away()

    response = await upload_cut_midway(client, owner, cut)
    error = assert_error(response, 503, "service_unavailable")
    assert "storage" in str(error["message"]).lower()
    listed = await client.get(f"{API}/datasets", headers=owner.headers)
    assert listed.status_code == 200 and listed.json()["total"] == 0, listed.text


async def start(client: AsyncClient) -> Account:
    """A user who already uploaded once (so the bucket exists)."""
    owner = await register(client, "s3-fault")
    await upload_ready(client, owner, b"a,b\n1,2\n", "warm-up.csv")
    listed = await client.get(f"{API}/datasets", headers=owner.headers)
    for item in listed.json()["items"]:
        gone = await client.delete(f"{API}/datasets/{item['id']}", headers=owner.headers)
        assert gone.status_code == 204, gone.text
    return owner


async def test_s3_gone_mid_upload_then_back(
    aws_env: None, moto_s3: MotoS3Server, s3_proxy: TcpProxy, tmp_path: Path
) -> None:
    bucket = f"fault-{uuid.uuid4().hex[:12]}"
    async with app_client(s3_settings(tmp_path, s3_proxy.url, bucket)) as (_app, client):
        owner = await start(client)
        await assert_upload_failed_cleanly(client, owner, moto_s3, bucket, s3_proxy.cut)
        s3_proxy.restore()
        objects = moto_s3.endpoint.client().list_objects_v2(Bucket=bucket)
        assert objects.get("Contents", []) == []  # nothing half-written is visible
        detail = await upload_ready(client, owner, b"region,amount\nnorth,1\n", "after.csv")
        assert detail["row_count"] == 1


async def test_s3_server_killed_mid_upload(
    aws_env: None, moto_s3: MotoS3Server, tmp_path: Path
) -> None:
    bucket = f"fault-{uuid.uuid4().hex[:12]}"
    settings = s3_settings(tmp_path, moto_s3.endpoint.url, bucket)
    async with app_client(settings) as (_app, client):
        owner = await start(client)
        await assert_upload_failed_cleanly(client, owner, moto_s3, bucket, moto_s3.kill)
        health = await client.get(f"{API}/health")  # the rest of the app is unaffected
        assert health.status_code == 200, health.text
