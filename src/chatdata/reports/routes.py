"""HTTP routes of reports: generate from a conversation, list, read, export, edit, delete."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.auth.models import User
from chatdata.auth.schemas import Page
from chatdata.deps import CurrentUser, PageDep, RuntimeDep, SessionDep
from chatdata.error_docs import error_responses
from chatdata.reports import service
from chatdata.reports.access import readable_report
from chatdata.reports.background import is_large, start_pdf_render
from chatdata.reports.export import ExportFormat, cached_export, export_report, forget_renders
from chatdata.reports.generate import generate_report
from chatdata.reports.models import Report
from chatdata.reports.schemas import GenerateIn, ReportOut, ReportSummaryOut, ReportUpdateIn
from chatdata.runtime import Runtime
from chatdata.tasks.schemas import TaskOut

router = APIRouter(
    prefix="/reports", tags=["reports"], responses=error_responses(401, 403, 404, 409, 413)
)


@router.post(
    "/generate",
    response_model=ReportOut,
    status_code=status.HTTP_201_CREATED,
    summary="Build a report from a conversation",
    description="Title, executive summary, one section per analysis step (text, tables, "
    "charts, optionally code) and a data appendix, stored as JSON blocks.",
)
async def generate(
    body: GenerateIn, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> ReportOut:
    provider = None if runtime.llm_choice.builtin else runtime.chat.deps.provider
    report = await generate_report(session, user, body, provider)
    await session.refresh(report)
    return service.report_out(report)


@router.get("", response_model=Page[ReportSummaryOut], summary="My reports")
async def list_reports(
    user: CurrentUser, session: SessionDep, page: PageDep
) -> Page[ReportSummaryOut]:
    items, total = await service.list_my_reports(
        session, user, limit=page.limit, offset=page.offset
    )
    return Page[ReportSummaryOut](items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/{report_id}", response_model=ReportOut, summary="A report with its blocks")
async def get_report(report_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> ReportOut:
    return service.report_out(await readable_report(session, user, report_id))


@router.get(
    "/{report_id}/export",
    summary="Download the report",
    description="`md` (a zip with report.md and figures/*.png when there are charts), `html` "
    "(self-contained, interactive charts), `pdf` (title page, contents, page numbers) or "
    "`ipynb`. A PDF not rendered yet of a large report (more than 12 figures or 40 blocks), "
    "or any with `background=true`, is rendered by a `render_report` task: the answer is 202 "
    '`{"task": Task}` with a Location header; once the task succeeded this URL returns '
    "the PDF.",
    response_class=Response,
    responses={202: {"description": "The PDF is being rendered by the task in the body."}},
)
async def export(
    report_id: uuid.UUID,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    fmt: Annotated[ExportFormat, Query(alias="format")] = "html",
    background: bool = False,
) -> Response:
    report = await readable_report(session, user, report_id)
    if fmt == "pdf" and (background or is_large(report)):
        started = await _start_background_pdf(request, user, session, runtime, report)
        if started is not None:
            return started
    exported = await export_report(runtime.store, report, fmt)
    disposition = f'attachment; filename="{exported.filename}"'
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": disposition},
    )


async def _start_background_pdf(
    request: Request, user: User, session: AsyncSession, runtime: Runtime, report: Report
) -> Response | None:
    """202 with a new render task, or None when the PDF is cached or cannot be a task."""
    if await cached_export(runtime.store, report, "pdf") is not None:
        return None
    task = await start_pdf_render(session, user, report)
    if task is None:
        return None
    await session.commit()
    await runtime.tasks.submit(task.id)
    await session.refresh(task)
    location = request.app.url_path_for("get_task", task_id=str(task.id))
    return JSONResponse(
        {"task": TaskOut.of(task).model_dump(mode="json")},
        status_code=status.HTTP_202_ACCEPTED,
        headers={"Location": str(location)},
    )


@router.put("/{report_id}", response_model=ReportOut, summary="Edit title, blocks, visibility")
async def update(
    report_id: uuid.UUID,
    body: ReportUpdateIn,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> ReportOut:
    report = await service.update_report(session, user, report_id, body)
    await forget_renders(runtime.store, report)
    return service.report_out(report)


@router.delete("/{report_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete")
async def delete(
    report_id: uuid.UUID, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> None:
    report = await service.delete_report(session, user, report_id)
    await forget_renders(runtime.store, report)
