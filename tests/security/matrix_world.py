"""The objects the isolation matrix calls routes on, built once per module through the API.

Every actor of `matrix_policy.ACTORS` is a real account; every object variant of the policy
table exists (datasets private/shared/team/public, conversations, a proposal and an
artifact in each, succeeded tasks, reports, a team). Builders make fresh objects for the
destructive cells. Only the admin promotion, the artifact file and the proposal (which the
analyst makes mid-turn) are set up below the API, with the app's own session and store.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy import update

from chatdata.auth.models import User
from chatdata.chat.kernels import artifact_key
from chatdata.chat.models import Conversation
from chatdata.chat.proposals import create_proposal
from chatdata.runtime import Runtime
from tests.datasets.api_helpers import upload_ready
from tests.security.matrix_policy import API, CREATORS, SIGNED_IN, TEAM_ROLES, Probe
from tests.support import Account, register

CSV = b"region,amount,email\nNorth,10,ada@example.com\nSouth,20,bob@example.com\n"
ARTIFACT = "matrix.csv"
HELPERS = ("bystander", "outsider", "extra_owner")


@dataclass
class World:
    """Accounts, base object ids per (kind, variant), and the builders of fresh objects."""

    client: AsyncClient
    app: FastAPI
    token: str
    users: dict[str, Account] = field(default_factory=dict)
    ids: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    @property
    def runtime(self) -> Runtime:
        """The app's runtime (sessions and store)."""
        runtime: Runtime = self.app.state.runtime
        return runtime

    def headers(self, actor: str) -> dict[str, str]:
        """The actor's Authorization header (none when anonymous)."""
        return {} if actor == "anonymous" else self.users[actor].headers

    async def call(self, actor: str, method: str, url: str, **kwargs: Any) -> Response:
        """One API request as `actor`."""
        return await self.client.request(method, API + url, headers=self.headers(actor), **kwargs)

    async def ok(self, actor: str, method: str, url: str, status: int, **kwargs: Any) -> Any:
        """A setup request that must answer `status`; its JSON body (None when empty)."""
        response = await self.call(actor, method, url, **kwargs)
        assert response.status_code == status, (method, url, response.text)
        return response.json() if response.content else None

    async def send(self, probe: Probe, actor: str, ids: dict[str, Any]) -> Response:
        """The probe's request, with a valid body, as `actor` on the object `ids`."""
        url = probe.route.format(**ids)
        params = dict(probe.query)
        if probe.upload:
            params["team_id"] = ids["team_id"]
            files = {"file": ("matrix.csv", CSV, "text/csv")}
            return await self.call(actor, probe.method, url, params=params, files=files)
        body = probe.body(ids) if probe.body else None
        return await self.call(actor, probe.method, url, params=params, json=body)

    # --- fresh objects ---------------------------------------------------------------------
    async def fresh(self, builder: str, kind: str, variant: str) -> dict[str, Any]:
        """The base ids of (kind, variant) with one new object from `builder`."""
        ids = dict(self.ids[(kind, variant)])
        if builder == "dataset":
            ids["dataset_id"] = await self.new_dataset(variant)
        elif builder == "share":
            ids["share_id"] = await self.new_share(ids["dataset_id"], "outsider")
        elif builder == "conversation":
            ids["conversation_id"] = await self.new_conversation(variant)
        elif builder == "proposal":
            ids["proposal_id"] = await self.new_proposal(ids["conversation_id"])
        elif builder == "report":
            ids["report_id"] = await self.new_report(variant)
        elif builder == "team":
            ids["team_id"] = await self.new_team(extra_owner=True)
        else:
            raise AssertionError(f"unknown builder {builder}")
        return ids

    async def new_dataset(self, variant: str) -> str:
        """A ready dataset of the owner in the variant's state (shares, team, public)."""
        params = {"team_id": self.ids[("team", "team")]["team_id"]} if variant == "team" else {}
        detail = await upload_ready(
            self.client, self.users["owner"], CSV, f"{self.token}-{variant}.csv", params=params
        )
        dataset_id = str(detail["id"])
        if variant == "shared":
            for actor, role in (
                ("sharee_viewer", "viewer"),
                ("sharee_editor", "editor"),
                ("disabled", "editor"),
            ):
                await self.new_share(dataset_id, actor, role)
            team_share = {"team_id": self.ids[("team", "team")]["team_id"], "role": "viewer"}
            await self.ok("owner", "POST", f"/datasets/{dataset_id}/share", 201, json=team_share)
        if variant == "public":
            await self.ok("owner", "PUT", f"/datasets/{dataset_id}", 200, json={"is_public": True})
        return dataset_id

    async def new_share(self, dataset_id: str, actor: str, role: str = "viewer") -> str:
        """Share the dataset with an account (by the owner); the share id."""
        body = {"email": self.users[actor].email, "role": role}
        share = await self.ok("owner", "POST", f"/datasets/{dataset_id}/share", 201, json=body)
        return str(share["id"])

    async def new_conversation(self, variant: str) -> str:
        """A conversation by the variant's creator on its dataset."""
        creator = CREATORS["conversation"][variant]
        dataset_variant = {"private": "private", "team": "team", "viewer": "shared"}[variant]
        dataset_id = self.ids[("dataset", dataset_variant)]["dataset_id"]
        body = {"dataset_id": dataset_id, "title": f"matrix {variant}"}
        created = await self.ok(creator, "POST", "/conversations", 201, json=body)
        return str(created["id"])

    async def new_proposal(self, conversation_id: str) -> str:
        """A pending proposed version in the conversation (as the analyst would make one)."""
        runtime = self.runtime
        async with runtime.sessions() as session:
            conversation = await session.get(Conversation, uuid.UUID(conversation_id))
            assert conversation is not None
            key = artifact_key(conversation, ARTIFACT)
            await asyncio.to_thread(runtime.store.put_bytes, key, CSV)
            arguments = {"path": f"/work/out/{ARTIFACT}", "title": "matrix proposal"}
            proposal = await create_proposal(session, runtime.store, conversation, arguments, None)
            await session.commit()
        return str(proposal.id)

    async def new_report(self, variant: str) -> str:
        """A report by the variant's creator (public when the variant is)."""
        creator = CREATORS["report"][variant]
        conv_variant = "private" if variant == "public" else variant
        conversation_id = self.ids[("conversation", conv_variant)]["conversation_id"]
        body = {"conversation_id": conversation_id}
        report = await self.ok(creator, "POST", "/reports/generate", 201, json=body)
        if variant == "public":
            url = f"/reports/{report['id']}"
            await self.ok(creator, "PUT", url, 200, json={"is_public": True})
        return str(report["id"])

    async def new_team(self, *, extra_owner: bool = False) -> str:
        """A team of the team owner with every team role, the bystander as a plain member,
        and (for fresh teams) a second owner so the team owner may leave."""
        team = await self.ok("team_owner", "POST", "/teams", 201, json={"name": "Matrix"})
        members = dict(TEAM_ROLES) | {"bystander": "member"}
        if extra_owner:
            members |= {"extra_owner": "owner"}
        for actor, role in members.items():
            if role == "owner" and actor == "team_owner":
                continue
            body = {"email": self.users[actor].email, "role": role}
            await self.ok("team_owner", "POST", f"/teams/{team['id']}/members", 201, json=body)
        return str(team["id"])


