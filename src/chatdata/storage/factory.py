"""`create_store`: the object store the settings ask for."""

from __future__ import annotations

from pydantic import SecretStr

from chatdata.config import Settings
from chatdata.storage.base import ObjectStore
from chatdata.storage.local import LocalStore
from chatdata.storage.s3 import S3Store


def create_store(settings: Settings) -> ObjectStore:
    """`LocalStore` under `data_dir/files` by default; `S3Store` when the backend is s3."""
    if settings.storage_backend == "s3":
        return S3Store(
            bucket=settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=_secret(settings.s3_access_key_id),
            secret_access_key=_secret(settings.s3_secret_access_key),
        )
    return LocalStore(settings.data_dir / "files")


def _secret(value: SecretStr | None) -> str | None:
    """The plain value of an optional secret setting."""
    return None if value is None else value.get_secret_value()
