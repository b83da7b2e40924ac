"""The `audit_events` table: one row per security-relevant action."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from chatdata.db.base import Base, UTCDateTime, UUIDPrimaryKey, utcnow


class AuditEvent(UUIDPrimaryKey, Base):
    """Something a person (or the platform, for kernel kills) did.

    Ids are kept without foreign keys so the record outlives what it names (a deleted
    dataset, a removed member). `details` never holds secrets: no passwords, tokens, hashes
    or unmasked values.
    """

    __tablename__ = "audit_events"

    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    target_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    team_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    ip: Mapped[str | None] = mapped_column(String(64), nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