async def build_world(client: AsyncClient, app: FastAPI) -> World:
    """Every account and base object of the matrix."""
    world = World(client, app, "m" + uuid.uuid4().hex[:8])
    names = (*SIGNED_IN, "disabled", *HELPERS)
    accounts = await asyncio.gather(*(register(client, f"matrix-{n}") for n in names))
    world.users = dict(zip(names, accounts, strict=True))
    await _promote(world, "admin", "admin")
    common = {
        "bystander_email": world.users["bystander"].email,
        "outsider_email": world.users["outsider"].email,
    }
    team_id = await world.new_team()
    world.ids[("team", "team")] = common | {
        "team_id": team_id,
        "member_id": world.users["bystander"].id,
    }
    world.ids[("user", "user")] = common | {"user_id": world.users["bystander"].id}
    await _datasets(world, common)
    await _conversations(world)
    await _tasks(world)
    for variant in CREATORS["report"]:
        world.ids[("report", variant)] = {"report_id": await world.new_report(variant)}
    disabled = world.users["disabled"].id
    await world.ok("admin", "PATCH", f"/admin/users/{disabled}", 200, json={"is_active": False})
    return world


async def _promote(world: World, actor: str, role: str) -> None:
    async with world.runtime.sessions() as session:
        user_id = uuid.UUID(world.users[actor].id)
        await session.execute(update(User).where(User.id == user_id).values(role=role))
        await session.commit()


async def _datasets(world: World, common: dict[str, Any]) -> None:
    for variant in ("private", "shared", "team", "public"):
        dataset_id = await world.new_dataset(variant)
        world.ids[("dataset", variant)] = common | {
            "dataset_id": dataset_id,
            "share_id": await world.new_share(dataset_id, "bystander"),
            "public": variant == "public",
        }
    public_id = world.ids[("dataset", "public")]["dataset_id"]
    for ids in list(world.ids.values()):
        if "dataset_id" in ids:
            ids["public_dataset_id"] = public_id


async def _conversations(world: World) -> None:
    for variant in CREATORS["conversation"]:
        conversation_id = await world.new_conversation(variant)
        world.ids[("conversation", variant)] = {
            "conversation_id": conversation_id,
            "proposal_id": await world.new_proposal(conversation_id),
            "name": ARTIFACT,
        }


async def _tasks(world: World) -> None:
    started = {}
    for variant, creator in CREATORS["task"].items():
        dataset_variant = {"private": "private", "team": "team", "viewer": "shared"}[variant]
        body = {
            "task_type": "describe",
            "dataset_id": world.ids[("dataset", dataset_variant)]["dataset_id"],
        }
        task = await world.ok(creator, "POST", "/tasks", 201, json=body)
        started[variant] = (creator, str(task["id"]))
    for variant, (creator, task_id) in started.items():
        await _wait_task(world, creator, task_id)
        world.ids[("task", variant)] = {"task_id": task_id}


async def _wait_task(world: World, actor: str, task_id: str, timeout: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        task = await world.ok(actor, "GET", f"/tasks/{task_id}", 200)
        if task["status"] == "succeeded":
            return
        assert task["status"] in {"pending", "running"}, task
        assert asyncio.get_running_loop().time() < deadline, task
        await asyncio.sleep(0.05)
