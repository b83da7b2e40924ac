"""Read a dataset's rows (paged preview) and export it, masking PII for who may not see it."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

import anyio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.audit.service import record
from chatdata.auth import policy
from chatdata.auth.models import User
from chatdata.datasets.export import MEDIA_TYPES, ExportFormat, export_version
from chatdata.datasets.files import local_copy
from chatdata.datasets.models import Dataset, DatasetColumn, DatasetVersion
from chatdata.datasets.sample import read_rows
from chatdata.datasets.schemas import SampleOut
from chatdata.datasets.versions import latest_version
from chatdata.errors import Conflict, Forbidden, NotFound
from chatdata.storage.base import ObjectStore

log = logging.getLogger("chatdata.audit")
__all__ = ["MEDIA_TYPES", "RowQuery", "export_dataset", "pii_columns", "sample_rows"]


@dataclass(frozen=True)
class RowQuery:
    """Which rows: a page, or a seeded random sample; masked unless `unmask`."""

    limit: int = 100
    offset: int = 0
    random: bool = False
    seed: int = 0
    unmask: bool = False
    version: int | None = None


async def sample_rows(
    session: AsyncSession,
    store: ObjectStore,
    cache_dir: Path,
    user: User,
    dataset_id: uuid.UUID,
    query: RowQuery,
) -> SampleOut:
    """Rows of the dataset; PII columns masked unless a manager asks to unmask (logged)."""
    dataset, access = await policy.dataset_for(session, user, dataset_id)
    if query.unmask and not policy.has_access(access, policy.MANAGE):
        raise Forbidden("Only the dataset's owners can see unmasked values.")
    version = await _version(session, dataset, query.version)
    pii = {} if query.unmask else await pii_columns(session, dataset.id)
    if query.unmask:
        log.info("unmasked rows of dataset %s requested by %s", dataset.id, user.id)
        await record(
            session,
            "dataset.unmask",
            actor_id=user.id,
            target_type="dataset",
            target_id=dataset.id,
            team_id=dataset.team_id,
            details={"version": version.number, "limit": query.limit, "offset": query.offset},
        )
    path = await anyio.to_thread.run_sync(local_copy, store, version.file_path, cache_dir)
    page = await anyio.to_thread.run_sync(
        lambda: read_rows(
            path,
            limit=query.limit,
            offset=query.offset,
            random=query.random,
            seed=query.seed,
            pii_by_column=pii,
        )
    )
    return SampleOut(
        columns=page.columns,
        rows=page.rows,
        offset=0 if query.random else query.offset,
        total_rows=page.total_rows,
        random=query.random,
        masked_columns=sorted(pii),
        version=version.number,
    )


async def export_dataset(
    session: AsyncSession,
    store: ObjectStore,
    cache_dir: Path,
    work_dir: Path,
    user: User,
    dataset_id: uuid.UUID,
    fmt: ExportFormat,
    version_number: int | None,
) -> tuple[Path, str]:
    """A file to download and its name; readers below manage get PII masked."""
    dataset, access = await policy.dataset_for(session, user, dataset_id)
    version = await _version(session, dataset, version_number)
    masked = not policy.has_access(access, policy.MANAGE)
    pii = await pii_columns(session, dataset.id) if masked else {}
    path = await anyio.to_thread.run_sync(local_copy, store, version.file_path, cache_dir)
    out = await anyio.to_thread.run_sync(export_version, path, fmt, work_dir, pii)
    safe_name = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in dataset.name)
    return out, f"{safe_name or 'dataset'}-v{version.number}.{fmt}"


async def pii_columns(session: AsyncSession, dataset_id: uuid.UUID) -> dict[str, str]:
    """Column name -> PII kind for the dataset's flagged columns."""
    rows = await session.execute(
        select(DatasetColumn.name, DatasetColumn.pii).where(
            DatasetColumn.dataset_id == dataset_id, DatasetColumn.pii.is_not(None)
        )
    )
    return {name: str(pii["kind"]) for name, pii in rows.all() if pii and pii.get("kind")}


async def _version(session: AsyncSession, dataset: Dataset, number: int | None) -> DatasetVersion:
    if dataset.status != "ready":
        raise Conflict(f"The dataset is {dataset.status}; its rows are not available yet.")
    if number is None:
        version = await latest_version(session, dataset.id)
    else:
        version = await session.scalar(
            select(DatasetVersion).where(
                DatasetVersion.dataset_id == dataset.id, DatasetVersion.number == number
            )
        )
    if version is None:
        raise NotFound("That version does not exist.")
    return version
