"""Request and response bodies of the auth, teams and admin APIs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, EmailStr, Field

PlatformRole = Literal["user", "admin", "superadmin"]
TeamRole = Literal["owner", "admin", "member", "viewer"]
T = TypeVar("T")


class RegisterIn(BaseModel):
    """New account."""

    email: EmailStr
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=256)


class LoginIn(BaseModel):
    """Sign-in credentials."""

    email: EmailStr
    password: str = Field(max_length=256)


class RefreshIn(BaseModel):
    """A refresh token to exchange (or revoke on logout)."""

    refresh_token: str = Field(min_length=1, max_length=512)


class TokenPair(BaseModel):
    """Tokens issued on login and refresh."""

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - OAuth token type, not a secret
    expires_in: int = Field(description="Access token lifetime in seconds.")


class UserOut(BaseModel):
    """A user as others (and the user) see it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    username: str
    role: PlatformRole
    is_active: bool
    personal_team_id: uuid.UUID | None
    created_at: datetime


class TeamIn(BaseModel):
    """Create or rename a team."""

    name: str = Field(min_length=1, max_length=200)


class MemberOut(BaseModel):
    """A member of a team."""

    user_id: uuid.UUID
    email: str
    username: str
    role: TeamRole


class TeamOut(BaseModel):
    """A team with the caller's role in it."""

    id: uuid.UUID
    name: str
    is_personal: bool
    my_role: TeamRole | None
    created_at: datetime


class TeamDetailOut(TeamOut):
    """A team with its members."""

    members: list[MemberOut]


class MemberIn(BaseModel):
    """Add a member by email."""

    email: EmailStr
    role: TeamRole = "member"


class MemberRoleIn(BaseModel):
    """Change a member's team role."""

    role: TeamRole


class UserAdminPatch(BaseModel):
    """What an admin may change on a user."""

    is_active: bool | None = None
    role: PlatformRole | None = None


class Page(BaseModel, Generic[T]):
    """A page of results with the total count."""

    items: list[T]
    total: int
    limit: int
    offset: int
