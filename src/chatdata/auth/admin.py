"""Platform administration: list users, enable or disable them, change their role."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.audit.actions import Action
from chatdata.audit.service import record
from chatdata.auth import policy
from chatdata.auth.models import RefreshToken, User
from chatdata.auth.schemas import UserAdminPatch
from chatdata.errors import Conflict, NotFound


async def list_users(
    session: AsyncSession, admin: User, *, query: str | None, limit: int, offset: int
) -> tuple[list[User], int]:
    """A page of users (admins only), optionally filtered by email or name."""
    policy.require_platform_admin(admin)
    stmt = select(User)
    if query:
        pattern = f"%{query.lower()}%"
        stmt = stmt.where(User.email.like(pattern) | func.lower(User.username).like(pattern))
    total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = await session.scalars(stmt.order_by(User.created_at).limit(limit).offset(offset))
    return list(rows.all()), int(total or 0)


async def update_user(
    session: AsyncSession, admin: User, user_id: uuid.UUID, patch: UserAdminPatch
) -> User:
    """Enable/disable a user or change their platform role."""
    policy.require_platform_admin(admin)
    target = await session.get(User, user_id)
    if target is None:
        raise NotFound("User not found.")
    if target.id == admin.id:
        raise Conflict("You cannot change your own role or status.")
    policy.require_superadmin_for_role(admin, target, patch.role)
    if patch.role is not None:
        if patch.role != target.role:
            details = {"from": target.role, "to": patch.role}
            await _audit(session, admin, target, "user.role", details)
        target.role = patch.role
    if patch.is_active is not None:
        if patch.is_active != target.is_active:
            action: Action = "user.enable" if patch.is_active else "user.disable"
            await _audit(session, admin, target, action)
        target.is_active = patch.is_active
        if not patch.is_active:
            await _revoke_all_tokens(session, target.id)
    await session.flush()
    return target


async def _audit(
    session: AsyncSession,
    admin: User,
    target: User,
    action: Action,
    details: dict[str, Any] | None = None,
) -> None:
    await record(
        session,
        action,
        actor_id=admin.id,
        target_type="user",
        target_id=target.id,
        team_id=target.personal_team_id,
        details=details,
    )


async def _revoke_all_tokens(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )
