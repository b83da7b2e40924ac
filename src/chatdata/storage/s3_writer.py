"""`S3ObjectWriter`: a streaming write through an S3 multipart upload with bounded memory.

Bytes are buffered until a full part (`part_size`) is ready, so at most about one part
is held in memory. An object smaller than one part is sent with a single `PutObject`.
The object appears only when the upload is completed in `commit()`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Self

from botocore.exceptions import BotoCoreError, ClientError

from chatdata.errors import PayloadTooLarge
from chatdata.storage.base import ObjectInfo
from chatdata.storage.s3_client import translate_s3_errors

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import CompletedPartTypeDef

logger = logging.getLogger(__name__)


class S3ObjectWriter:
    """Writes one object of an `S3Store`; visible under its key only after `commit()`."""

    def __init__(
        self,
        client: S3Client,
        bucket: str,
        key: str,
        *,
        part_size: int,
        max_bytes: int | None,
        stat: Callable[[str], ObjectInfo],
    ) -> None:
        self._client = client
        self._bucket = bucket
        self._key = key
        self._part_size = part_size
        self._max_bytes = max_bytes
        self._stat = stat
        self._buffer = bytearray()
        self._written = 0
        self._upload_id: str | None = None
        self._parts: list[CompletedPartTypeDef] = []
        self._state = "open"

    @property
    def bytes_written(self) -> int:
        """How many bytes were accepted so far."""
        return self._written

    @property
    def buffered_bytes(self) -> int:
        """How many bytes wait in memory for the next part."""
        return len(self._buffer)

    def write(self, chunk: bytes) -> None:
        """Append `chunk`, uploading every full part; past `max_bytes` abort and raise."""
        self._require_open()
        if self._max_bytes is not None and self._written + len(chunk) > self._max_bytes:
            self.abort()
            raise PayloadTooLarge(
                f"The object is larger than the limit of {self._max_bytes} bytes.",
                details={"max_bytes": self._max_bytes},
            )
        self._buffer += chunk
        self._written += len(chunk)
        try:
            while len(self._buffer) >= self._part_size:
                self._upload_part(self._part_size)
        except BaseException:
            self.abort()
            raise

    def commit(self, *, durable: bool = True) -> ObjectInfo:
        """Send what is left and complete the upload (or `PutObject` a small object).

        A completed S3 upload is durable either way, so `durable` changes nothing."""
        self._require_open()
        try:
            if self._upload_id is None:
                with translate_s3_errors("store an object", self._key):
                    self._client.put_object(
                        Bucket=self._bucket, Key=self._key, Body=bytes(self._buffer)
                    )
            else:
                if self._buffer:
                    self._upload_part(len(self._buffer))
                self._complete_upload(self._upload_id)
        except BaseException:
            self.abort()
            raise
        self._state = "committed"
        self._buffer = bytearray()
        return self._stat(self._key)

    def abort(self) -> None:
        """Drop the buffer and abort the multipart upload; idempotent and best-effort.

        When S3 cannot be reached the failure is logged, not raised: the upload stays
        pending on the server until a bucket lifecycle rule removes it.
        """
        if self._state != "open":
            return
        self._state = "aborted"
        self._buffer = bytearray()
        if self._upload_id is None:
            return
        try:
            self._client.abort_multipart_upload(
                Bucket=self._bucket, Key=self._key, UploadId=self._upload_id
            )
        except (BotoCoreError, ClientError) as exc:
            logger.warning("could not abort the S3 upload of %r: %s", self._key, exc)

    def __enter__(self) -> Self:
        """Return the writer itself."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Abort unless the write was committed."""
        self.abort()

    def _upload_part(self, size: int) -> None:
        """Upload the first `size` buffered bytes as the next part."""
        with memoryview(self._buffer) as view:
            body = bytes(view[:size])
        del self._buffer[:size]
        with translate_s3_errors("upload an object part", self._key):
            upload_id = self._upload_id or self._start_upload()
            number = len(self._parts) + 1
            response = self._client.upload_part(
                Bucket=self._bucket, Key=self._key, UploadId=upload_id, PartNumber=number, Body=body
            )
        self._parts.append({"ETag": response["ETag"], "PartNumber": number})

    def _start_upload(self) -> str:
        """Create the multipart upload and remember its id."""
        response = self._client.create_multipart_upload(Bucket=self._bucket, Key=self._key)
        self._upload_id = response["UploadId"]
        return self._upload_id

    def _complete_upload(self, upload_id: str) -> None:
        """Ask S3 to assemble the uploaded parts into the object."""
        with translate_s3_errors("complete an upload", self._key):
            self._client.complete_multipart_upload(
                Bucket=self._bucket,
                Key=self._key,
                UploadId=upload_id,
                MultipartUpload={"Parts": self._parts},
            )

    def _require_open(self) -> None:
        """Refuse to use a writer that was committed or aborted."""
        if self._state != "open":
            raise RuntimeError(f"This object writer is already {self._state}.")
