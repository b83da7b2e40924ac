"""Versions of one dataset created at the same time get distinct numbers and files."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from pathlib import Path

import polars as pl
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from chatdata.datasets.models import Dataset, DatasetVersion
from chatdata.datasets.versions import NewVersion, create_version
from chatdata.runtime import Runtime
from tests.datasets.api_helpers import upload_ready
from tests.support import register

CREATORS = 4


async def _create(runtime: Runtime, dataset_id: uuid.UUID, parquet: Path) -> int:
    async with runtime.sessions() as session, session.begin():
        dataset = await session.get(Dataset, dataset_id)
        assert dataset is not None
        version = await create_version(
            session,
            runtime.store,
            dataset,
            NewVersion(parquet_path=parquet, operation="test", lineage={}, created_by=None),
        )
        await asyncio.sleep(0.05)  # keep the transaction open a little: the others wait
        return version.number


async def test_concurrent_versions_never_share_a_number_or_a_file(
    app: FastAPI, client: AsyncClient, tmp_path: Path
) -> None:
    runtime: Runtime = app.state.runtime
    owner = await register(client, "racer")
    dataset_id = uuid.UUID((await upload_ready(client, owner, b"n\n1\n2\n"))["id"])
    files = []
    for index in range(CREATORS):
        path = tmp_path / f"v{index}.parquet"
        pl.DataFrame({"n": list(range(index + 1))}).write_parquet(path)
        files.append(path)
    numbers = await asyncio.gather(*(_create(runtime, dataset_id, path) for path in files))
    assert sorted(numbers) == list(range(2, 2 + CREATORS))
    async with runtime.sessions() as session:
        versions = (
            await session.scalars(
                select(DatasetVersion).where(DatasetVersion.dataset_id == dataset_id)
            )
        ).all()
    assert len({version.file_path for version in versions}) == CREATORS + 1
    for version in versions:  # every row still points at its own, intact file
        stored = runtime.store.read_bytes(version.file_path)
        assert hashlib.sha256(stored).hexdigest() == version.content_hash
        assert pl.read_parquet(stored).height == version.row_count


async def test_a_second_version_in_the_same_transaction_does_not_wait_for_itself(
    app: FastAPI, client: AsyncClient, tmp_path: Path
) -> None:
    runtime: Runtime = app.state.runtime
    owner = await register(client, "twice")
    dataset_id = uuid.UUID((await upload_ready(client, owner, b"n\n1\n"))["id"])
    paths = [tmp_path / f"v{index}.parquet" for index in range(3)]
    for path in paths:  # a version takes its scratch file over, so each has its own
        pl.DataFrame({"n": [1, 2]}).write_parquet(path)
    async with runtime.sessions() as session, session.begin():
        dataset = await session.get(Dataset, dataset_id)
        assert dataset is not None
        numbers = []
        for path in paths[:2]:
            new = NewVersion(parquet_path=path, operation="test", lineage={}, created_by=None)
            numbers.append((await create_version(session, runtime.store, dataset, new)).number)
    assert numbers == [2, 3]
    assert await asyncio.wait_for(_create(runtime, dataset_id, paths[2]), 30) == 4
