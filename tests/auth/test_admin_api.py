"""Admin API: refused to users; admins list and disable; only superadmins grant admin."""

from __future__ import annotations

import uuid

from httpx import AsyncClient
from sqlalchemy import update

from chatdata.auth.models import User
from tests.support import Account, assert_error, register

API = "/api/v1"


async def promote(app_sessions: object, account: Account, role: str) -> None:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    assert isinstance(app_sessions, async_sessionmaker)
    async with app_sessions() as session:
        assert isinstance(session, AsyncSession)
        await session.execute(
            update(User).where(User.id == uuid.UUID(account.id)).values(role=role)
        )
        await session.commit()


async def test_admin_endpoints_refused_to_users(client: AsyncClient) -> None:
    user, other = await register(client, "u"), await register(client, "o")
    assert_error(await client.get(f"{API}/admin/users", headers=user.headers), 403, "forbidden")
    patch = await client.patch(
        f"{API}/admin/users/{other.id}", json={"is_active": False}, headers=user.headers
    )
    assert_error(patch, 403, "forbidden")
    assert_error(await client.get(f"{API}/admin/users"), 401)


async def test_admin_disables_user_who_then_cannot_log_in(client: AsyncClient, app: object) -> None:
    admin, victim = await register(client, "admin"), await register(client, "victim")
    await promote(app.state.runtime.sessions, admin, "admin")  # type: ignore[attr-defined]
    listing = await client.get(
        f"{API}/admin/users", params={"q": "victim", "limit": 200}, headers=admin.headers
    )
    assert listing.status_code == 200
    assert victim.email in {u["email"] for u in listing.json()["items"]}
    disabled = await client.patch(
        f"{API}/admin/users/{victim.id}", json={"is_active": False}, headers=admin.headers
    )
    assert disabled.status_code == 200 and disabled.json()["is_active"] is False
    # Existing access token refused, refresh refused, login refused.
    assert_error(
        await client.get(f"{API}/auth/me", headers=victim.headers), 401, "account_disabled"
    )
    refreshed = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": victim.refresh_token}
    )
    assert_error(refreshed, 401)
    login = await client.post(
        f"{API}/auth/login", json={"email": victim.email, "password": "correct-horse-42"}
    )
    assert_error(login, 401, "account_disabled")
    # Re-enabled, they can sign in again.
    enabled = await client.patch(
        f"{API}/admin/users/{victim.id}", json={"is_active": True}, headers=admin.headers
    )
    assert enabled.status_code == 200
    login = await client.post(
        f"{API}/auth/login", json={"email": victim.email, "password": "correct-horse-42"}
    )
    assert login.status_code == 200


async def test_only_superadmin_grants_admin(client: AsyncClient, app: object) -> None:
    admin, superadmin, user = (
        await register(client, "a"),
        await register(client, "s"),
        await register(client, "u"),
    )
    sessions = app.state.runtime.sessions  # type: ignore[attr-defined]
    await promote(sessions, admin, "admin")
    await promote(sessions, superadmin, "superadmin")
    refused = await client.patch(
        f"{API}/admin/users/{user.id}", json={"role": "admin"}, headers=admin.headers
    )
    assert_error(refused, 403)
    granted = await client.patch(
        f"{API}/admin/users/{user.id}", json={"role": "admin"}, headers=superadmin.headers
    )
    assert granted.status_code == 200 and granted.json()["role"] == "admin"
    # An admin cannot disable another admin, nor themself.
    assert_error(
        await client.patch(
            f"{API}/admin/users/{user.id}", json={"is_active": False}, headers=admin.headers
        ),
        403,
    )
    assert_error(
        await client.patch(
            f"{API}/admin/users/{admin.id}", json={"is_active": False}, headers=admin.headers
        ),
        409,
    )
    missing = await client.patch(
        f"{API}/admin/users/{uuid.uuid4()}", json={"is_active": False}, headers=admin.headers
    )
    assert_error(missing, 404)
