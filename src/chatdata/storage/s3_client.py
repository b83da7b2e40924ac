"""Building the boto3 S3 client and translating botocore failures into platform errors."""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from chatdata.errors import NotFound, ServiceUnavailable

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

logger = logging.getLogger(__name__)

MIB = 1 << 20
MIN_PART_SIZE = 5 * MIB  # S3's smallest non-final multipart part
_SESSION_LOCK = threading.Lock()
NOT_FOUND_CODES = frozenset({"NoSuchKey", "NotFound", "404"})
MISSING_BUCKET_CODES = frozenset({"NoSuchBucket"})


@dataclass(frozen=True)
class S3Options:
    """Tuning of an `S3Store`: timeouts, retries, part and page sizes."""

    connect_timeout: float = 5.0
    read_timeout: float = 60.0
    max_attempts: int = 3  # total tries per request, first one included
    part_size: int = 8 * MIB  # multipart part size; bounds a writer's memory
    list_page_size: int = 1000  # keys per ListObjectsV2 page (S3 caps at 1000)
    delete_batch_size: int = 1000  # keys per DeleteObjects call (S3 caps at 1000)

    def __post_init__(self) -> None:
        if self.part_size < MIN_PART_SIZE:
            raise ValueError(f"part_size must be at least {MIN_PART_SIZE} bytes")
        if not 1 <= self.list_page_size <= 1000:
            raise ValueError("list_page_size must be between 1 and 1000")
        if not 1 <= self.delete_batch_size <= 1000:
            raise ValueError("delete_batch_size must be between 1 and 1000")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")


def build_s3_client(
    *,
    endpoint_url: str | None,
    region: str,
    access_key_id: str | None,
    secret_access_key: str | None,
    options: S3Options,
) -> S3Client:
    """A thread-safe S3 client; path-style addressing for custom endpoints (MinIO etc.)."""
    config = Config(
        region_name=region,
        signature_version="s3v4",
        connect_timeout=options.connect_timeout,
        read_timeout=options.read_timeout,
        retries={"max_attempts": options.max_attempts, "mode": "standard"},
        s3={"addressing_style": "path" if endpoint_url else "auto"},
        # many S3-compatible servers reject the newer default CRC32 checksums
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    with _SESSION_LOCK:  # sessions are not thread-safe; clients are
        return _shared_session().client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=config,
        )


@functools.cache
def _shared_session() -> boto3.session.Session:
    """One boto3 session per process, so that service models are loaded only once."""
    return boto3.session.Session()


def client_error_code(exc: ClientError) -> str:
    """The S3 error code of a failed request ("404" for a bare HEAD miss)."""
    return str(exc.response.get("Error", {}).get("Code", ""))


@contextlib.contextmanager
def translate_s3_errors(action: str, key: str | None = None) -> Iterator[None]:
    """Turn botocore errors raised while doing `action` into NotFound / ServiceUnavailable."""
    try:
        yield
    except ClientError as exc:
        code = client_error_code(exc)
        if code in NOT_FOUND_CODES:
            raise NotFound("Object not found.", details={"key": key}) from exc
        logger.warning("S3 refused to %s (key %r): %s", action, key, exc)
        if code in MISSING_BUCKET_CODES:
            message = "The object storage bucket does not exist."
        else:
            message = f"Object storage refused to {action} ({code or 'unknown error'})."
        raise ServiceUnavailable(message, details={"operation": action, "s3_code": code}) from exc
    except BotoCoreError as exc:
        logger.warning("S3 unreachable while trying to %s (key %r): %s", action, key, exc)
        raise ServiceUnavailable(
            f"Object storage is unreachable; could not {action}.",
            details={"operation": action, "reason": type(exc).__name__},
        ) from exc
