"""HTTP route of the audit log (platform admins only)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from chatdata.audit import service
from chatdata.audit.actions import DESCRIPTIONS
from chatdata.audit.schemas import AuditEventOut
from chatdata.auth.schemas import Page
from chatdata.deps import CurrentUser, PageDep, SessionDep
from chatdata.error_docs import error_responses

router = APIRouter(prefix="/admin", tags=["admin"], responses=error_responses(401, 403))
NAME = r"^[a-z_.]+$"


@router.get(
    "/audit",
    response_model=Page[AuditEventOut],
    summary="Query the audit log",
    description="Security-relevant actions, newest first; `since` is inclusive, `until` "
    "exclusive. Administrators only. The actions:\n\n"
    + "\n".join(f"- `{action}`: {text}" for action, text in DESCRIPTIONS.items()),
)
async def list_audit_events(
    user: CurrentUser,
    session: SessionDep,
    page: PageDep,
    actor: Annotated[uuid.UUID | None, Query(description="Id of the acting user")] = None,
    action: Annotated[
        str | None, Query(max_length=64, pattern=NAME, description="e.g. auth.login")
    ] = None,
    target_type: Annotated[str | None, Query(max_length=32, pattern=NAME)] = None,
    target_id: Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")] = None,
    team: Annotated[uuid.UUID | None, Query(description="Id of the team concerned")] = None,
    since: Annotated[datetime | None, Query(description="At or after (ISO 8601)")] = None,
    until: Annotated[datetime | None, Query(description="Before (ISO 8601)")] = None,
) -> Page[AuditEventOut]:
    query = service.AuditQuery(
        actor_id=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        team_id=team,
        since=since,
        until=until,
    )
    events, total = await service.list_events(
        session, user, query, limit=page.limit, offset=page.offset
    )
    return Page[AuditEventOut](
        items=[AuditEventOut.model_validate(e) for e in events],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )
