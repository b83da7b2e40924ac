"""`GET /admin/audit`: administrators only; filters, paging, newest first."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import AsyncClient

from tests.audit.helpers import API, audit_events, make_admin
from tests.support import PASSWORD, assert_error, register


async def test_audit_log_is_for_platform_admins_only(client: AsyncClient, app: FastAPI) -> None:
    user = await register(client, "curious")
    assert_error(await client.get(f"{API}/admin/audit"), 401)
    assert_error(await client.get(f"{API}/admin/audit", headers=user.headers), 403, "forbidden")
    for role in ("admin", "superadmin"):
        admin = await make_admin(client, app, role)
        response = await client.get(f"{API}/admin/audit", headers=admin.headers)
        assert response.status_code == 200, response.text
        assert response.json()["total"] >= 1


async def test_filters_paging_and_newest_first(client: AsyncClient, app: FastAPI) -> None:
    admin = await make_admin(client, app)
    user = await register(client, "busy")  # auth.register + auth.login
    for _ in range(3):
        signed_in = await client.post(
            f"{API}/auth/login", json={"email": user.email, "password": PASSWORD}
        )
        assert signed_in.status_code == 200
    everything = await audit_events(client, admin, actor=user.id)
    assert [e["action"] for e in everything] == ["auth.login"] * 4 + ["auth.register"]
    stamps = [e["at"] for e in everything]
    assert stamps == sorted(stamps, reverse=True)

    logins = await audit_events(client, admin, actor=user.id, action="auth.login")
    assert logins == everything[:4]
    by_target = await audit_events(client, admin, target_type="user", target_id=user.id)
    assert by_target == everything
    window = await audit_events(
        client, admin, actor=user.id, since=everything[3]["at"], until=everything[1]["at"]
    )
    assert window == everything[2:4]
    assert await audit_events(client, admin, actor=user.id, action="dataset.delete") == []

    page = await client.get(
        f"{API}/admin/audit",
        params={"actor": user.id, "limit": 2, "offset": 1},
        headers=admin.headers,
    )
    assert page.json() == {"items": everything[1:3], "total": 5, "limit": 2, "offset": 1}
    edges = {"since": "0001-01-01T00:00:00+05:00", "until": "9999-12-31T23:59:59-05:00"}
    assert await audit_events(client, admin, actor=user.id, **edges) == everything
    for bad in ({"actor": "not-a-uuid"}, {"action": "auth.login\u0000"}, {"target_id": "a b"}):
        invalid = await client.get(f"{API}/admin/audit", params=bad, headers=admin.headers)
        assert_error(invalid, 422, "validation_error")
