"""A real S3 HTTP endpoint on loopback for tests: moto's server in a child process.

Import the fixtures into a suite's conftest.py:

    from tests.storage.s3server import s3_bucket, s3_endpoint  # noqa: F401

`s3_endpoint` (session scope) starts one server and yields an `S3Endpoint` (URL + dummy
credentials); `s3_bucket` yields a fresh, unique bucket name and empties it afterwards.
No real AWS credentials or config files are ever read: while the server runs, the
process environment points boto3 at dummy keys and non-existent config files.
The child serves until its stdin closes, so it never outlives the test process.
"""

from __future__ import annotations

import contextlib
import functools
import os
import selectors
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import boto3
import pytest
from botocore.config import Config

from chatdata.storage import S3Options, S3Store

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

ACCESS_KEY_ID = "testing-access-key"
SECRET_ACCESS_KEY = "testing-secret-key"
REGION = "us-east-1"

DUMMY_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
    "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": "/nonexistent/chatdata-test-aws-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/chatdata-test-aws-credentials",
    "AWS_EC2_METADATA_DISABLED": "true",
}
REMOVED_AWS_ENV = ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL")

_LAUNCHER = """
import sys
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()
server.stop()
"""


@dataclass(frozen=True)
class S3Endpoint:
    """Where the test S3 server listens and the (dummy) keys it accepts."""

    url: str
    access_key_id: str = ACCESS_KEY_ID
    secret_access_key: str = SECRET_ACCESS_KEY
    region: str = REGION

    def client(self) -> S3Client:
        """A raw boto3 client on the endpoint, for assertions behind a store's back."""
        return _client_for(self)

    def store(self, bucket: str, options: S3Options | None = None) -> S3Store:
        """An `S3Store` on `bucket` of this endpoint."""
        return S3Store(
            bucket=bucket,
            endpoint_url=self.url,
            region=self.region,
            access_key_id=self.access_key_id,
            secret_access_key=self.secret_access_key,
            options=options,
        )

    def settings_env(self, bucket: str) -> dict[str, str]:
        """`CHATDATA_*` variables selecting this endpoint as the platform's file store."""
        return {
            "CHATDATA_STORAGE_BACKEND": "s3",
            "CHATDATA_S3_ENDPOINT_URL": self.url,
            "CHATDATA_S3_BUCKET": bucket,
            "CHATDATA_S3_REGION": self.region,
            "CHATDATA_S3_ACCESS_KEY_ID": self.access_key_id,
            "CHATDATA_S3_SECRET_ACCESS_KEY": self.secret_access_key,
        }

    def empty_bucket(self, bucket: str) -> None:
        """Abort pending uploads and delete every object and the bucket itself."""
        client = self.client()
        with contextlib.suppress(client.exceptions.NoSuchBucket):
            uploads = client.list_multipart_uploads(Bucket=bucket).get("Uploads", [])
            for upload in uploads:
                client.abort_multipart_upload(
                    Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"]
                )
            for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
                for entry in page.get("Contents", []):
                    client.delete_object(Bucket=bucket, Key=entry["Key"])
            client.delete_bucket(Bucket=bucket)


@functools.cache
def _client_for(endpoint: S3Endpoint) -> S3Client:
    """One raw client per endpoint (creating boto3 clients is slow)."""
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint.url,
        region_name=endpoint.region,
        aws_access_key_id=endpoint.access_key_id,
        aws_secret_access_key=endpoint.secret_access_key,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


@contextlib.contextmanager
def dummy_aws_environment() -> Iterator[None]:
    """Point boto3 at dummy credentials and no config files, restoring the env after."""
    with pytest.MonkeyPatch.context() as patch:
        for name in REMOVED_AWS_ENV:
            patch.delenv(name, raising=False)
        for name, value in DUMMY_AWS_ENV.items():
            patch.setenv(name, value)
        yield


@contextlib.contextmanager
def running_s3_server(startup_timeout: float = 30.0) -> Iterator[S3Endpoint]:
    """Start moto's S3 server on a free loopback port; stop it on exit."""
    with dummy_aws_environment():
        process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=dict(os.environ),
            text=True,
        )
        try:
            yield S3Endpoint(url=f"http://127.0.0.1:{_read_port(process, startup_timeout)}")
        finally:
            _stop(process)


def _read_port(process: subprocess.Popen[str], timeout: float) -> int:
    """The port the child prints once it listens (it prints nothing if it failed)."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise RuntimeError("the moto S3 server did not start in time")
    line = process.stdout.readline().strip()
    if not line.isdigit():
        raise RuntimeError(f"the moto S3 server failed to start (exit code {process.poll()})")
    return int(line)


def _stop(process: subprocess.Popen[str]) -> None:
    """Close the child's stdin (it then stops serving) and reap it."""
    assert process.stdin is not None
    with contextlib.suppress(OSError):
        process.stdin.close()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[S3Endpoint]:
    """One real S3 HTTP endpoint (moto) on loopback for the whole test session."""
    with running_s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_bucket(s3_endpoint: S3Endpoint) -> Iterator[str]:
    """A unique bucket name on the endpoint (created by the store), emptied afterwards."""
    bucket = f"test-{uuid.uuid4().hex[:16]}"
    yield bucket
    s3_endpoint.empty_bucket(bucket)
