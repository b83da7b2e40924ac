"""The one place that answers "may this user do this to that object".

Every route that touches a tenant's object asks here. A caller that may not see an
object gets NotFound (never Forbidden with details), so ids of other tenants leak nothing;
a caller that may see it but not change it gets Forbidden.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.auth.models import Team, TeamMember, User
from chatdata.errors import Forbidden, NotFound

PLATFORM_ADMINS = frozenset({"admin", "superadmin"})
TEAM_MANAGERS = frozenset({"owner", "admin"})
TEAM_WRITERS = frozenset({"owner", "admin", "member"})


def is_platform_admin(user: User) -> bool:
    """Admins and superadmins administer users (not other tenants' data)."""
    return user.role in PLATFORM_ADMINS


def require_platform_admin(user: User) -> None:
    """Refuse non-admins: the admin API is not for them."""
    if not is_platform_admin(user):
        raise Forbidden("This needs an administrator.")


def require_superadmin_for_role(actor: User, target: User, new_role: str | None) -> None:
    """Granting or removing admin rights, or touching a superadmin, needs a superadmin."""
    touches_admin = new_role in PLATFORM_ADMINS or target.role in PLATFORM_ADMINS
    if touches_admin and actor.role != "superadmin":
        raise Forbidden("Only a superadmin can change administrators.")


async def team_role(session: AsyncSession, user: User, team_id: uuid.UUID) -> str | None:
    """The user's role in the team, or None when not a member."""
    result = await session.execute(
        select(TeamMember.role).where(TeamMember.team_id == team_id, TeamMember.user_id == user.id)
    )
    return result.scalar_one_or_none()


async def visible_team(session: AsyncSession, user: User, team_id: uuid.UUID) -> tuple[Team, str]:
    """The team and the caller's role; NotFound when the caller is not a member."""
    role = await team_role(session, user, team_id)
    team = await session.get(Team, team_id) if role else None
    if team is None or role is None:
        raise NotFound("Team not found.")
    return team, role


async def manageable_team(
    session: AsyncSession, user: User, team_id: uuid.UUID
) -> tuple[Team, str]:
    """The team when the caller is its owner or admin; Forbidden for other members."""
    team, role = await visible_team(session, user, team_id)
    if role not in TEAM_MANAGERS:
        raise Forbidden("Only team owners and admins can manage this team.")
    return team, role


async def writable_team(session: AsyncSession, user: User, team_id: uuid.UUID) -> Team:
    """A team the caller may create objects in (owner, admin or member; not viewer)."""
    team, role = await visible_team(session, user, team_id)
    if role not in TEAM_WRITERS:
        raise Forbidden("Viewers cannot add anything to this team.")
    return team
