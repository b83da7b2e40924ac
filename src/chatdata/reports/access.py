"""Who may see and change a report.

A report is visible to its creator, to members of its team who can read its dataset, and,
when public, to every signed-in user; anyone else gets NotFound. Only the creator edits or
deletes it.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.auth import policy
from chatdata.auth.models import User
from chatdata.datasets.models import Dataset
from chatdata.errors import Forbidden, NotFound
from chatdata.reports.models import Report


async def readable_report(session: AsyncSession, user: User, report_id: uuid.UUID) -> Report:
    """The report when the caller may read it, else NotFound."""
    report = await session.get(Report, report_id)
    if report is None or not await may_read(session, user, report):
        raise NotFound("Report not found.")
    return report


async def owned_report(session: AsyncSession, user: User, report_id: uuid.UUID) -> Report:
    """The report when the caller created it; Forbidden for other readers."""
    report = await readable_report(session, user, report_id)
    if report.user_id != user.id:
        raise Forbidden("Only the report's author can change it.")
    return report


async def may_read(session: AsyncSession, user: User, report: Report) -> bool:
    """True for the creator, public reports, and team members who can read the dataset."""
    if report.user_id == user.id or report.is_public:
        return True
    if await policy.team_role(session, user, report.team_id) is None:
        return False
    dataset = await session.get(Dataset, report.dataset_id) if report.dataset_id else None
    return dataset is not None and await policy.dataset_access(session, user, dataset) is not None
