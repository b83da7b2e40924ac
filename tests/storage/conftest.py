"""Fixtures of the storage tests: the S3 server and one store of each kind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chatdata.storage import LocalStore, ObjectStore, S3Options
from tests.storage.s3server import S3Endpoint

# small pages and batches so that pagination is exercised with a few dozen keys
SMALL_PAGES = S3Options(list_page_size=7, delete_batch_size=10)


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ObjectStore]:
    """The same contract suite runs against a LocalStore and an S3Store."""
    if request.param == "local":
        yield LocalStore(tmp_path / "files")
        return
    endpoint: S3Endpoint = request.getfixturevalue("s3_endpoint")
    bucket: str = request.getfixturevalue("s3_bucket")
    yield endpoint.store(bucket, SMALL_PAGES)
