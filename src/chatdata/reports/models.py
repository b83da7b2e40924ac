"""ORM model for reports: structured JSON blocks built from a conversation."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Boolean, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from chatdata.db.base import Base, Timestamps, UUIDPrimaryKey


class Report(UUIDPrimaryKey, Timestamps, Base):
    """A report; `content` holds blocks (heading, markdown, table, figure, code)."""

    __tablename__ = "reports"

    dataset_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("datasets.id", ondelete="SET NULL"), nullable=True, index=True
    )
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("conversations.id", ondelete="SET NULL"), nullable=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("teams.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str | None] = mapped_column(String(500), nullable=True)
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
