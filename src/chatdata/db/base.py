"""Declarative base and the column types every model shares."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, Uuid, event, inspect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.orm.attributes import set_committed_value

# Stable constraint names so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSON everywhere, JSONB on PostgreSQL.
JSONType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base class of every ORM model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSONType, list[Any]: JSONType}


def _loaded_as_utc(target: Any, *_: Any) -> None:
    """SQLite keeps no time zone: a naive datetime loaded from it is UTC (every one stored
    was), so the API never answers a time without its offset."""
    state = inspect(target)
    for attr in state.mapper.column_attrs:
        value = state.dict.get(attr.key)
        if isinstance(value, datetime) and value.tzinfo is None:
            set_committed_value(target, attr.key, value.replace(tzinfo=UTC))


event.listen(Base, "load", _loaded_as_utc, propagate=True)
event.listen(Base, "refresh", _loaded_as_utc, propagate=True)


class UUIDPrimaryKey:
    """Mixin: a UUID primary key generated in Python (portable across databases)."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


class Timestamps:
    """Mixin: `created_at` and `updated_at`, timezone-aware."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
