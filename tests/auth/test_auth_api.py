"""Register, login, me, refresh rotation and reuse, logout, bad tokens, rate limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
from httpx import AsyncClient

from chatdata.config import Settings
from tests.support import PASSWORD, assert_error, register, unique_email

API = "/api/v1"


async def test_register_login_me(client: AsyncClient) -> None:
    email = unique_email("alice")
    created = await client.post(
        f"{API}/auth/register", json={"email": email, "username": "Alice", "password": PASSWORD}
    )
    assert created.status_code == 201
    user = created.json()
    assert user["email"] == email and user["role"] == "user" and user["is_active"] is True
    assert "password_hash" not in user and "password" not in user

    login = await client.post(f"{API}/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200
    tokens = login.json()
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 15 * 60
    me = await client.get(
        f"{API}/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["id"] == user["id"]


async def test_register_creates_personal_team(client: AsyncClient) -> None:
    account = await register(client, "owner")
    teams = await client.get(f"{API}/teams", headers=account.headers)
    assert teams.status_code == 200
    [team] = teams.json()
    assert team["id"] == account.personal_team_id
    assert team["is_personal"] is True and team["my_role"] == "owner"


async def test_email_is_case_insensitive_and_unique(client: AsyncClient) -> None:
    email = unique_email("dup")
    body = {"email": email, "username": "x", "password": PASSWORD}
    assert (await client.post(f"{API}/auth/register", json=body)).status_code == 201
    again = await client.post(f"{API}/auth/register", json={**body, "email": email.upper()})
    assert_error(again, 409, "email_taken")
    login = await client.post(
        f"{API}/auth/login", json={"email": email.upper(), "password": PASSWORD}
    )
    assert login.status_code == 200


async def test_password_policy_message(client: AsyncClient) -> None:
    response = await client.post(
        f"{API}/auth/register",
        json={"email": unique_email(), "username": "weak", "password": "short"},
    )
    error = assert_error(response, 422, "weak_password")
    assert "at least 10 characters" in str(error["message"])
    assert "at least one digit" in str(error["message"])


async def test_wrong_password_and_unknown_user(client: AsyncClient) -> None:
    account = await register(client)
    wrong = await client.post(
        f"{API}/auth/login", json={"email": account.email, "password": "nope-nope-1"}
    )
    assert_error(wrong, 401, "invalid_credentials")
    unknown = await client.post(
        f"{API}/auth/login", json={"email": unique_email("ghost"), "password": PASSWORD}
    )
    error = assert_error(unknown, 401, "invalid_credentials")
    assert error["message"] == "Wrong email or password."


async def test_refresh_rotates_and_detects_reuse(client: AsyncClient) -> None:
    account = await register(client)
    first = await client.post(f"{API}/auth/refresh", json={"refresh_token": account.refresh_token})
    assert first.status_code == 200
    rotated = first.json()
    assert rotated["refresh_token"] != account.refresh_token
    # The new access token works.
    me = await client.get(
        f"{API}/auth/me", headers={"Authorization": f"Bearer {rotated['access_token']}"}
    )
    assert me.status_code == 200
    # Presenting the consumed token again is reuse: 401, and the whole family is revoked.
    reuse = await client.post(f"{API}/auth/refresh", json={"refresh_token": account.refresh_token})
    assert_error(reuse, 401, "token_reused")
    after = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": rotated["refresh_token"]}
    )
    assert_error(after, 401, "invalid_token")


async def test_logout_revokes_refresh_token(client: AsyncClient) -> None:
    account = await register(client)
    out = await client.post(f"{API}/auth/logout", json={"refresh_token": account.refresh_token})
    assert out.status_code == 204
    again = await client.post(f"{API}/auth/refresh", json={"refresh_token": account.refresh_token})
    assert_error(again, 401, "invalid_token")


async def test_garbage_refresh_token(client: AsyncClient) -> None:
    response = await client.post(f"{API}/auth/refresh", json={"refresh_token": "not-a-token"})
    assert_error(response, 401, "invalid_token")


async def test_missing_expired_and_forged_access_tokens(
    client: AsyncClient, settings: Settings
) -> None:
    account = await register(client)
    assert_error(await client.get(f"{API}/auth/me"), 401, "unauthorized")
    secret = settings.jwt_secret_value()
    past = datetime.now(UTC) - timedelta(minutes=5)
    expired = jwt.encode(
        {
            "sub": account.id,
            "role": "user",
            "type": "access",
            "iat": past - timedelta(minutes=15),
            "exp": past,
        },
        secret,
        algorithm="HS256",
    )
    response = await client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {expired}"})
    assert_error(response, 401, "token_expired")
    forged = jwt.encode(
        {
            "sub": account.id,
            "role": "superadmin",
            "type": "access",
            "exp": datetime.now(UTC) + timedelta(minutes=5),
        },
        "someone-elses-secret",
        algorithm="HS256",
    )
    response = await client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {forged}"})
    assert_error(response, 401, "invalid_token")
    unsigned = jwt.encode(
        {"sub": account.id, "type": "access", "exp": datetime.now(UTC) + timedelta(minutes=5)},
        key=None,  # type: ignore[arg-type]
        algorithm="none",
    )
    response = await client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {unsigned}"})
    assert_error(response, 401, "invalid_token")
    # A refresh token is not an access token.
    response = await client.get(
        f"{API}/auth/me", headers={"Authorization": f"Bearer {account.refresh_token}"}
    )
    assert_error(response, 401, "invalid_token")
