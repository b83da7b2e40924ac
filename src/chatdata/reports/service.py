"""List, read, edit and delete reports (no FastAPI here)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.audit.service import record
from chatdata.auth.models import User
from chatdata.reports.access import owned_report
from chatdata.reports.models import Report
from chatdata.reports.schemas import ReportOut, ReportSummaryOut, ReportUpdateIn


async def list_my_reports(
    session: AsyncSession, user: User, *, limit: int, offset: int
) -> tuple[list[ReportSummaryOut], int]:
    """The caller's own reports, newest first, and how many there are."""
    mine = Report.user_id == user.id
    total = await session.scalar(select(func.count()).select_from(Report).where(mine))
    rows = await session.scalars(
        select(Report).where(mine).order_by(Report.created_at.desc()).limit(limit).offset(offset)
    )
    return [ReportSummaryOut.model_validate(r) for r in rows.all()], int(total or 0)


async def update_report(
    session: AsyncSession, user: User, report_id: uuid.UUID, changes: ReportUpdateIn
) -> Report:
    """Apply the author's edits to title, blocks or visibility."""
    report = await owned_report(session, user, report_id)
    if changes.title is not None:
        report.title = changes.title
    if changes.blocks is not None:
        report.content = {"blocks": [b.model_dump() for b in changes.blocks]}
    if changes.is_public is not None:
        report.is_public = changes.is_public
    await session.flush()
    await session.refresh(report)
    return report


async def delete_report(session: AsyncSession, user: User, report_id: uuid.UUID) -> Report:
    """Delete the author's report; returns it so its stored files can be removed."""
    report = await owned_report(session, user, report_id)
    await record(
        session,
        "report.delete",
        actor_id=user.id,
        target_type="report",
        target_id=report.id,
        team_id=report.team_id,
        details={"title": report.title, "dataset_id": report.dataset_id},
    )
    await session.delete(report)
    await session.flush()
    return report


def report_out(report: Report) -> ReportOut:
    """The full JSON form of a report."""
    blocks: list[dict[str, Any]] = list((report.content or {}).get("blocks", []))
    summary = ReportSummaryOut.model_validate(report)
    return ReportOut(**summary.model_dump(), blocks=blocks)


def storage_prefix(report: Report) -> str:
    """Where a report's rendered files live in the object store."""
    return f"{report.team_id}/reports/{report.id}/"
