"""Team membership rules: who may see, rename and manage teams and members."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.support import Account, assert_error, register

API = "/api/v1"


async def make_team(client: AsyncClient, owner: Account, name: str = "Analytics") -> dict[str, Any]:
    response = await client.post(f"{API}/teams", json={"name": name}, headers=owner.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def add(client: AsyncClient, actor: Account, team_id: str, who: Account, role: str) -> Any:
    return await client.post(
        f"{API}/teams/{team_id}/members",
        json={"email": who.email, "role": role},
        headers=actor.headers,
    )


async def test_owner_adds_members_with_roles(client: AsyncClient) -> None:
    owner, member, viewer = (
        await register(client, "o"),
        await register(client, "m"),
        await register(client, "v"),
    )
    team = await make_team(client, owner)
    assert team["my_role"] == "owner" and team["is_personal"] is False
    assert (await add(client, owner, team["id"], member, "member")).status_code == 201
    response = await add(client, owner, team["id"], viewer, "viewer")
    assert response.status_code == 201
    roles = {m["email"]: m["role"] for m in response.json()["members"]}
    assert roles == {owner.email: "owner", member.email: "member", viewer.email: "viewer"}
    # Members see the team with their own role.
    seen = await client.get(f"{API}/teams/{team['id']}", headers=viewer.headers)
    assert seen.status_code == 200 and seen.json()["my_role"] == "viewer"
    mine = await client.get(f"{API}/teams", headers=member.headers)
    assert team["id"] in {t["id"] for t in mine.json()}


async def test_viewer_and_member_cannot_manage(client: AsyncClient) -> None:
    owner, viewer, member, other = [await register(client, n) for n in "ovmx"]
    team = await make_team(client, owner)
    await add(client, owner, team["id"], viewer, "viewer")
    await add(client, owner, team["id"], member, "member")
    assert_error(await add(client, viewer, team["id"], other, "member"), 403, "forbidden")
    assert_error(await add(client, member, team["id"], other, "member"), 403, "forbidden")
    rename = await client.patch(
        f"{API}/teams/{team['id']}", json={"name": "X"}, headers=viewer.headers
    )
    assert_error(rename, 403)


async def test_stranger_gets_404(client: AsyncClient) -> None:
    owner, stranger = await register(client, "o"), await register(client, "s")
    team = await make_team(client, owner)
    for response in (
        await client.get(f"{API}/teams/{team['id']}", headers=stranger.headers),
        await client.patch(
            f"{API}/teams/{team['id']}", json={"name": "mine"}, headers=stranger.headers
        ),
        await add(client, stranger, team["id"], stranger, "owner"),
        await client.post(f"{API}/teams/{team['id']}/leave", headers=stranger.headers),
        await client.delete(
            f"{API}/teams/{team['id']}/members/{owner.id}", headers=stranger.headers
        ),
        await client.get(f"{API}/teams/{owner.personal_team_id}", headers=stranger.headers),
    ):
        error = assert_error(response, 404, "not_found")
        assert error["message"] == "Team not found."


async def test_admin_cannot_grant_owner_and_last_owner_stays(client: AsyncClient) -> None:
    owner, admin, member = (
        await register(client, "o"),
        await register(client, "a"),
        await register(client, "m"),
    )
    team = await make_team(client, owner)
    await add(client, owner, team["id"], admin, "admin")
    assert_error(await add(client, admin, team["id"], member, "owner"), 403)
    assert (await add(client, admin, team["id"], member, "member")).status_code == 201
    # Admin may change a member's role but not demote the owner.
    promote = await client.patch(
        f"{API}/teams/{team['id']}/members/{member.id}",
        json={"role": "viewer"},
        headers=admin.headers,
    )
    assert promote.status_code == 200
    demote_owner = await client.patch(
        f"{API}/teams/{team['id']}/members/{owner.id}",
        json={"role": "member"},
        headers=admin.headers,
    )
    assert_error(demote_owner, 403)
    # The last owner can neither leave nor be demoted by themself.
    assert_error(await client.post(f"{API}/teams/{team['id']}/leave", headers=owner.headers), 409)
    self_demote = await client.patch(
        f"{API}/teams/{team['id']}/members/{owner.id}",
        json={"role": "member"},
        headers=owner.headers,
    )
    assert_error(self_demote, 409)


async def test_remove_and_leave(client: AsyncClient) -> None:
    owner, member, viewer = (
        await register(client, "o"),
        await register(client, "m"),
        await register(client, "v"),
    )
    team = await make_team(client, owner)
    await add(client, owner, team["id"], member, "member")
    await add(client, owner, team["id"], viewer, "viewer")
    removed = await client.delete(
        f"{API}/teams/{team['id']}/members/{member.id}", headers=owner.headers
    )
    assert removed.status_code == 204
    assert_error(await client.get(f"{API}/teams/{team['id']}", headers=member.headers), 404)
    left = await client.post(f"{API}/teams/{team['id']}/leave", headers=viewer.headers)
    assert left.status_code == 204
    assert_error(await client.get(f"{API}/teams/{team['id']}", headers=viewer.headers), 404)


async def test_personal_team_has_no_members(client: AsyncClient) -> None:
    owner, other = await register(client, "o"), await register(client, "x")
    assert_error(
        await add(client, owner, owner.personal_team_id, other, "member"), 409, "personal_team"
    )
    assert_error(
        await client.post(f"{API}/teams/{owner.personal_team_id}/leave", headers=owner.headers),
        409,
        "personal_team",
    )


async def test_unknown_email_and_duplicate_member(client: AsyncClient) -> None:
    owner, member = await register(client, "o"), await register(client, "m")
    team = await make_team(client, owner)
    ghost = await client.post(
        f"{API}/teams/{team['id']}/members",
        json={"email": "ghost@example.com"},
        headers=owner.headers,
    )
    assert_error(ghost, 404, "user_not_found")
    await add(client, owner, team["id"], member, "member")
    assert_error(await add(client, owner, team["id"], member, "viewer"), 409)
