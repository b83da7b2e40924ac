"""Response bodies of the audit API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AuditEventOut(BaseModel):
    """One audit event as administrators see it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    at: datetime
    actor_id: uuid.UUID | None = Field(description="Who acted; null for failed sign-ins.")
    action: str = Field(description="What happened, e.g. `auth.login_failed`, `dataset.share`.")
    target_type: str | None = Field(description="`user`, `dataset`, `team`, `conversation`...")
    target_id: str | None
    team_id: uuid.UUID | None = Field(description="The tenant concerned, when there is one.")
    ip: str | None
    request_id: str | None
    details: dict[str, Any]
