"""`create_store` picks the backend from the settings."""

from __future__ import annotations

from pathlib import Path

from chatdata.config import Settings
from chatdata.storage import LocalStore, S3Store, create_store
from tests.storage.s3server import S3Endpoint


def test_default_is_a_local_store_in_the_data_dir(tmp_path: Path) -> None:
    store = create_store(Settings(data_dir=tmp_path, storage_backend="local"))

    assert isinstance(store, LocalStore)
    assert store.root == (tmp_path / "files").resolve()
    store.put_bytes("t1/a", b"1")
    assert (tmp_path / "files" / "t1" / "a").read_bytes() == b"1"


def test_s3_backend_uses_the_configured_endpoint(
    s3_endpoint: S3Endpoint, s3_bucket: str, tmp_path: Path
) -> None:
    settings = Settings(
        data_dir=tmp_path,
        storage_backend="s3",
        s3_endpoint_url=s3_endpoint.url,
        s3_bucket=s3_bucket,
        s3_access_key_id=s3_endpoint.access_key_id,
        s3_secret_access_key=s3_endpoint.secret_access_key,
    )

    store = create_store(settings)

    assert isinstance(store, S3Store)
    assert store.bucket == s3_bucket
    store.put_bytes("t1/datasets/d1/data.csv", b"a,b\n")
    raw = s3_endpoint.client().get_object(Bucket=s3_bucket, Key="t1/datasets/d1/data.csv")
    assert raw["Body"].read() == b"a,b\n"
    assert not (tmp_path / "files").exists()
