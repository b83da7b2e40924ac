"""HTTP routes of datasets (seed 6.2): upload, list, detail, edit, delete, rows, versions,
sharing, download."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from chatdata.auth.schemas import Page
from chatdata.datasets import listing, rows, service, sharing
from chatdata.datasets.schemas import (
    DatasetDetailOut,
    DatasetOut,
    DatasetUpdateIn,
    SampleOut,
    ShareIn,
    ShareOut,
    VersionOut,
)
from chatdata.deps import CurrentUser, PageDep, RuntimeDep, SessionDep
from chatdata.error_docs import error_responses
from chatdata.errors import PayloadTooLarge
from chatdata.runtime import Runtime

router = APIRouter(
    prefix="/datasets",
    tags=["datasets"],
    responses=error_responses(401, 403, 404, 409, 413, 415),
)

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "name": {"type": "string"},
                        "description": {"type": "string"},
                        "team_id": {"type": "string", "format": "uuid"},
                        "sheet": {"type": "string"},
                    },
                }
            }
        },
    }
}


def schedule_ingest(runtime: Runtime, dataset_id: uuid.UUID) -> None:
    """Queue the ingest of an uploaded dataset as a task on the task runner."""
    runtime.tasks.schedule_ingest(dataset_id)


@router.post(
    "/upload",
    response_model=DatasetOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Upload a dataset",
    description="Multipart field `file` (CSV/TSV/delimited text, Excel, Parquet, JSON, NDJSON; "
    "gzip or zip of one file). The type is decided by content. Optional fields `name`, "
    "`description`, `sheet` (Excel), and `team_id` (send it before the file part, or as a "
    "query parameter). Answers 202 with status `processing`; follow it with "
    "`GET /datasets/{id}?wait=10`, which answers as soon as the progress changes.",
    openapi_extra=UPLOAD_BODY,
)
async def upload(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    team_id: Annotated[uuid.UUID | None, Query(description="Team to upload into")] = None,
    name: Annotated[str | None, Query(max_length=255)] = None,
    description: Annotated[str | None, Query(max_length=10_000)] = None,
    sheet: Annotated[str | None, Query(max_length=255, description="Excel sheet")] = None,
) -> DatasetOut:
    limit = runtime.settings.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise PayloadTooLarge(
            f"The upload is larger than the limit of {limit:,} bytes.",
            details={"max_bytes": limit},
        )
    return await service.upload_dataset(
        session,
        runtime.store,
        user,
        service.UploadRequest(
            body=request.stream(),
            content_type=request.headers.get("content-type"),
            max_bytes=limit,
            team_id=team_id,
            name=name,
            description=description,
            sheet=sheet,
        ),
        lambda dataset_id: schedule_ingest(runtime, dataset_id),
    )


@router.get("", response_model=Page[DatasetOut], summary="List datasets I can see")
async def list_datasets(
    user: CurrentUser,
    session: SessionDep,
    page: PageDep,
    scope: Annotated[
        Literal["all", "mine", "team", "shared", "public"],
        Query(description="mine, shared with me, my teams', public, or all of them"),
    ] = "all",
    q: Annotated[str | None, Query(max_length=200, description="Name contains")] = None,
    file_type: Annotated[str | None, Query(max_length=20)] = None,
    dataset_status: Annotated[
        Literal["processing", "ready", "failed"] | None, Query(alias="status")
    ] = None,
    sort: Annotated[str, Query(description="created_at, name, size, rows; - for desc")] = (
        "-created_at"
    ),
) -> Page[DatasetOut]:
    wanted = listing.ListFilter(scope, q, file_type, dataset_status, sort)
    items, total = await listing.list_datasets(
        session, user, wanted, limit=page.limit, offset=page.offset
    )
    return Page[DatasetOut](items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/public", response_model=Page[DatasetOut], summary="Public datasets")
async def public_datasets(
    user: CurrentUser, session: SessionDep, page: PageDep
) -> Page[DatasetOut]:
    items, total = await listing.list_datasets(
        session, user, listing.ListFilter(scope="public"), limit=page.limit, offset=page.offset
    )
    return Page[DatasetOut](items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/{dataset_id}", response_model=DatasetDetailOut, summary="Dataset detail with columns")
async def get_dataset(
    dataset_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    wait: Annotated[
        float,
        Query(
            ge=0,
            le=30,
            description="Seconds to hold the answer while the dataset is `processing`, "
            "until its status, progress or status message changes (long polling; "
            "0 answers at once)",
        ),
    ] = 0,
) -> DatasetDetailOut:
    return await service.get_dataset(session, user, dataset_id, wait=wait)


@router.put("/{dataset_id}", response_model=DatasetDetailOut, summary="Edit metadata")
async def update_dataset(
    dataset_id: uuid.UUID, body: DatasetUpdateIn, user: CurrentUser, session: SessionDep
) -> DatasetDetailOut:
    return await service.update_dataset(session, user, dataset_id, body)


@router.delete(
    "/{dataset_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a dataset and its files",
)
async def delete_dataset(
    dataset_id: uuid.UUID, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> None:
    await service.delete_dataset(session, runtime.store, runtime.cache_dir, user, dataset_id)


@router.get(
    "/{dataset_id}/sample",
    response_model=SampleOut,
    summary="Rows of the dataset (paged or random)",
    description="PII columns are masked; owners may pass `unmask=true` (logged).",
)
async def sample(
    dataset_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    n: Annotated[int, Query(ge=1, le=1000, description="Rows")] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    random: Annotated[bool, Query(description="Seeded random sample")] = False,
    seed: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    unmask: bool = False,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> SampleOut:
    query = rows.RowQuery(
        limit=n, offset=offset, random=random, seed=seed, unmask=unmask, version=version
    )
    return await rows.sample_rows(
        session, runtime.store, runtime.cache_dir, user, dataset_id, query
    )


@router.get(
    "/{dataset_id}/versions", response_model=list[VersionOut], summary="Versions and lineage"
)
async def versions(
    dataset_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> list[VersionOut]:
    return await service.list_versions(session, user, dataset_id)


@router.post(
    "/{dataset_id}/share",
    response_model=ShareOut,
    status_code=status.HTTP_201_CREATED,
    summary="Share with a user or a team",
)
async def share(
    dataset_id: uuid.UUID, body: ShareIn, user: CurrentUser, session: SessionDep
) -> ShareOut:
    return await sharing.share_dataset(session, user, dataset_id, body)


@router.get("/{dataset_id}/shares", response_model=list[ShareOut], summary="List shares")
async def shares(dataset_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> list[ShareOut]:
    return await sharing.list_shares(session, user, dataset_id)


@router.delete(
    "/{dataset_id}/share/{share_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a share",
)
async def unshare(
    dataset_id: uuid.UUID, share_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> None:
    await sharing.remove_share(session, user, dataset_id, share_id)


@router.get(
    "/{dataset_id}/download",
    summary="Download as CSV, Parquet or Excel",
    description="Readers without manage access get PII columns masked.",
    response_class=FileResponse,
)
async def download(
    dataset_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    file_format: Annotated[Literal["csv", "parquet", "xlsx"], Query(alias="format")] = "csv",
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> FileResponse:
    runtime.work_dir.mkdir(parents=True, exist_ok=True)
    export_dir = tempfile.mkdtemp(prefix="export-", dir=runtime.work_dir)
    try:
        path, filename = await rows.export_dataset(
            session,
            runtime.store,
            runtime.cache_dir,
            Path(export_dir),
            user,
            dataset_id,
            file_format,
            version,
        )
    except BaseException:
        shutil.rmtree(export_dir, ignore_errors=True)
        raise
    return FileResponse(
        path,
        filename=filename,
        media_type=rows.MEDIA_TYPES[file_format],
        background=BackgroundTask(shutil.rmtree, export_dir, ignore_errors=True),
    )
