"""`GET /datasets` stays cheap (it is the load benchmark's list endpoint): its page and total
come from one query, and access needs no query when the caller owns the whole page; the
totals stay right past the end of the list, on an empty one and per scope."""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from tests.datasets.api_helpers import API, upload_ready
from tests.support import Account, recorded_statements, register

CSV = b"region,amount\nnorth,1\nsouth,2\n"


def statements(app: FastAPI) -> AbstractContextManager[list[str]]:
    """SQL statements on the users and datasets tables while the block runs."""
    return recorded_statements(app, lambda sql: "users" in sql or "datasets" in sql)


async def listed(client: AsyncClient, who: Account, **params: Any) -> dict[str, Any]:
    """The list answer (asserting 200)."""
    response = await client.get(f"{API}/datasets", params=params, headers=who.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_owner_list_is_one_statement(client: AsyncClient, app: FastAPI) -> None:
    owner = await register(client, "lister")
    tag = uuid.uuid4().hex[:8]
    for name in ("a", "b", "c"):
        await upload_ready(client, owner, CSV, f"{name}-{tag}.csv")
    with statements(app) as seen:
        body = await listed(client, owner, q=tag)
    assert body["total"] == 3 and {d["my_access"] for d in body["items"]} == {"manage"}
    assert len(seen) == 1, seen  # the page with its total; the caller is in the user cache


async def test_shared_dataset_on_the_page_costs_the_access_queries(
    client: AsyncClient, app: FastAPI
) -> None:
    owner, friend = await register(client, "own"), await register(client, "friend")
    tag = uuid.uuid4().hex[:8]
    mine = await upload_ready(client, owner, CSV, f"mine-{tag}.csv")
    theirs = await upload_ready(client, friend, CSV, f"theirs-{tag}.csv")
    shared = await client.post(
        f"{API}/datasets/{theirs['id']}/share",
        json={"email": owner.email, "role": "editor"},
        headers=friend.headers,
    )
    assert shared.status_code in (200, 201), shared.text
    with statements(app) as seen:
        body = await listed(client, owner, q=tag)
    access = {d["id"]: d["my_access"] for d in body["items"]}
    assert access == {mine["id"]: "manage", theirs["id"]: "edit"}
    assert len(seen) <= 4, seen


async def test_totals_past_the_end_and_when_empty(client: AsyncClient) -> None:
    owner = await register(client, "pager")
    tag = uuid.uuid4().hex[:8]
    assert await listed(client, owner, q=tag) == {"items": [], "total": 0, "limit": 50, "offset": 0}
    for name in ("a", "b", "c"):
        await upload_ready(client, owner, CSV, f"{name}-{tag}.csv")
    past = await listed(client, owner, q=tag, limit=2, offset=10)
    assert past["items"] == [] and past["total"] == 3
    last = await listed(client, owner, q=tag, limit=2, offset=2, sort="name")
    assert [d["name"] for d in last["items"]] == [f"c-{tag}"] and last["total"] == 3


async def test_team_scope_leaves_out_the_personal_workspace(client: AsyncClient) -> None:
    owner, member = await register(client, "teamowner"), await register(client, "member")
    tag = uuid.uuid4().hex[:8]
    team = (await client.post(f"{API}/teams", json={"name": tag}, headers=owner.headers)).json()
    added = await client.post(
        f"{API}/teams/{team['id']}/members",
        json={"email": member.email, "role": "member"},
        headers=owner.headers,
    )
    assert added.status_code in (200, 201), added.text
    in_team = await upload_ready(
        client, owner, CSV, f"team-{tag}.csv", data={"team_id": team["id"]}
    )
    await upload_ready(client, member, CSV, f"personal-{tag}.csv")
    for who in (owner, member):
        body = await listed(client, who, q=tag, scope="team")
        assert [d["id"] for d in body["items"]] == [in_team["id"]] and body["total"] == 1
    assert (await listed(client, member, q=tag))["total"] == 2
