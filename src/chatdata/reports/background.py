"""Render large PDFs as a task instead of inside the request.

A PDF export goes to the background when it is not in the store yet and either the caller
asks for it (`background=true`) or the report is large: more than `LARGE_REPORT_FIGURES`
figures (each one is a headless-browser screenshot) or more than `LARGE_REPORT_BLOCKS`
blocks. The task (`render_report`) is created for the caller on the report's dataset, so the
caller needs read access to that dataset; without a dataset the export renders in the request.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.auth import policy
from chatdata.auth.models import User
from chatdata.datasets.models import Dataset
from chatdata.reports.figures import figure_blocks
from chatdata.reports.models import Report
from chatdata.tasks.models import AnalysisTask
from chatdata.tasks.service import NewTask, create_task

RENDER_TASK_TYPE = "render_report"
LARGE_REPORT_FIGURES = 12
LARGE_REPORT_BLOCKS = 40


def is_large(report: Report) -> bool:
    """True when rendering the report's PDF is slow enough to belong in a task."""
    blocks: list[dict[str, Any]] = list((report.content or {}).get("blocks", []))
    return len(figure_blocks(blocks)) > LARGE_REPORT_FIGURES or len(blocks) > LARGE_REPORT_BLOCKS


async def start_pdf_render(
    session: AsyncSession, user: User, report: Report
) -> AnalysisTask | None:
    """A pending `render_report` task for the caller; None when the report has no dataset
    the caller can read (the PDF is then rendered in the request)."""
    if report.dataset_id is None:
        return None
    dataset = await session.get(Dataset, report.dataset_id)
    if dataset is None or await policy.dataset_access(session, user, dataset) is None:
        return None
    parameters = {"report_id": str(report.id), "format": "pdf"}
    task, _ = await create_task(
        session, user, NewTask(RENDER_TASK_TYPE, report.dataset_id, parameters)
    )
    return task
