"""Teams: create, list, rename, and manage members and their roles."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.audit.actions import Action
from chatdata.audit.service import record
from chatdata.auth import policy
from chatdata.auth.models import Team, TeamMember, User
from chatdata.auth.schemas import MemberOut, TeamDetailOut, TeamOut
from chatdata.auth.service import find_user_by_email
from chatdata.errors import Conflict, Forbidden, NotFound


async def create_team(session: AsyncSession, user: User, name: str) -> TeamOut:
    """Create a team; its creator is the owner."""
    team = Team(name=name.strip(), is_personal=False)
    session.add(team)
    await session.flush()
    session.add(TeamMember(team_id=team.id, user_id=user.id, role="owner"))
    await session.flush()
    return _team_out(team, "owner")


async def list_my_teams(session: AsyncSession, user: User) -> list[TeamOut]:
    """Every team the user is a member of, with the user's role."""
    rows = await session.execute(
        select(Team, TeamMember.role)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.user_id == user.id)
        .order_by(Team.created_at)
    )
    return [_team_out(team, role) for team, role in rows.all()]


async def get_team(session: AsyncSession, user: User, team_id: uuid.UUID) -> TeamDetailOut:
    """A team with its members, for its members only."""
    team, role = await policy.visible_team(session, user, team_id)
    return await _detail(session, team, role)


async def rename_team(
    session: AsyncSession, user: User, team_id: uuid.UUID, name: str
) -> TeamDetailOut:
    """Rename a team (owners and admins)."""
    team, role = await policy.manageable_team(session, user, team_id)
    team.name = name.strip()
    await session.flush()
    return await _detail(session, team, role)


async def add_member(
    session: AsyncSession, user: User, team_id: uuid.UUID, email: str, role: str
) -> TeamDetailOut:
    """Add a registered user to a team with a role; only owners may add owners."""
    team, my_role = await policy.manageable_team(session, user, team_id)
    _refuse_personal(team)
    _check_can_grant(my_role, role)
    member = await find_user_by_email(session, email)
    if member is None:
        raise NotFound("No user with that email address.", code="user_not_found")
    if await policy.team_role(session, member, team_id) is not None:
        raise Conflict("That user is already a member of this team.")
    session.add(TeamMember(team_id=team_id, user_id=member.id, role=role))
    await _audit(session, user, "team.member_add", team_id, member.id, {"role": role})
    await session.flush()
    return await _detail(session, team, my_role)


async def change_member_role(
    session: AsyncSession, user: User, team_id: uuid.UUID, member_id: uuid.UUID, role: str
) -> TeamDetailOut:
    """Change a member's role; owners' roles are changed by owners only."""
    team, my_role = await policy.manageable_team(session, user, team_id)
    membership = await _membership(session, team_id, member_id)
    _check_can_grant(my_role, role)
    _check_can_grant(my_role, membership.role)
    if membership.role == "owner" and role != "owner":
        await _refuse_last_owner(session, team_id)
    if membership.role != role:
        details = {"from": membership.role, "to": role}
        await _audit(session, user, "team.member_role", team_id, member_id, details)
    membership.role = role
    await session.flush()
    return await _detail(session, team, my_role)


async def remove_member(
    session: AsyncSession, user: User, team_id: uuid.UUID, member_id: uuid.UUID
) -> None:
    """Remove a member (owners and admins; only owners remove owners)."""
    _team, my_role = await policy.manageable_team(session, user, team_id)
    membership = await _membership(session, team_id, member_id)
    _check_can_grant(my_role, membership.role)
    if membership.role == "owner":
        await _refuse_last_owner(session, team_id)
    details = {"role": membership.role}
    await _audit(session, user, "team.member_remove", team_id, member_id, details)
    await session.delete(membership)
    await session.flush()


async def leave_team(session: AsyncSession, user: User, team_id: uuid.UUID) -> None:
    """Leave a team; the last owner cannot leave, nor can anyone leave a personal team."""
    team, role = await policy.visible_team(session, user, team_id)
    _refuse_personal(team)
    if role == "owner":
        await _refuse_last_owner(session, team_id)
    await session.delete(await _membership(session, team_id, user.id))
    await _audit(session, user, "team.member_leave", team_id, user.id, {"role": role})
    await session.flush()


async def _audit(
    session: AsyncSession,
    actor: User,
    action: Action,
    team_id: uuid.UUID,
    member_id: uuid.UUID,
    details: dict[str, str],
) -> None:
    """Record a membership change: the target is the member, the tenant the team."""
    await record(
        session,
        action,
        actor_id=actor.id,
        target_type="user",
        target_id=member_id,
        team_id=team_id,
        details=details,
    )


def _refuse_personal(team: Team) -> None:
    if team.is_personal:
        raise Conflict(
            "A personal workspace has no other members; create a team to work together.",
            code="personal_team",
        )


def _check_can_grant(my_role: str, role: str) -> None:
    if role == "owner" and my_role != "owner":
        raise Forbidden("Only team owners can grant, change or remove the owner role.")


async def _refuse_last_owner(session: AsyncSession, team_id: uuid.UUID) -> None:
    owners = await session.scalar(
        select(func.count())
        .select_from(TeamMember)
        .where(TeamMember.team_id == team_id, TeamMember.role == "owner")
    )
    if (owners or 0) <= 1:
        raise Conflict("A team needs at least one owner; make someone else owner first.")


async def _membership(session: AsyncSession, team_id: uuid.UUID, user_id: uuid.UUID) -> TeamMember:
    membership = await session.get(TeamMember, (team_id, user_id))
    if membership is None:
        raise NotFound("That user is not a member of this team.")
    return membership


async def _detail(session: AsyncSession, team: Team, role: str) -> TeamDetailOut:
    rows = await session.execute(
        select(User, TeamMember.role)
        .join(TeamMember, TeamMember.user_id == User.id)
        .where(TeamMember.team_id == team.id)
        .order_by(TeamMember.created_at)
    )
    members = [
        MemberOut(user_id=u.id, email=u.email, username=u.username, role=r) for u, r in rows.all()
    ]
    return TeamDetailOut(**_team_out(team, role).model_dump(), members=members)


def _team_out(team: Team, role: str | None) -> TeamOut:
    return TeamOut(
        id=team.id,
        name=team.name,
        is_personal=team.is_personal,
        my_role=role,
        created_at=team.created_at,
    )
