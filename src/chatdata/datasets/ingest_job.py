"""The ingest job: uploaded file -> Parquet version 1 -> profile -> dataset `ready`.

Failures end in status `failed` with a reason a person understands; the uploaded
original is kept either way."""

from __future__ import annotations

import logging
import shutil
import uuid
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

import anyio
import anyio.from_thread
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatdata.datasets.files import local_copy
from chatdata.datasets.ingest import IngestOptions, IngestResult, ingest_to_parquet
from chatdata.datasets.ingest.errors import IngestError
from chatdata.datasets.models import Dataset
from chatdata.datasets.overlap import alongside
from chatdata.datasets.status_wait import status_changed
from chatdata.datasets.versions import NewVersion, create_version
from chatdata.errors import AppError
from chatdata.storage.base import ObjectStore
from chatdata.storage.transfer import flush_to_disk

log = logging.getLogger("chatdata.ingest")


async def run_ingest(
    sessions: async_sessionmaker[AsyncSession],
    store: ObjectStore,
    data_dir: Path,
    dataset_id: uuid.UUID,
) -> None:
    """Ingest one uploaded dataset; safe to run again for a dataset still `processing`."""
    async with sessions() as session:
        dataset = await session.get(Dataset, dataset_id)
        if dataset is None or dataset.status != "processing":
            return
        source_key, options = dataset.file_path, _options(dataset.meta)
        uploaded_size = dataset.file_size
    work_dir = data_dir / "work" / f"ingest-{dataset_id}"
    work_dir.mkdir(parents=True, exist_ok=True)
    try:
        source = await anyio.to_thread.run_sync(local_copy, store, source_key, work_dir / "source")
        _check_complete(source, uploaded_size)
        own_file = store.local_path(source_key) is not None
        (result, parquet), _ = await alongside(
            partial(_convert, sessions, source, options, work_dir, dataset_id),
            partial(_flush_upload, source, own_file),
        )
        await _set_progress(sessions, dataset_id, 75, "Profiling columns")
        async with sessions() as session, session.begin():
            dataset = await session.get(Dataset, dataset_id)
            if dataset is None:
                return
            version = await create_version(
                session,
                store,
                dataset,
                NewVersion(
                    parquet_path=parquet,
                    operation="upload",
                    lineage={"source": source_key, "ingest": asdict(result)},
                    created_by=dataset.owner_id,
                    idempotency_key=f"ingest:{dataset_id}",
                ),
            )
            dataset.meta = {**dataset.meta, "ingest": asdict(result)}
            dataset.file_type = result.source_format
            dataset.status, dataset.progress = "ready", 100
            dataset.status_message = f"Ready: version {version.number}"
        status_changed(dataset_id)
    except AppError as exc:
        await _fail(sessions, dataset_id, exc.message)
    except Exception:
        log.exception("ingest of %s failed", dataset_id)
        await _fail(sessions, dataset_id, "The file could not be processed (internal error).")
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


def _check_complete(source: Path, uploaded_size: int | None) -> None:
    """Refuse an upload cut short on disk: the upload does not wait for the disk (the
    conversion flushes it), so a machine that stopped meanwhile may have kept only part."""
    if uploaded_size is not None and source.stat().st_size != uploaded_size:
        raise IngestError(
            "The uploaded file was not completely saved (the server stopped while it was "
            "being processed). Please upload it again."
        )


def _flush_upload(source: Path, flush: bool) -> None:
    """Make the uploaded file durable (when it is the store's own file, not a copy of an
    object kept elsewhere); the dataset becomes `ready` only after this."""
    if not flush:
        return
    try:
        flush_to_disk(source)
    except OSError as exc:
        log.warning("flushing upload %s failed: %s", source.name, exc)
        raise IngestError("The uploaded file could not be saved to disk.") from exc


async def _convert(
    sessions: async_sessionmaker[AsyncSession],
    source: Path,
    options: IngestOptions,
    work_dir: Path,
    dataset_id: uuid.UUID,
) -> tuple[IngestResult, Path]:
    parquet = work_dir / "data.parquet"

    def progress(percent: int, message: str) -> None:
        scaled = min(70, max(1, int(percent * 0.7)))
        anyio.from_thread.run(_set_progress, sessions, dataset_id, scaled, message)

    result = await anyio.to_thread.run_sync(
        lambda: ingest_to_parquet(
            source, parquet, options=options, progress=progress, work_dir=work_dir
        )
    )
    return result, parquet


def _options(meta: dict[str, Any]) -> IngestOptions:
    sheet = meta.get("upload", {}).get("sheet")
    if isinstance(sheet, str) and sheet.isdigit():
        return IngestOptions(sheet=int(sheet))
    return IngestOptions(sheet=sheet)


async def _set_progress(
    sessions: async_sessionmaker[AsyncSession], dataset_id: uuid.UUID, percent: int, message: str
) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            update(Dataset)
            .where(Dataset.id == dataset_id, Dataset.status == "processing")
            .values(progress=percent, status_message=message)
        )
    status_changed(dataset_id)


async def _fail(
    sessions: async_sessionmaker[AsyncSession], dataset_id: uuid.UUID, reason: str
) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            update(Dataset)
            .where(Dataset.id == dataset_id)
            .values(status="failed", error_message=reason, status_message="Failed")
        )
    status_changed(dataset_id)


async def pending_ingests(sessions: async_sessionmaker[AsyncSession]) -> list[uuid.UUID]:
    """Datasets left `processing` (e.g. by a restart); their ingest is run again."""
    async with sessions() as session:
        rows = await session.scalars(select(Dataset.id).where(Dataset.status == "processing"))
        return list(rows.all())
