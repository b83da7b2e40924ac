"""Audit test helpers: platform admins and the events the admin API returns."""

from __future__ import annotations

import json
import uuid
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import update

from chatdata.auth.models import User
from tests.support import Account, register

API = "/api/v1"


async def make_admin(client: AsyncClient, app: FastAPI, role: str = "superadmin") -> Account:
    """A new account with a platform role set in the database."""
    account = await register(client, role)
    async with app.state.runtime.sessions() as session:
        await session.execute(
            update(User).where(User.id == uuid.UUID(account.id)).values(role=role)
        )
        await session.commit()
    return account


async def audit_events(client: AsyncClient, admin: Account, **filters: str) -> list[dict[str, Any]]:
    """Every event matching the filters (newest first), through `GET /admin/audit`."""
    response = await client.get(
        f"{API}/admin/audit", params={"limit": "200", **filters}, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"]), "more than one page: narrow the filters"
    return list(body["items"])


def assert_no_secrets(events: list[dict[str, Any]], *secrets: str) -> None:
    """None of `secrets` appears anywhere in the events, nor a secret-named key."""
    text = json.dumps(events)
    for secret in secrets:
        assert secret not in text
    for event in events:
        keys = " ".join(event["details"]).lower()
        for word in ("password", "token", "hash", "secret"):
            assert word not in keys, event
