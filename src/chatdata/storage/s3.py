"""`S3Store`: objects in one bucket of any S3 endpoint (AWS, MinIO, ...), through boto3."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from chatdata.errors import NotFound, ServiceUnavailable
from chatdata.storage.base import DEFAULT_CHUNK_SIZE, ObjectInfo
from chatdata.storage.keys import check_range, folder_prefix, validate_key
from chatdata.storage.s3_client import (
    NOT_FOUND_CODES,
    S3Options,
    build_s3_client,
    client_error_code,
    translate_s3_errors,
)
from chatdata.storage.s3_writer import S3ObjectWriter
from chatdata.storage.transfer import upload_file, write_file_atomically

if TYPE_CHECKING:
    from botocore.response import StreamingBody
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import ObjectTypeDef


class S3Store:
    """An `ObjectStore` keeping each object as `s3://bucket/<key>`.

    The bucket is created on first write (or by `ensure_bucket()` / `check()`); making
    the store does no network call. Safe to share between threads.
    """

    def __init__(
        self,
        *,
        bucket: str,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        options: S3Options | None = None,
    ) -> None:
        self.bucket = bucket
        self.region = region
        self.options = options or S3Options()
        self.client: S3Client = build_s3_client(
            endpoint_url=endpoint_url,
            region=region,
            access_key_id=access_key_id,
            secret_access_key=secret_access_key,
            options=self.options,
        )
        self._bucket_ready = False

    def ensure_bucket(self) -> None:
        """Create the bucket unless it exists (and is ours)."""
        with translate_s3_errors("check the bucket"):
            try:
                self.client.head_bucket(Bucket=self.bucket)
            except ClientError as exc:
                if client_error_code(exc) not in NOT_FOUND_CODES | {"NoSuchBucket"}:
                    raise
                self._create_bucket()
        self._bucket_ready = True

    def open_writer(self, key: str, *, max_bytes: int | None = None) -> S3ObjectWriter:
        """Start a streaming (multipart) write of `key`."""
        validate_key(key)
        self._ensure_bucket_once()
        return S3ObjectWriter(
            self.client,
            self.bucket,
            key,
            part_size=self.options.part_size,
            max_bytes=max_bytes,
            stat=self.stat,
        )

    def put_file(self, key: str, path: Path) -> ObjectInfo:
        """Upload the local file at `path` under `key`, part by part."""
        return upload_file(self.open_writer(key), path)

    def put_bytes(self, key: str, data: bytes) -> ObjectInfo:
        """Store `data` under `key` with one `PutObject`."""
        validate_key(key)
        self._ensure_bucket_once()
        with translate_s3_errors("store an object", key):
            self.client.put_object(Bucket=self.bucket, Key=key, Body=data)
        return self.stat(key)

    def iter_chunks(self, key: str, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
        """Stream the object in chunks; a missing key raises NotFound right away."""
        if chunk_size <= 0:
            raise ValueError("chunk_size must be positive")
        return _stream_body(self._get_body(key), key, chunk_size)

    def read_range(self, key: str, start: int, end: int) -> bytes:
        """Bytes `[start, end)` of the object (a `Range` request), clipped to its size."""
        check_range(start, end)
        if start == end:
            self.stat(key)  # NotFound for a missing key, like a real read
            return b""
        try:
            body = self._get_body(key, byte_range=f"bytes={start}-{end - 1}")
        except _RangeNotSatisfiable:
            return b""  # the range starts at or past the end of the object
        return _read_body(body, key)

    def read_bytes(self, key: str) -> bytes:
        """The whole object."""
        return _read_body(self._get_body(key), key)

    def download_to(self, key: str, path: Path) -> Path:
        """Stream the object into `path` (through a temp file renamed into place)."""
        return write_file_atomically(path, self.iter_chunks(key))

    def local_path(self, key: str) -> Path | None:
        """S3 objects have no local file: always None (use `download_to`)."""
        validate_key(key)
        return None

    def exists(self, key: str) -> bool:
        """Whether an object is stored under `key` (a HEAD request)."""
        try:
            self.stat(key)
        except NotFound:
            return False
        return True

    def stat(self, key: str) -> ObjectInfo:
        """Size and modification time of the object (a HEAD request)."""
        validate_key(key)
        with translate_s3_errors("read an object's details", key):
            head = self.client.head_object(Bucket=self.bucket, Key=key)
        return ObjectInfo(key=key, size=head["ContentLength"], modified=head["LastModified"])

    def delete(self, key: str) -> None:
        """Delete the object; a missing key (or bucket) is fine."""
        validate_key(key)
        with translate_s3_errors("delete an object", key):
            try:
                self.client.delete_object(Bucket=self.bucket, Key=key)
            except ClientError as exc:
                if client_error_code(exc) != "NoSuchBucket":
                    raise

    def delete_prefix(self, prefix: str) -> int:
        """Delete every object below the folder `prefix` in batches; return how many."""
        folder = folder_prefix(prefix, allow_empty=False)
        deleted = 0
        for page in self._iter_pages(folder):
            keys = [entry["Key"] for entry in page]
            for start in range(0, len(keys), self.options.delete_batch_size):
                batch = keys[start : start + self.options.delete_batch_size]
                self._delete_batch(batch)
                deleted += len(batch)
        return deleted

    def list_prefix(self, prefix: str) -> list[ObjectInfo]:
        """Every object below the folder `prefix` ("" for all), sorted by key."""
        folder = folder_prefix(prefix, allow_empty=True)
        infos = [
            ObjectInfo(key=entry["Key"], size=entry["Size"], modified=entry["LastModified"])
            for page in self._iter_pages(folder)
            for entry in page
        ]
        return sorted(infos, key=lambda info: info.key)

    def check(self) -> None:
        """Raise ServiceUnavailable unless the endpoint answers and the bucket is usable."""
        self.ensure_bucket()

    def _ensure_bucket_once(self) -> None:
        """Make sure the bucket exists before the first write of this store."""
        if not self._bucket_ready:
            self.ensure_bucket()

    def _create_bucket(self) -> None:
        """Create the bucket in the store's region; losing a creation race is fine."""
        extra: dict[str, Any] = {}
        if self.region != "us-east-1":
            extra["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
        try:
            self.client.create_bucket(Bucket=self.bucket, **extra)
        except ClientError as exc:
            if client_error_code(exc) != "BucketAlreadyOwnedByYou":
                raise

    def _get_body(self, key: str, byte_range: str | None = None) -> StreamingBody:
        """Start a GET of the object (or of `byte_range` of it) and return its body."""
        validate_key(key)
        extra: dict[str, Any] = {"Range": byte_range} if byte_range else {}
        with translate_s3_errors("read an object", key):
            try:
                return self.client.get_object(Bucket=self.bucket, Key=key, **extra)["Body"]
            except ClientError as exc:
                code = client_error_code(exc)
                if code == "NoSuchBucket":
                    raise NotFound("Object not found.", details={"key": key}) from exc
                if code == "InvalidRange":
                    raise _RangeNotSatisfiable from exc
                raise

    def _iter_pages(self, folder: str) -> Iterator[list[ObjectTypeDef]]:
        """The objects below `folder`, one ListObjectsV2 page at a time."""
        extra: dict[str, Any] = {}
        while True:
            with translate_s3_errors("list objects"):
                try:
                    page = self.client.list_objects_v2(
                        Bucket=self.bucket,
                        Prefix=folder,
                        MaxKeys=self.options.list_page_size,
                        **extra,
                    )
                except ClientError as exc:
                    if client_error_code(exc) == "NoSuchBucket":
                        return  # nothing was ever written
                    raise
            yield page.get("Contents", [])
            if not page.get("IsTruncated"):
                return
            extra = {"ContinuationToken": page["NextContinuationToken"]}

    def _delete_batch(self, keys: list[str]) -> None:
        """Delete up to 1000 keys with one DeleteObjects call; raise if any failed."""
        with translate_s3_errors("delete objects"):
            response = self.client.delete_objects(
                Bucket=self.bucket,
                Delete={"Objects": [{"Key": key} for key in keys], "Quiet": True},
            )
        errors = response.get("Errors", [])
        if errors:
            raise ServiceUnavailable(
                f"Object storage could not delete {len(errors)} object(s).",
                details={"failed": [error.get("Key") for error in errors[:10]]},
            )


class _RangeNotSatisfiable(Exception):
    """A range GET starting at or past the end of the object (S3 `InvalidRange`)."""


def _stream_body(body: StreamingBody, key: str, chunk_size: int) -> Iterator[bytes]:
    """Yield the body in chunks, translating failures; always close the connection."""
    try:
        with translate_s3_errors("read an object", key):
            yield from body.iter_chunks(chunk_size)
    finally:
        body.close()


def _read_body(body: StreamingBody, key: str) -> bytes:
    """Read a whole response body, translating failures."""
    try:
        with translate_s3_errors("read an object", key):
            return body.read()
    finally:
        body.close()
