"""S3Store behaviour beyond the shared contract, observed on a real (moto) S3 endpoint."""

from __future__ import annotations

import hashlib
import socket
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from chatdata.errors import NotFound, PayloadTooLarge, ServiceUnavailable
from chatdata.storage import S3Options, S3Store
from tests.storage.s3server import S3Endpoint, running_s3_server

MIB = 1 << 20
CHUNK = 64 * 1024


def count_calls(store: S3Store) -> Counter[str]:
    """Count the S3 API calls the store's client makes from now on."""
    calls: Counter[str] = Counter()

    def record(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    store.client.meta.events.register("before-call.s3", record)
    return calls


def test_large_write_is_a_multipart_upload_of_8_mib_parts(
    s3_endpoint: S3Endpoint, s3_bucket: str
) -> None:
    store = s3_endpoint.store(s3_bucket)
    store.ensure_bucket()
    calls = count_calls(store)
    digest = hashlib.sha256()
    with store.open_writer("t1/datasets/d1/data.csv") as writer:
        for index in range(20 * MIB // CHUNK):
            chunk = bytes([index % 256]) * CHUNK
            writer.write(chunk)
            digest.update(chunk)
            assert writer.buffered_bytes < 8 * MIB
        writer.commit()

    assert calls["CreateMultipartUpload"] == 1
    assert calls["UploadPart"] == 3  # 8 + 8 + 4 MiB
    assert calls["CompleteMultipartUpload"] == 1
    assert calls["PutObject"] == 0
    raw = s3_endpoint.client().get_object(Bucket=s3_bucket, Key="t1/datasets/d1/data.csv")
    assert hashlib.sha256(raw["Body"].read()).hexdigest() == digest.hexdigest()


def test_small_write_is_a_single_put(s3_endpoint: S3Endpoint, s3_bucket: str) -> None:
    store = s3_endpoint.store(s3_bucket)
    store.ensure_bucket()
    calls = count_calls(store)
    with store.open_writer("t1/small.txt") as writer:
        writer.write(b"hello")
        writer.commit()
    assert calls["PutObject"] == 1
    assert calls["CreateMultipartUpload"] == 0


def test_writer_memory_stays_bounded(s3_endpoint: S3Endpoint, s3_bucket: str) -> None:
    store = s3_endpoint.store(s3_bucket, S3Options(part_size=5 * MIB))
    store.ensure_bucket()
    chunk = b"m" * CHUNK
    tracemalloc.start()
    try:
        with store.open_writer("t1/big.bin") as writer:
            for _ in range(40 * MIB // CHUNK):
                writer.write(chunk)
            writer.commit()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert store.stat("t1/big.bin").size == 40 * MIB
    # about two parts (the buffer and the part being sent), never the whole object
    assert peak < 3 * 5 * MIB, f"peak {peak / MIB:.1f} MiB for a 40 MiB object"


def test_payload_too_large_aborts_the_multipart_upload(
    s3_endpoint: S3Endpoint, s3_bucket: str
) -> None:
    store = s3_endpoint.store(s3_bucket)
    writer = store.open_writer("t1/too-big.bin", max_bytes=17 * MIB)
    for _ in range(17 * MIB // CHUNK):
        writer.write(b"z" * CHUNK)
    raw = s3_endpoint.client()
    assert len(raw.list_multipart_uploads(Bucket=s3_bucket).get("Uploads", [])) == 1

    with pytest.raises(PayloadTooLarge):
        writer.write(b"z")

    assert raw.list_multipart_uploads(Bucket=s3_bucket).get("Uploads", []) == []
    assert store.list_prefix("") == []


def test_abort_after_parts_leaves_no_pending_upload(
    s3_endpoint: S3Endpoint, s3_bucket: str
) -> None:
    store = s3_endpoint.store(s3_bucket)
    with store.open_writer("t1/aborted.bin") as writer:
        writer.write(b"a" * 9 * MIB)
    assert s3_endpoint.client().list_multipart_uploads(Bucket=s3_bucket).get("Uploads", []) == []
    assert store.list_prefix("") == []


def test_read_range_sends_a_range_header(s3_endpoint: S3Endpoint, s3_bucket: str) -> None:
    store = s3_endpoint.store(s3_bucket)
    store.put_bytes("t1/digits", b"0123456789" * 1000)
    ranges: list[bytes | None] = []

    def record(request: Any, **_: Any) -> None:
        ranges.append(request.headers.get("Range"))

    store.client.meta.events.register("before-send.s3.GetObject", record)
    assert store.read_range("t1/digits", 7, 13) == b"789012"
    assert ranges == [b"bytes=7-12"]


def test_listing_and_deleting_use_pages_and_batches(
    s3_endpoint: S3Endpoint, s3_bucket: str
) -> None:
    store = s3_endpoint.store(s3_bucket, S3Options(list_page_size=7, delete_batch_size=10))
    for number in range(25):
        store.put_bytes(f"t1/datasets/d1/k{number:02d}", b"k")
    calls = count_calls(store)

    assert len(store.list_prefix("t1/datasets/d1")) == 25
    assert calls["ListObjectsV2"] == 4  # 7 + 7 + 7 + 4

    batched = s3_endpoint.store(s3_bucket, S3Options(list_page_size=1000, delete_batch_size=10))
    batched_calls = count_calls(batched)
    assert batched.delete_prefix("t1/datasets/d1") == 25
    assert batched_calls["DeleteObjects"] == 3  # 10 + 10 + 5
    assert store.list_prefix("") == []


def test_missing_bucket_reads_as_empty_and_check_creates_it(
    s3_endpoint: S3Endpoint, s3_bucket: str
) -> None:
    store = s3_endpoint.store(s3_bucket)

    assert not store.exists("t1/a")
    assert store.list_prefix("") == []
    assert store.delete_prefix("t1") == 0
    store.delete("t1/a")
    with pytest.raises(NotFound):
        store.read_bytes("t1/a")

    store.check()
    s3_endpoint.client().head_bucket(Bucket=s3_bucket)  # raises if missing


def test_ensure_bucket_in_another_region(s3_endpoint: S3Endpoint, s3_bucket: str) -> None:
    store = S3Store(
        bucket=s3_bucket,
        endpoint_url=s3_endpoint.url,
        region="eu-west-1",
        access_key_id=s3_endpoint.access_key_id,
        secret_access_key=s3_endpoint.secret_access_key,
    )
    store.ensure_bucket()
    store.ensure_bucket()  # idempotent
    location = s3_endpoint.client().get_bucket_location(Bucket=s3_bucket)
    assert location["LocationConstraint"] == "eu-west-1"


def test_local_path_is_none(s3_endpoint: S3Endpoint, s3_bucket: str) -> None:
    store = s3_endpoint.store(s3_bucket)
    store.put_bytes("t1/a", b"1")
    assert store.local_path("t1/a") is None


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


DOWN_OPERATIONS: dict[str, Callable[[S3Store, Path], Any]] = {
    "check": lambda store, _: store.check(),
    "open_writer": lambda store, _: store.open_writer("t1/a"),
    "put_bytes": lambda store, _: store.put_bytes("t1/a", b"1"),
    "read_bytes": lambda store, _: store.read_bytes("t1/a"),
    "read_range": lambda store, _: store.read_range("t1/a", 0, 4),
    "iter_chunks": lambda store, _: store.iter_chunks("t1/a"),
    "download_to": lambda store, tmp: store.download_to("t1/a", tmp / "a"),
    "exists": lambda store, _: store.exists("t1/a"),
    "stat": lambda store, _: store.stat("t1/a"),
    "delete": lambda store, _: store.delete("t1/a"),
    "delete_prefix": lambda store, _: store.delete_prefix("t1"),
    "list_prefix": lambda store, _: store.list_prefix("t1"),
}


def test_unreachable_endpoint_raises_service_unavailable(tmp_path: Path) -> None:
    store = S3Store(
        bucket="chatdata",
        endpoint_url=f"http://127.0.0.1:{closed_port()}",
        access_key_id="dummy",
        secret_access_key="dummy",
        options=S3Options(connect_timeout=0.5, read_timeout=0.5, max_attempts=1),
    )
    for name, operation in DOWN_OPERATIONS.items():
        with pytest.raises(ServiceUnavailable) as caught:
            operation(store, tmp_path)
        assert caught.value.status_code == 503, name
        assert caught.value.message.startswith("Object storage is unreachable"), name
        assert caught.value.details["reason"] == "EndpointConnectionError", name
    assert list(tmp_path.iterdir()) == []


def test_endpoint_lost_during_a_write_raises_service_unavailable() -> None:
    with running_s3_server() as endpoint:
        store = endpoint.store(
            "lost", S3Options(connect_timeout=0.5, read_timeout=2, max_attempts=1)
        )
        writer = store.open_writer("t1/data.bin")
        writer.write(b"p" * 9 * MIB)  # one part uploaded
        assert writer.buffered_bytes == 1 * MIB

    with pytest.raises(ServiceUnavailable) as caught:
        writer.commit()
    assert caught.value.message.startswith("Object storage is unreachable")
    with pytest.raises(RuntimeError):
        writer.write(b"more")  # the failed writer was aborted
