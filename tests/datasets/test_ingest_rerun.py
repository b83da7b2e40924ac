"""Running an ingest again for a dataset left `processing` (as after a restart): an intact
upload becomes `ready` once more; an upload the disk kept only part of fails with a
reason, and never turns into a `ready` dataset with missing rows."""

from __future__ import annotations

import uuid
from pathlib import Path

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import update

from chatdata.datasets.ingest_job import run_ingest
from chatdata.datasets.models import Dataset
from tests.datasets.api_helpers import API, upload_ready
from tests.support import register

CSV = b"id,name\n" + b"".join(f"{n},name {n}\n".encode() for n in range(1, 2001))


async def back_to_processing(app: FastAPI, dataset_id: str) -> None:
    sessions = app.state.runtime.sessions
    async with sessions() as session, session.begin():
        await session.execute(
            update(Dataset).where(Dataset.id == uuid.UUID(dataset_id)).values(status="processing")
        )


async def rerun(app: FastAPI, dataset_id: str) -> None:
    runtime = app.state.runtime
    await run_ingest(
        runtime.sessions, runtime.store, runtime.settings.data_dir, uuid.UUID(dataset_id)
    )


def original_file(app: FastAPI, dataset_id: str) -> Path:
    store = app.state.runtime.store
    [original] = [
        info for info in store.list_prefix("") if dataset_id in info.key and "original" in info.key
    ]
    path = store.local_path(original.key)
    assert path is not None
    return Path(path)


async def test_an_intact_upload_is_ingested_again(client: AsyncClient, app: FastAPI) -> None:
    owner = await register(client)
    detail = await upload_ready(client, owner, CSV)
    await back_to_processing(app, detail["id"])
    await rerun(app, detail["id"])
    again = (await client.get(f"{API}/datasets/{detail['id']}", headers=owner.headers)).json()
    assert (again["status"], again["row_count"]) == ("ready", 2000)


async def test_an_upload_cut_short_on_disk_fails_with_a_reason(
    client: AsyncClient, app: FastAPI
) -> None:
    owner = await register(client)
    detail = await upload_ready(client, owner, CSV)
    original = original_file(app, detail["id"])
    original.write_bytes(original.read_bytes()[:4096])  # what a crash may leave unflushed
    await back_to_processing(app, detail["id"])
    await rerun(app, detail["id"])
    failed = (await client.get(f"{API}/datasets/{detail['id']}", headers=owner.headers)).json()
    assert failed["status"] == "failed"
    assert "not completely saved" in failed["error"]
    assert "upload it again" in failed["error"]
