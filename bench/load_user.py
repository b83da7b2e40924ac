"""One simulated person of `bench.load`: their HTTP client and the requests they make (sign
up, upload, wait for ingest, list, chat over SSE), each timed into a `Stats`."""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.common import PASSWORD
from bench.load_model import CELL_MARK
from bench.load_stats import Stats

API = "/api/v1"


@dataclass
class User:
    """One simulated person: their HTTP client, token, dataset and conversation."""

    number: int
    client: httpx.AsyncClient
    headers: dict[str, str] = field(default_factory=dict)
    dataset_id: str = ""
    conversation_id: str = ""
    rounds: int = 0
    uploads: int = 0
    next_slot: float = 0.0


async def call(
    user: User,
    stats: Stats,
    name: str,
    method: str,
    path: str,
    expect: int,
    since: float | None = None,
    **kwargs: Any,
) -> httpx.Response | None:
    """One timed request (from `since`, its scheduled time, when given); a transport failure
    or an unexpected status counts as an error."""
    started = time.perf_counter() if since is None else since
    try:
        response = await user.client.request(method, path, headers=user.headers, **kwargs)
    except httpx.HTTPError as exc:
        stats.error(name, type(exc).__name__)
        return None
    stats.record(name, time.perf_counter() - started)
    if response.status_code != expect:
        stats.error(name, f"HTTP {response.status_code} {error_code(response)}")
        return None
    return response


def error_code(response: httpx.Response) -> str:
    """The `error.code` of an error response, if it has the one error shape."""
    try:
        return str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return "(not the error shape)"


def small_csv(user: int, number: int) -> bytes:
    """A 200-row CSV, different for every upload."""
    rows = (f"r{(i + number) % 5},{i * user % 997}.5,{i % 2 == 0}\n" for i in range(200))
    return b"region,amount,flag\n" + "".join(rows).encode()


async def sign_up(user: User, stats: Stats) -> bool:
    """Register and sign in; keeps the bearer header on the user."""
    email = f"load{user.number}@example.com"
    body = {"email": email, "username": f"load{user.number}", "password": PASSWORD}
    if (
        await call(
            user, stats, "POST /auth/register", "POST", f"{API}/auth/register", 201, json=body
        )
        is None
    ):
        return False
    login = {"email": email, "password": PASSWORD}
    response = await call(
        user, stats, "POST /auth/login", "POST", f"{API}/auth/login", 200, json=login
    )
    if response is None:
        return False
    user.headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
    return True


async def upload(user: User, stats: Stats) -> str | None:
    """Upload a small CSV; the new dataset's id."""
    user.uploads += 1
    name = f"u{user.number}-{user.uploads}.csv"
    files = {"file": (name, small_csv(user.number, user.uploads))}
    response = await call(
        user, stats, "POST /datasets/upload", "POST", f"{API}/datasets/upload", 202, files=files
    )
    return None if response is None else str(response.json()["id"])


async def wait_ready(user: User, stats: Stats, dataset_id: str) -> bool:
    """Poll the dataset until it is ready (False when it failed or a request did)."""
    while True:
        path = f"{API}/datasets/{dataset_id}"
        response = await call(user, stats, "GET /datasets/{id}", "GET", path, 200)
        status = None if response is None else response.json()["status"]
        if status != "processing":
            if status == "failed":
                stats.error("ingest", "dataset failed")
            return status == "ready"
        await asyncio.sleep(0.5)


async def start_user(user: User, stats: Stats) -> bool:
    """Sign up, upload a first dataset, wait for it, open a conversation about it."""
    if not await sign_up(user, stats):
        return False
    dataset_id = await upload(user, stats)
    if dataset_id is None or not await wait_ready(user, stats, dataset_id):
        return False
    body = {"dataset_id": dataset_id}
    response = await call(
        user, stats, "POST /conversations", "POST", f"{API}/conversations", 201, json=body
    )
    if response is None:
        return False
    user.dataset_id, user.conversation_id = dataset_id, str(response.json()["id"])
    return True


async def list_datasets(user: User, stats: Stats, since: float | None = None) -> None:
    """`GET /datasets` (the authenticated list endpoint)."""
    response = await call(user, stats, "GET /datasets", "GET", f"{API}/datasets", 200, since)
    if response is not None:
        stats.list_items.append(len(response.json()["items"]))


async def health(user: User, stats: Stats) -> None:
    """`GET /health` (unauthenticated, one `SELECT 1`): the baseline."""
    await call(user, stats, "GET /health", "GET", f"{API}/health", 200)


async def chat(user: User, stats: Stats, with_cell: bool) -> None:
    """One streamed chat turn; times the first SSE event and the whole turn."""
    question = f"Total amount by region, turn {user.rounds}" + (
        f" {CELL_MARK}" if with_cell else ""
    )
    name = "POST /chat (with a cell)" if with_cell else "POST /chat (text)"
    path = f"{API}/conversations/{user.conversation_id}/chat"
    headers = {**user.headers, "Accept": "text/event-stream"}
    started = time.perf_counter()
    try:
        async with user.client.stream(
            "POST", path, json={"message": question}, params={"no_cache": "true"}, headers=headers
        ) as response:
            if response.status_code != 200:
                await response.aread()
                stats.error(name, f"HTTP {response.status_code} {error_code(response)}")
                return
            await read_events(response, stats, name, started)
    except httpx.HTTPError as exc:
        stats.error(name, type(exc).__name__)
        return
    stats.record(name, time.perf_counter() - started)


async def read_events(response: httpx.Response, stats: Stats, name: str, started: float) -> None:
    """Read SSE lines to `done`; an `error` event or a stream without `done` is an error."""
    first = True
    async for line in response.aiter_lines():
        if not line.startswith("event:"):
            continue
        if first:
            stats.record("chat: first SSE event", time.perf_counter() - started)
            first = False
        event = line.removeprefix("event:").strip()
        if event == "error":
            stats.error(name, "SSE error event")
        if event == "done":
            return
    stats.error(name, "stream ended without done")


async def mixed_round(user: User, stats: Stats, args: argparse.Namespace) -> None:
    """List, sometimes upload, chat (sometimes with a cell)."""
    user.rounds += 1
    await list_datasets(user, stats)
    if user.rounds % args.upload_every == 0:
        await upload(user, stats)
    await chat(user, stats, with_cell=user.rounds % args.cell_every == 0)


Action = Callable[[User, Stats], Awaitable[None]]
Setup = Callable[[User, Stats], Awaitable[bool]]


def paced_list(rate: float, users: int) -> Action:
    """`GET /datasets` from every user on a fixed schedule, `rate` requests/s in all (open
    loop). Latency counts from the scheduled time, so a server that falls behind shows its
    backlog instead of slowing the clients down (no coordinated omission)."""
    interval = users / rate

    async def action(user: User, stats: Stats) -> None:
        now = time.perf_counter()
        if not user.next_slot:
            user.next_slot = now + interval * user.number / users
        if user.next_slot > now:
            await asyncio.sleep(user.next_slot - now)
        scheduled, user.next_slot = user.next_slot, user.next_slot + interval
        await list_datasets(user, stats, since=scheduled)

    return action
