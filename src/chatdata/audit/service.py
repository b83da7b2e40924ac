"""Write audit events (in the caller's transaction) and query them for administrators.

Services call `record(...)`; the client's IP and the request id come from the request
context (`chatdata.logs`), so no service needs the request. Details are scrubbed: a key
that names a secret (password, token, hash, key, secret) is dropped, whatever its value.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.audit.actions import Action
from chatdata.audit.models import AuditEvent
from chatdata.auth import policy
from chatdata.auth.models import User
from chatdata.logs import client_ip_var, request_id_var

SECRET_WORDS = ("password", "token", "secret", "hash", "api_key", "apikey", "authorization")


async def record(
    session: AsyncSession,
    action: Action,
    *,
    actor_id: uuid.UUID | None,
    target_type: str | None = None,
    target_id: uuid.UUID | str | None = None,
    team_id: uuid.UUID | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event to the session; it is committed (or rolled back) with the action."""
    request_id = request_id_var.get()
    event = AuditEvent(
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=str(target_id) if target_id is not None else None,
        team_id=team_id,
        ip=client_ip_var.get(),
        request_id=None if request_id == "-" else request_id,
        details=scrub(details or {}),
    )
    session.add(event)
    return event


def scrub(details: dict[str, Any]) -> dict[str, Any]:
    """The details without any key that names a secret (nested dicts too), JSON-safe."""
    clean: dict[str, Any] = {}
    for key, value in details.items():
        if any(word in key.lower() for word in SECRET_WORDS):
            continue
        if isinstance(value, dict):
            value = scrub(value)
        elif isinstance(value, uuid.UUID | datetime):
            value = str(value)
        clean[key] = value
    return clean


@dataclass(frozen=True)
class AuditQuery:
    """Filters of the admin query; every one is optional."""

    actor_id: uuid.UUID | None = None
    action: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    team_id: uuid.UUID | None = None
    since: datetime | None = None
    until: datetime | None = None


async def list_events(
    session: AsyncSession, admin: User, query: AuditQuery, *, limit: int, offset: int
) -> tuple[list[AuditEvent], int]:
    """A page of events matching `query`, newest first, and how many match (admins only)."""
    policy.require_platform_admin(admin)
    stmt = _filtered(select(AuditEvent), query)
    total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = await session.scalars(
        stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit).offset(offset)
    )
    return list(rows.all()), int(total or 0)


def _filtered(stmt: Select[AuditEvent], query: AuditQuery) -> Select[AuditEvent]:
    if query.actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == query.actor_id)
    if query.action is not None:
        stmt = stmt.where(AuditEvent.action == query.action)
    if query.target_type is not None:
        stmt = stmt.where(AuditEvent.target_type == query.target_type)
    if query.target_id is not None:
        stmt = stmt.where(AuditEvent.target_id == query.target_id)
    if query.team_id is not None:
        stmt = stmt.where(AuditEvent.team_id == query.team_id)
    if query.since is not None:
        stmt = stmt.where(AuditEvent.at >= _utc(query.since))
    if query.until is not None:
        stmt = stmt.where(AuditEvent.at < _utc(query.until))
    return stmt


def _utc(moment: datetime) -> datetime:
    """Timestamps are stored in UTC (SQLite keeps no offset): compare in UTC. A moment at
    the very edge of the calendar (year 1 or 9999 with an offset) is clamped to it."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        edge = datetime.min if moment.year == datetime.min.year else datetime.max
        return edge.replace(tzinfo=UTC)
