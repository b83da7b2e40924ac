"""Share a dataset with a user (by email) or a team, list and remove shares."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.audit.service import record
from chatdata.auth import policy
from chatdata.auth.models import Team, User
from chatdata.auth.service import find_user_by_email
from chatdata.datasets.models import DatasetShare
from chatdata.datasets.schemas import ShareIn, ShareOut
from chatdata.errors import Conflict, NotFound

log = logging.getLogger("chatdata.audit")


async def share_dataset(
    session: AsyncSession, user: User, dataset_id: uuid.UUID, body: ShareIn
) -> ShareOut:
    """Grant viewer or editor access; granting again changes the role."""
    dataset, _ = await policy.dataset_for(session, user, dataset_id, policy.MANAGE)
    target_user: User | None = None
    target_team: Team | None = None
    if body.email is not None:
        target_user = await find_user_by_email(session, body.email)
        if target_user is None:
            raise NotFound("No user with that email address.", code="user_not_found")
        if target_user.id == dataset.owner_id:
            raise Conflict("The owner already has full access.")
        existing = await session.scalar(
            select(DatasetShare).where(
                DatasetShare.dataset_id == dataset.id, DatasetShare.user_id == target_user.id
            )
        )
    else:
        assert body.team_id is not None
        target_team, _role = await policy.visible_team(session, user, body.team_id)
        existing = await session.scalar(
            select(DatasetShare).where(
                DatasetShare.dataset_id == dataset.id, DatasetShare.team_id == target_team.id
            )
        )
    share = existing or DatasetShare(
        dataset_id=dataset.id,
        user_id=target_user.id if target_user else None,
        team_id=target_team.id if target_team else None,
        created_by=user.id,
    )
    previous = existing.role if existing else None
    share.role = body.role
    session.add(share)
    await session.flush()
    details = {**_grantee(share), "role": body.role, "previous_role": previous}
    await record(
        session,
        "dataset.share",
        actor_id=user.id,
        target_type="dataset",
        target_id=dataset.id,
        team_id=dataset.team_id,
        details=details,
    )
    log.info(
        "dataset %s shared with %s as %s by %s",
        dataset.id,
        body.email or body.team_id,
        body.role,
        user.id,
    )
    return _share_out(share, target_user, target_team)


async def list_shares(session: AsyncSession, user: User, dataset_id: uuid.UUID) -> list[ShareOut]:
    """Every explicit share of the dataset (managers only)."""
    await policy.dataset_for(session, user, dataset_id, policy.MANAGE)
    rows = await session.execute(
        select(DatasetShare, User, Team)
        .outerjoin(User, User.id == DatasetShare.user_id)
        .outerjoin(Team, Team.id == DatasetShare.team_id)
        .where(DatasetShare.dataset_id == dataset_id)
        .order_by(DatasetShare.created_at)
    )
    return [_share_out(s, u, t) for s, u, t in rows.all()]


async def remove_share(
    session: AsyncSession, user: User, dataset_id: uuid.UUID, share_id: uuid.UUID
) -> None:
    """Revoke one share."""
    dataset, _ = await policy.dataset_for(session, user, dataset_id, policy.MANAGE)
    share = await session.get(DatasetShare, share_id)
    if share is None or share.dataset_id != dataset_id:
        raise NotFound("Share not found.")
    await record(
        session,
        "dataset.unshare",
        actor_id=user.id,
        target_type="dataset",
        target_id=dataset.id,
        team_id=dataset.team_id,
        details={**_grantee(share), "role": share.role, "share_id": share.id},
    )
    await session.delete(share)
    await session.flush()


def _grantee(share: DatasetShare) -> dict[str, uuid.UUID | None]:
    """Who a share is for (a user or a team), for the audit log."""
    return {"user_id": share.user_id, "team_id": share.team_id}


def _share_out(share: DatasetShare, target_user: User | None, team: Team | None) -> ShareOut:
    return ShareOut(
        id=share.id,
        dataset_id=share.dataset_id,
        user_id=share.user_id,
        user_email=target_user.email if target_user else None,
        team_id=share.team_id,
        team_name=team.name if team else None,
        role=share.role,
        created_at=share.created_at,
    )
