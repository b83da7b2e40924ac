"""HTTP routes of platform administration (admins and superadmins only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from chatdata.auth import admin
from chatdata.auth.schemas import Page, UserAdminPatch, UserOut
from chatdata.deps import CurrentUser, PageDep, SessionDep
from chatdata.error_docs import error_responses

router = APIRouter(prefix="/admin", tags=["admin"], responses=error_responses(401, 403, 404, 413))


@router.get("/users", response_model=Page[UserOut], summary="List users")
async def list_users(
    user: CurrentUser,
    session: SessionDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200, description="Email or name contains")] = None,
) -> Page[UserOut]:
    users, total = await admin.list_users(
        session, user, query=q, limit=page.limit, offset=page.offset
    )
    return Page[UserOut](
        items=[UserOut.model_validate(u) for u in users],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.patch(
    "/users/{user_id}",
    response_model=UserOut,
    summary="Enable, disable or change the role of a user",
    description="Granting or revoking admin rights needs a superadmin. Disabling a user "
    "revokes their refresh tokens and refuses their access tokens at once.",
)
async def update_user(
    user_id: uuid.UUID, body: UserAdminPatch, user: CurrentUser, session: SessionDep
) -> UserOut:
    return UserOut.model_validate(await admin.update_user(session, user, user_id, body))
