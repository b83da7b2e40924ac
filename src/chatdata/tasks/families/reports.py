"""The `render_report` task type: render a report's PDF into the store in the background.

The rendered file lands where `GET /reports/{id}/export?format=pdf` looks for a cached
render, so once the task succeeded that URL returns the PDF at once. The task re-checks
that its creator may still read the report and that the report belongs to the task's
dataset (a task posted with someone else's report id fails with NotFound).
"""

from __future__ import annotations

import uuid
from typing import Literal

from chatdata.auth.models import User
from chatdata.errors import NotFound
from chatdata.reports.access import may_read
from chatdata.reports.background import RENDER_TASK_TYPE
from chatdata.reports.export import render_export
from chatdata.reports.models import Report
from chatdata.tasks.context import TaskContext
from chatdata.tasks.registry import TaskParams, TaskResult, TaskType, register


class RenderReportParams(TaskParams):
    """The report to render and the format (only PDF is slow enough to need a task)."""

    report_id: uuid.UUID
    format: Literal["pdf"] = "pdf"


async def run_render_report(ctx: TaskContext, params: RenderReportParams) -> TaskResult:
    """Render the report's PDF and store it for the export route."""
    report = await _readable_report(ctx, params.report_id)
    ctx.progress(5, "Rendering the PDF")
    exported = await render_export(ctx.env.store, report, params.format)
    return {
        "report_id": str(report.id),
        "filename": exported.filename,
        "bytes": len(exported.content),
    }


async def _readable_report(ctx: TaskContext, report_id: uuid.UUID) -> Report:
    async with ctx.env.sessions() as session:
        report = await session.get(Report, report_id)
        user = await session.get(User, ctx.user_id)
        if (
            report is None
            or user is None
            or report.dataset_id != ctx.dataset_id
            or not await may_read(session, user, report)
        ):
            raise NotFound("Report not found.")
        return report


register(
    TaskType(
        name=RENDER_TASK_TYPE,
        description="Render a report's PDF (GET /reports/{id}/export?format=pdf serves it).",
        params=RenderReportParams,
        run=run_render_report,
        needs_ready_dataset=False,
    )
)
