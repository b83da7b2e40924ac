"""The one place that answers "may this user do this to that object".

Every route that touches a tenant's object asks here. A caller that may not see an
object gets NotFound (never Forbidden with details), so ids of other tenants leak nothing;
a caller that may see it but not change it gets Forbidden.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.auth.models import Team, TeamMember, User
from chatdata.chat.models import Conversation
from chatdata.datasets.models import Dataset, DatasetShare
from chatdata.errors import Forbidden, NotFound

PLATFORM_ADMINS = frozenset({"admin", "superadmin"})
TEAM_MANAGERS = frozenset({"owner", "admin"})
TEAM_WRITERS = frozenset({"owner", "admin", "member"})
TeamIds = list[uuid.UUID] | Select[uuid.UUID]


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


# --- datasets -------------------------------------------------------------------------------
# Access levels, weakest first. `manage` = edit + share + delete (+ unmask PII).
READ, EDIT, MANAGE = "read", "edit", "manage"
_LEVEL_ORDER = {READ: 1, EDIT: 2, MANAGE: 3}
_TEAM_ROLE_ACCESS = {"owner": MANAGE, "admin": MANAGE, "member": EDIT, "viewer": READ}
_SHARE_ROLE_ACCESS = {"editor": EDIT, "viewer": READ}


async def my_team_ids(session: AsyncSession, user: User) -> list[uuid.UUID]:
    """Ids of every team the user belongs to."""
    rows = await session.scalars(my_teams_query(user))
    return list(rows.all())


def my_teams_query(user: User) -> Select[uuid.UUID]:
    """SQL: ids of every team the user belongs to."""
    return select(TeamMember.team_id).where(TeamMember.user_id == user.id)


class DatasetRef(Protocol):
    """What access to a dataset depends on: a `Dataset`, or a row of these columns."""

    id: uuid.UUID
    owner_id: uuid.UUID
    team_id: uuid.UUID
    is_public: bool


async def dataset_access_map(
    session: AsyncSession, user: User, datasets: Sequence[DatasetRef]
) -> dict[uuid.UUID, str | None]:
    """The strongest access the user has to each dataset (None: may not see it).

    Owner: manage. Team role: owner/admin manage, member edit, viewer read. Explicit share to
    the user or one of their teams: editor edit, viewer read. Public: read. Platform admins get
    nothing extra: nobody sees data they were not given. Two queries for any number of
    datasets; none when the user owns them all (the common list)."""
    if all(d.owner_id == user.id for d in datasets):
        return {d.id: MANAGE for d in datasets}
    roles = dict(
        (
            await session.execute(
                select(TeamMember.team_id, TeamMember.role).where(TeamMember.user_id == user.id)
            )
        ).all()
    )
    share_rows = await session.execute(
        select(DatasetShare.dataset_id, DatasetShare.role).where(
            DatasetShare.dataset_id.in_([d.id for d in datasets]),
            (DatasetShare.user_id == user.id) | DatasetShare.team_id.in_(list(roles)),
        )
    )
    shared: dict[uuid.UUID, list[str]] = {}
    for dataset_id, role in share_rows.all():
        shared.setdefault(dataset_id, []).append(_SHARE_ROLE_ACCESS[role])
    return {d.id: _strongest(user, d, roles, shared.get(d.id, [])) for d in datasets}


def _strongest(
    user: User, dataset: DatasetRef, roles: dict[uuid.UUID, str], shared: list[str]
) -> str | None:
    if dataset.owner_id == user.id:
        return MANAGE
    levels = list(shared)
    if dataset.team_id in roles:
        levels.append(_TEAM_ROLE_ACCESS[roles[dataset.team_id]])
    if dataset.is_public:
        levels.append(READ)
    return max(levels, key=_LEVEL_ORDER.__getitem__, default=None)


async def dataset_access(session: AsyncSession, user: User, dataset: Dataset) -> str | None:
    """The strongest access the user has to one dataset, or None."""
    return (await dataset_access_map(session, user, [dataset]))[dataset.id]


def visible_datasets_clause(
    user_id: uuid.UUID | ColumnElement[uuid.UUID], team_ids: TeamIds
) -> ColumnElement[bool]:
    """SQL condition: datasets the user may see (owner, team, share, public). `user_id` is
    an id or a bound parameter; `team_ids` a list or a query of the user's teams."""
    shared = select(DatasetShare.dataset_id).where(
        (DatasetShare.user_id == user_id) | DatasetShare.team_id.in_(team_ids)
    )
    return or_(
        Dataset.owner_id == user_id,
        Dataset.team_id.in_(team_ids),
        Dataset.is_public.is_(True),
        Dataset.id.in_(shared),
    )


async def dataset_for(
    session: AsyncSession, user: User, dataset_id: uuid.UUID, needed: str = READ
) -> tuple[Dataset, str]:
    """The dataset when the user has at least `needed` access.

    NotFound when the user cannot see it at all; Forbidden when they can read it but not do
    this."""
    dataset = await session.get(Dataset, dataset_id)
    access = await dataset_access(session, user, dataset) if dataset is not None else None
    if dataset is None or access is None:
        raise NotFound("Dataset not found.")
    if _LEVEL_ORDER[access] < _LEVEL_ORDER[needed]:
        raise Forbidden(f"You have {access} access to this dataset; this needs {needed}.")
    return dataset, access


def has_access(access: str, needed: str) -> bool:
    """True when `access` is at least `needed`."""
    return _LEVEL_ORDER[access] >= _LEVEL_ORDER[needed]


# --- conversations --------------------------------------------------------------------------
async def conversation_for(
    session: AsyncSession, user: User, conversation_id: uuid.UUID
) -> tuple[Conversation, Dataset]:
    """A conversation is private to the user who started it, and only while they can still
    read its dataset. Anyone else gets NotFound."""
    conversation = await session.get(Conversation, conversation_id)
    if conversation is None or conversation.user_id != user.id:
        raise NotFound("Conversation not found.")
    dataset = await session.get(Dataset, conversation.dataset_id)
    if dataset is None or await dataset_access(session, user, dataset) is None:
        raise NotFound("Conversation not found.")
    return conversation, dataset
