"""Datasets: upload, list, read, edit, delete, versions. Sharing and rows live beside it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.audit.service import record
from chatdata.auth import policy
from chatdata.auth.models import User
from chatdata.datasets.files import drop_cached
from chatdata.datasets.ingest import IngestError, detect_format
from chatdata.datasets.keys import dataset_prefix, original_key
from chatdata.datasets.models import Dataset, DatasetColumn, DatasetVersion
from chatdata.datasets.schemas import (
    ColumnOut,
    DatasetDetailOut,
    DatasetOut,
    DatasetUpdateIn,
    VersionOut,
)
from chatdata.datasets.status_wait import wait_for_change
from chatdata.datasets.upload import receive_upload
from chatdata.datasets.versions import latest_version
from chatdata.errors import BadRequest, UnsupportedMediaType
from chatdata.storage.base import ObjectStore


@dataclass(frozen=True)
class UploadRequest:
    """An upload as the route hands it over: the raw body and what the query said."""

    body: AsyncIterator[bytes]
    content_type: str | None
    max_bytes: int
    team_id: uuid.UUID | None = None
    name: str | None = None
    description: str | None = None
    sheet: str | None = None


async def upload_dataset(
    session: AsyncSession,
    store: ObjectStore,
    user: User,
    upload: UploadRequest,
    schedule_ingest: Callable[[uuid.UUID], None],
) -> DatasetOut:
    """Stream the file into storage, record the dataset as `processing`, schedule ingest."""
    dataset_id = uuid.uuid4()
    team_holder: list[uuid.UUID] = []

    async def key_for(fields: dict[str, str], filename: str) -> str:
        team_id = upload.team_id or _uuid_field(fields.get("team_id"))
        team = (
            (await policy.writable_team(session, user, team_id)).id
            if team_id
            else await _personal_team(session, user)
        )
        team_holder.append(team)
        return original_key(team, dataset_id, filename)

    received = await receive_upload(
        upload.body, upload.content_type, store, key_for, upload.max_bytes, _check_head
    )
    fields = received.fields
    if "team_id" in fields and _uuid_field(fields["team_id"]) != team_holder[0]:
        await anyio.to_thread.run_sync(store.delete, received.key)
        raise BadRequest("Send `team_id` before the file part, or as a query parameter.")
    name = upload.name or fields.get("name") or received.filename.rsplit(".", 1)[0] or "dataset"
    dataset = Dataset(
        id=dataset_id,
        name=name[:255],
        description=upload.description or fields.get("description"),
        file_path=received.key,
        file_size=received.size,
        file_type=detect_format(received.head),
        owner_id=user.id,
        team_id=team_holder[0],
        status="processing",
        progress=0,
        status_message="Queued for processing",
        meta={
            "upload": {
                "filename": received.filename,
                "sheet": upload.sheet or fields.get("sheet"),
            }
        },
    )
    session.add(dataset)
    await session.flush()
    await session.commit()
    schedule_ingest(dataset.id)
    return dataset_out(dataset, policy.MANAGE)


def _check_head(head: bytes) -> None:
    """Refuse content we cannot read before storing it (type by content, not name)."""
    try:
        detect_format(head)
    except IngestError as exc:
        raise UnsupportedMediaType(exc.message, code="unsupported_file_type") from exc


def _uuid_field(value: str | None) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise BadRequest("`team_id` is not a valid id.") from exc


async def _personal_team(session: AsyncSession, user: User) -> uuid.UUID:
    if user.personal_team_id is None:
        raise BadRequest("Choose a team for the upload with `team_id`.")
    return user.personal_team_id


async def get_dataset(
    session: AsyncSession, user: User, dataset_id: uuid.UUID, *, wait: float = 0
) -> DatasetDetailOut:
    """A dataset with its columns, profile and current version; with `wait`, a dataset
    still processing is answered once its progress changes (or after `wait` seconds)."""
    dataset, access = await policy.dataset_for(session, user, dataset_id)
    dataset = await wait_for_change(session, dataset, wait)
    return await dataset_detail(session, dataset, access)


async def update_dataset(
    session: AsyncSession, user: User, dataset_id: uuid.UUID, patch: DatasetUpdateIn
) -> DatasetDetailOut:
    """Edit name, description and tags (edit access); publish/unpublish (manage access)."""
    needed = policy.MANAGE if patch.is_public is not None else policy.EDIT
    dataset, access = await policy.dataset_for(session, user, dataset_id, needed)
    if patch.name is not None:
        dataset.name = patch.name
    if patch.description is not None:
        dataset.description = patch.description
    if patch.tags is not None:
        dataset.tags = [t.strip() for t in patch.tags if t.strip()]
    if patch.is_public is not None:
        dataset.is_public = patch.is_public
    await session.flush()
    return await dataset_detail(session, dataset, access)


async def delete_dataset(
    session: AsyncSession,
    store: ObjectStore,
    cache_dir: Path,
    user: User,
    dataset_id: uuid.UUID,
) -> None:
    """Delete the dataset, its versions, shares, conversations, its files in storage and
    any local copies of them."""
    dataset, _ = await policy.dataset_for(session, user, dataset_id, policy.MANAGE)
    prefix = dataset_prefix(dataset.team_id, dataset.id)
    await record(
        session,
        "dataset.delete",
        actor_id=user.id,
        target_type="dataset",
        target_id=dataset.id,
        team_id=dataset.team_id,
        details={"name": dataset.name, "owner_id": dataset.owner_id},
    )
    await session.delete(dataset)
    await session.flush()
    await session.commit()
    await anyio.to_thread.run_sync(store.delete_prefix, prefix)
    await anyio.to_thread.run_sync(drop_cached, cache_dir, prefix)


async def list_versions(
    session: AsyncSession, user: User, dataset_id: uuid.UUID
) -> list[VersionOut]:
    """Every version, newest first, with lineage."""
    await policy.dataset_for(session, user, dataset_id)
    rows = await session.scalars(
        select(DatasetVersion)
        .where(DatasetVersion.dataset_id == dataset_id)
        .order_by(DatasetVersion.number.desc())
    )
    return [VersionOut.model_validate(v) for v in rows.all()]


def dataset_out(dataset: Dataset | Row[Any], access: str) -> DatasetOut:
    """The list form of a dataset (an entity, or a row of its columns) for a caller with
    `access`."""
    return DatasetOut(
        id=dataset.id,
        name=dataset.name,
        description=dataset.description,
        tags=list(dataset.tags or []),
        file_type=dataset.file_type,
        file_size=dataset.file_size,
        owner_id=dataset.owner_id,
        team_id=dataset.team_id,
        is_public=dataset.is_public,
        status=dataset.status,
        progress=dataset.progress,
        status_message=dataset.status_message,
        error=dataset.error_message,
        row_count=dataset.row_count,
        column_count=dataset.column_count,
        my_access=access,
        created_at=dataset.created_at,
        updated_at=dataset.updated_at,
    )


async def dataset_detail(session: AsyncSession, dataset: Dataset, access: str) -> DatasetDetailOut:
    """The detail form: columns in order, profile, ingest facts, current version."""
    columns = await session.scalars(
        select(DatasetColumn)
        .where(DatasetColumn.dataset_id == dataset.id)
        .order_by(DatasetColumn.position)
    )
    version = await latest_version(session, dataset.id)
    return DatasetDetailOut(
        **dataset_out(dataset, access).model_dump(),
        metadata=dict(dataset.meta or {}),
        columns=[ColumnOut.model_validate(c) for c in columns.all()],
        current_version=VersionOut.model_validate(version) if version else None,
    )
