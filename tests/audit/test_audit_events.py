"""Every audited action writes exactly the event expected, and never a secret."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from chatdata.auth.models import User
from tests.audit.helpers import API, assert_no_secrets, audit_events, make_admin
from tests.datasets.api_helpers import upload_ready
from tests.support import PASSWORD, Account, assert_error, register, unique_email

PII_CSV = b"name,email,amount\nAda,ada.lovelace@example.org,10\nAlan,alan.t@example.org,20\n"


def summary(events: list[dict[str, Any]]) -> list[tuple[str, str | None, dict[str, Any]]]:
    """(action, actor, details) of each event, oldest first."""
    return [(e["action"], e["actor_id"], e["details"]) for e in reversed(events)]


def now() -> str:
    return datetime.now(UTC).isoformat()


async def test_registration_and_sign_ins_are_audited_without_secrets(
    client: AsyncClient, app: FastAPI
) -> None:
    admin = await make_admin(client, app)
    email, wrong_password = unique_email("audited"), "not-the-password-9"
    created = await client.post(
        f"{API}/auth/register",
        json={"email": email, "username": "audited", "password": PASSWORD},
        headers={"X-Request-ID": "audit-register-1"},
    )
    user_id = created.json()["id"]
    login = {"email": email, "password": wrong_password}
    assert_error(await client.post(f"{API}/auth/login", json=login), 401)
    ghost, before_ghost = unique_email("ghost"), now()
    ghost_login = {"email": ghost, "password": wrong_password}
    assert_error(await client.post(f"{API}/auth/login", json=ghost_login), 401)
    signed_in = await client.post(f"{API}/auth/login", json={"email": email, "password": PASSWORD})
    tokens = signed_in.json()

    events = await audit_events(client, admin, target_id=user_id)
    assert summary(events) == [
        ("auth.register", user_id, {"email": email}),
        ("auth.login_failed", None, {"email": email, "reason": "invalid_credentials"}),
        ("auth.login", user_id, {}),
    ]
    registered = events[-1]
    assert registered["request_id"] == "audit-register-1"
    assert registered["ip"] == "127.0.0.1" and registered["target_type"] == "user"
    failed = await audit_events(client, admin, action="auth.login_failed", since=before_ghost)
    ghosts = [e for e in failed if e["details"].get("email") == ghost]
    assert [(e["actor_id"], e["target_id"]) for e in ghosts] == [(None, None)]
    async with app.state.runtime.sessions() as session:
        password_hash = await session.scalar(
            select(User.password_hash).where(User.id == uuid.UUID(user_id))
        )
    assert password_hash
    assert_no_secrets(
        events + ghosts,
        PASSWORD,
        wrong_password,
        password_hash,
        tokens["access_token"],
        tokens["refresh_token"],
    )


async def test_admin_account_changes_are_audited(client: AsyncClient, app: FastAPI) -> None:
    superadmin = await make_admin(client, app)
    user = await register(client, "managed")
    since = now()

    async def patch(body: dict[str, Any]) -> None:
        response = await client.patch(
            f"{API}/admin/users/{user.id}", json=body, headers=superadmin.headers
        )
        assert response.status_code == 200, response.text

    await patch({"is_active": False})
    await patch({"is_active": False})  # no change: no event
    refused = await client.post(
        f"{API}/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert_error(refused, 401, "account_disabled")
    await patch({"is_active": True, "role": "admin"})
    events = await audit_events(client, superadmin, target_id=user.id, since=since)
    assert summary(events) == [
        ("user.disable", superadmin.id, {}),
        ("auth.login_failed", None, {"email": user.email, "reason": "account_disabled"}),
        ("user.role", superadmin.id, {"from": "user", "to": "admin"}),
        ("user.enable", superadmin.id, {}),
    ]
    assert {e["team_id"] for e in events} == {user.personal_team_id}


async def test_team_membership_changes_are_audited(client: AsyncClient, app: FastAPI) -> None:
    admin = await make_admin(client, app)
    owner, member = await register(client, "owner"), await register(client, "member")
    team = await client.post(f"{API}/teams", json={"name": "Audited"}, headers=owner.headers)
    team_id = team.json()["id"]
    members = f"{API}/teams/{team_id}/members"

    async def call(method: str, url: str, actor: Account, body: Any = None) -> None:
        response = await client.request(method, url, json=body, headers=actor.headers)
        assert response.status_code in (200, 201, 204), response.text

    await call("POST", members, owner, {"email": member.email, "role": "member"})
    await call("PATCH", f"{members}/{member.id}", owner, {"role": "admin"})
    await call("DELETE", f"{members}/{member.id}", owner)
    await call("POST", members, owner, {"email": member.email, "role": "viewer"})
    await call("POST", f"{API}/teams/{team_id}/leave", member)
    events = await audit_events(client, admin, team=team_id)
    assert summary(events) == [
        ("team.member_add", owner.id, {"role": "member"}),
        ("team.member_role", owner.id, {"from": "member", "to": "admin"}),
        ("team.member_remove", owner.id, {"role": "admin"}),
        ("team.member_add", owner.id, {"role": "viewer"}),
        ("team.member_leave", member.id, {"role": "viewer"}),
    ]
    assert {(e["target_type"], e["target_id"]) for e in events} == {("user", member.id)}


async def test_dataset_sharing_unmasking_and_deletions_are_audited(
    client: AsyncClient, app: FastAPI
) -> None:
    admin = await make_admin(client, app)
    owner, reader = await register(client, "owner"), await register(client, "reader")
    since = now()
    dataset = await upload_ready(client, owner, PII_CSV, "people.csv")
    base = f"{API}/datasets/{dataset['id']}"
    for role in ("viewer", "editor"):
        shared = await client.post(
            f"{base}/share", json={"email": reader.email, "role": role}, headers=owner.headers
        )
        assert shared.status_code == 201, shared.text
    share_id = shared.json()["id"]
    refused = await client.get(f"{base}/sample", params={"unmask": "true"}, headers=reader.headers)
    assert_error(refused, 403)
    unmasked = await client.get(f"{base}/sample", params={"unmask": "true"}, headers=owner.headers)
    assert "ada.lovelace@example.org" in unmasked.text
    removed = await client.delete(f"{base}/share/{share_id}", headers=owner.headers)
    assert removed.status_code == 204
    conversation = await client.post(
        f"{API}/conversations", json={"dataset_id": dataset["id"]}, headers=owner.headers
    )
    conversation_id = conversation.json()["id"]
    report = await client.post(
        f"{API}/reports/generate", json={"conversation_id": conversation_id}, headers=owner.headers
    )
    report_id = report.json()["id"]
    for url in (f"{API}/reports/{report_id}", f"{API}/conversations/{conversation_id}", base):
        assert (await client.delete(url, headers=owner.headers)).status_code == 204

    events = await audit_events(client, admin, team=owner.personal_team_id, since=since)
    grantee = {"user_id": reader.id, "team_id": None}
    assert summary(events) == [
        ("dataset.share", owner.id, {**grantee, "role": "viewer", "previous_role": None}),
        ("dataset.share", owner.id, {**grantee, "role": "editor", "previous_role": "viewer"}),
        ("dataset.unmask", owner.id, {"version": 1, "limit": 100, "offset": 0}),
        ("dataset.unshare", owner.id, {**grantee, "role": "editor", "share_id": share_id}),
        ("report.delete", owner.id, {"title": "About people", "dataset_id": dataset["id"]}),
        ("conversation.delete", owner.id, {"dataset_id": dataset["id"]}),
        ("dataset.delete", owner.id, {"name": "people", "owner_id": owner.id}),
    ]
    targets = [(e["target_type"], e["target_id"]) for e in reversed(events)]
    assert targets[-3:] == [
        ("report", report_id),
        ("conversation", conversation_id),
        ("dataset", dataset["id"]),
    ]
    assert_no_secrets(events, "ada.lovelace@example.org", "alan.t@example.org")
