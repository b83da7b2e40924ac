"""Helpers shared by tests: users with tokens, throwaway PostgreSQL databases."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import event
from sqlalchemy.engine import make_url

PASSWORD = "correct-horse-42"


@dataclass
class Account:
    """A registered, signed-in user as a test sees it."""

    id: str
    email: str
    access_token: str
    refresh_token: str
    personal_team_id: str

    @property
    def headers(self) -> dict[str, str]:
        """Authorization header for this user."""
        return {"Authorization": f"Bearer {self.access_token}"}


def unique_email(prefix: str = "user") -> str:
    """An email nobody else in the test session has."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


async def register(client: AsyncClient, prefix: str = "user") -> Account:
    """Register a new user and sign them in."""
    email = unique_email(prefix)
    created = await client.post(
        "/api/v1/auth/register", json={"email": email, "username": prefix, "password": PASSWORD}
    )
    assert created.status_code == 201, created.text
    tokens = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    user = created.json()
    return Account(
        id=user["id"],
        email=email,
        access_token=body["access_token"],
        refresh_token=body["refresh_token"],
        personal_team_id=user["personal_team_id"],
    )


def assert_error(response: object, status: int, code: str | None = None) -> dict[str, object]:
    """Assert the one error shape and return its `error` object."""
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "details"}, error
    assert isinstance(error["message"], str) and error["message"]
    if code is not None:
        assert error["code"] == code, error
    return dict(error)


@contextmanager
def pg_database(base_url: str) -> Iterator[str]:
    """Create a uniquely named PostgreSQL database, yield its async URL, drop it after."""
    url = make_url(base_url)
    name = f"chatdata_test_{uuid.uuid4().hex[:12]}"
    admin_dsn = url.set(drivername="postgresql", database=url.database or "postgres")
    dsn = admin_dsn.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(drivername="postgresql+asyncpg", database=name).render_as_string(
            hide_password=False
        )
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def recorded_statements(app: FastAPI, wanted: Callable[[str], bool]) -> Iterator[list[str]]:
    """The SQL statements the app runs while the block runs, those `wanted` keeps."""
    engine = app.state.runtime.engine.sync_engine
    seen: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if wanted(statement):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
