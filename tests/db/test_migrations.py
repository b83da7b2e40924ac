"""Migrations build the schema on every backend and agree with the models."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from chatdata.db.migrate import downgrade_database, upgrade_database
from chatdata.db.models import Base

SEED_TABLES = {
    "users",
    "teams",
    "team_members",
    "datasets",
    "dataset_columns",
    "conversations",
    "messages",
    "reports",
    "analysis_tasks",
}


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def _tables_and_json(connection: Connection) -> tuple[set[str], str]:
    inspector = inspect(connection)
    columns = {c["name"]: c for c in inspector.get_columns("datasets")}
    return set(inspector.get_table_names()), type(columns["metadata"]["type"]).__name__


async def _inspect(url: str) -> tuple[list[object], set[str], str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(_diff)
            tables, json_type = await conn.run_sync(_tables_and_json)
    finally:
        await engine.dispose()
    return diff, tables, json_type


def test_migrations_match_models_and_roundtrip(database_url: str) -> None:
    # The session app may already have migrated this database; upgrade is idempotent.
    upgrade_database(database_url)
    diff, tables, json_type = asyncio.run(_inspect(database_url))
    assert diff == [], f"models and migrations disagree: {diff}"
    assert tables >= SEED_TABLES
    assert {"refresh_tokens", "dataset_versions", "dataset_shares"} <= tables
    if database_url.startswith("postgresql"):
        assert json_type == "JSONB"
    downgrade_database(database_url, "base")
    _, tables_after, _ = asyncio.run(_inspect_tables(database_url))
    assert tables_after <= {"alembic_version"}
    upgrade_database(database_url)


async def _inspect_tables(url: str) -> tuple[None, set[str], None]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    return None, tables, None
