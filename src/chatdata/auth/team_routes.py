"""HTTP routes of teams: create, list, get, rename, members and roles, leave."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from chatdata.auth import teams
from chatdata.auth.schemas import MemberIn, MemberRoleIn, TeamDetailOut, TeamIn, TeamOut
from chatdata.deps import CurrentUser, SessionDep
from chatdata.error_docs import error_responses

router = APIRouter(
    prefix="/teams", tags=["teams"], responses=error_responses(401, 403, 404, 409, 413)
)


@router.post(
    "", response_model=TeamOut, status_code=status.HTTP_201_CREATED, summary="Create a team"
)
async def create_team(body: TeamIn, user: CurrentUser, session: SessionDep) -> TeamOut:
    return await teams.create_team(session, user, body.name)


@router.get("", response_model=list[TeamOut], summary="My teams, with my role in each")
async def list_teams(user: CurrentUser, session: SessionDep) -> list[TeamOut]:
    return await teams.list_my_teams(session, user)


@router.get("/{team_id}", response_model=TeamDetailOut, summary="A team and its members")
async def get_team(team_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> TeamDetailOut:
    return await teams.get_team(session, user, team_id)


@router.patch("/{team_id}", response_model=TeamDetailOut, summary="Rename a team")
async def rename_team(
    team_id: uuid.UUID, body: TeamIn, user: CurrentUser, session: SessionDep
) -> TeamDetailOut:
    return await teams.rename_team(session, user, team_id, body.name)


@router.post(
    "/{team_id}/members",
    response_model=TeamDetailOut,
    status_code=status.HTTP_201_CREATED,
    summary="Add a member by email",
    description="Owners and admins add registered users; only owners grant `owner`.",
)
async def add_member(
    team_id: uuid.UUID, body: MemberIn, user: CurrentUser, session: SessionDep
) -> TeamDetailOut:
    return await teams.add_member(session, user, team_id, body.email, body.role)


@router.patch(
    "/{team_id}/members/{member_id}", response_model=TeamDetailOut, summary="Change a role"
)
async def change_role(
    team_id: uuid.UUID,
    member_id: uuid.UUID,
    body: MemberRoleIn,
    user: CurrentUser,
    session: SessionDep,
) -> TeamDetailOut:
    return await teams.change_member_role(session, user, team_id, member_id, body.role)


@router.delete(
    "/{team_id}/members/{member_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a member",
)
async def remove_member(
    team_id: uuid.UUID, member_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> None:
    await teams.remove_member(session, user, team_id, member_id)


@router.post("/{team_id}/leave", status_code=status.HTTP_204_NO_CONTENT, summary="Leave a team")
async def leave_team(team_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> None:
    await teams.leave_team(session, user, team_id)
