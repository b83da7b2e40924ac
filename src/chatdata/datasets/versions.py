"""Create immutable dataset versions: store the Parquet file, profile it, record lineage.

This is the one way a new version comes to be: the ingest of an upload, a cleaning
pipeline, or an AI proposal the user accepted all call `create_version`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import anyio
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.datasets.files import sha256_file
from chatdata.datasets.keys import version_key
from chatdata.datasets.models import Dataset, DatasetColumn, DatasetVersion
from chatdata.datasets.overlap import alongside
from chatdata.datasets.profile import DatasetProfile, profile_parquet
from chatdata.datasets.version_lock import lock_dataset_versions
from chatdata.storage.base import ObjectInfo, ObjectStore
from chatdata.storage.local import LocalStore
from chatdata.storage.transfer import flush_to_disk


@dataclass(frozen=True)
class NewVersion:
    """What a caller knows about a version it wants to create. `parquet_path` is a scratch
    file the version takes over: a local store moves it into place."""

    parquet_path: Path
    operation: str
    lineage: dict[str, Any]
    created_by: uuid.UUID | None
    parent_id: uuid.UUID | None = None
    idempotency_key: str | None = None


async def latest_version(session: AsyncSession, dataset_id: uuid.UUID) -> DatasetVersion | None:
    """The dataset's current (highest-numbered) version."""
    result = await session.scalars(
        select(DatasetVersion)
        .where(DatasetVersion.dataset_id == dataset_id)
        .order_by(DatasetVersion.number.desc())
        .limit(1)
    )
    return result.first()


async def create_version(
    session: AsyncSession, store: ObjectStore, dataset: Dataset, new: NewVersion
) -> DatasetVersion:
    """Store, profile and record a new version; it becomes the dataset's current one.

    With an idempotency key that was used before, the earlier version is returned and
    nothing new is created (a retried task makes no duplicate). Creators of versions of
    one dataset take turns (`lock_dataset_versions`) until their transaction ends."""
    await lock_dataset_versions(session, dataset.id)
    if new.idempotency_key:
        existing = await session.scalar(
            select(DatasetVersion).where(DatasetVersion.idempotency_key == new.idempotency_key)
        )
        if existing is not None:
            return existing
    number = (
        await session.scalar(
            select(func.max(DatasetVersion.number)).where(DatasetVersion.dataset_id == dataset.id)
        )
        or 0
    ) + 1
    key = version_key(dataset.team_id, dataset.id, number)
    content_hash, info, profile = await _hash_store_and_profile(store, key, new.parquet_path)
    version = DatasetVersion(
        dataset_id=dataset.id,
        number=number,
        file_path=key,
        content_hash=content_hash,
        size_bytes=info.size,
        row_count=profile.rows,
        column_count=profile.columns,
        parent_id=new.parent_id,
        operation=new.operation,
        lineage=new.lineage,
        profile=profile.to_dict(),
        idempotency_key=new.idempotency_key,
        created_by=new.created_by,
    )
    session.add(version)
    await session.flush()
    await _replace_columns(session, dataset, version, profile)
    return version


async def _hash_store_and_profile(
    store: ObjectStore, key: str, path: Path
) -> tuple[str, ObjectInfo, DatasetProfile]:
    """Store the file, hash it and profile it; hashing and storing overlap the profile.

    A local store has the scratch file hashed and flushed to disk while it is profiled,
    then takes it over by a rename (no copy of a file that may be gigabytes; the flush
    already done, the rename does not wait for the disk). Any other store uploads it
    while it is profiled; if the profile fails, the uploaded object is deleted again."""
    if isinstance(store, LocalStore):
        profile, content_hash = await alongside(_profiling(path), partial(_hash_and_flush, path))
        info = await anyio.to_thread.run_sync(store.adopt_file, key, path)
        return content_hash, info, profile
    try:
        profile, (content_hash, info) = await alongside(
            _profiling(path), partial(_hash_and_put, store, key, path)
        )
    except Exception:
        await anyio.to_thread.run_sync(store.delete, key)
        raise
    return content_hash, info, profile


def _profiling(path: Path) -> Callable[[], Awaitable[DatasetProfile]]:
    """The profile of `path` in a worker thread, to run beside hashing and storing."""
    return partial(anyio.to_thread.run_sync, profile_parquet, path)


def _hash_and_flush(path: Path) -> str:
    content_hash = sha256_file(path)
    flush_to_disk(path)
    return content_hash


def _hash_and_put(store: ObjectStore, key: str, path: Path) -> tuple[str, ObjectInfo]:
    return sha256_file(path), store.put_file(key, path)


async def _replace_columns(
    session: AsyncSession, dataset: Dataset, version: DatasetVersion, profile: DatasetProfile
) -> None:
    await session.execute(delete(DatasetColumn).where(DatasetColumn.dataset_id == dataset.id))
    for column in profile.column_profiles:
        stats = column.to_dict()
        pii = stats.pop("pii", None)
        session.add(
            DatasetColumn(
                dataset_id=dataset.id,
                version_id=version.id,
                name=stats.pop("name"),
                position=stats.pop("position"),
                data_type=stats.get("logical_type"),
                semantic_type=stats.pop("semantic_type", None),
                nullable=stats.pop("nullable", None),
                sample_values=stats.pop("sample_values", []),
                pii=pii,
                statistics=stats,
            )
        )
    summary = profile.to_dict()
    summary.pop("column_profiles", None)
    dataset.meta = {**dataset.meta, "profile": summary}
    dataset.row_count = profile.rows
    dataset.column_count = profile.columns
    await session.flush()
