"""The isolation matrix: every route that takes an object id, called by every kind of actor
on every kind of object, answers what the one declared policy table says.

The route table is walked from the app, so a new route fails `test_every_route_is_declared`
until it is declared in `matrix_policy` (with its probe) or exempted with a reason. Objects
are built once per module; destructive cells run last, each allowed one on a fresh object.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from httpx import ASGITransport, AsyncClient, Response

from chatdata.app import create_app
from tests.conftest import make_settings
from tests.security.matrix_policy import (
    ACTORS,
    API,
    EXEMPT,
    LISTS,
    PROBES,
    SIGNED_OUT,
    ListCheck,
    Probe,
    expected_status,
    listed_variants,
    variants,
)
from tests.security.matrix_world import World, build_world

# The error code each refusal carries (a disabled account is told so); 409 is the one
# success of the table (cancelling a task that already finished).
CODES = {401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "task_finished"}


@pytest.fixture(scope="module")
async def matrix_app(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[FastAPI]:
    """An app of its own (the chat rate limit would otherwise count the matrix's turns)."""
    settings = make_settings(
        tmp_path_factory.mktemp("matrix"), database_url, chat_rate_per_minute=1000
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture(scope="module")
async def world(matrix_app: FastAPI) -> AsyncIterator[World]:
    """Every actor and base object, shared by the module's tests."""
    transport = ASGITransport(app=matrix_app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://testserver", timeout=120) as http:
        yield await build_world(http, matrix_app)


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves (HEAD aside)."""
    routes = set()
    for context in iter_route_contexts(app.routes):
        for method in getattr(context, "methods", None) or ():
            if method != "HEAD":
                routes.add((method, str(context.path)))
    return routes


def test_every_route_is_declared(matrix_app: FastAPI) -> None:
    """Routes with an id are probed; the others are probed, listed or exempt with a reason."""
    probed = {(p.method, API + p.route) for p in PROBES}
    others = probed | {("GET", API + check.route) for check in LISTS} | set(EXEMPT)
    served = app_routes(matrix_app)

    def declared(method: str, path: str) -> bool:
        takes_id = "{" in path and path.startswith(API)
        return (method, path) in (probed if takes_id else others)

    undeclared = sorted(f"{m} {p}" for m, p in served if not declared(m, p))
    assert not undeclared, f"routes missing from tests/security/matrix_policy.py: {undeclared}"
    stale = sorted(f"{m} {p}" for m, p in others if (m, p) not in served)
    assert not stale, f"declared routes the app does not serve: {stale}"


def cell_problem(response: Response, want: int, actor: str = "") -> str | None:
    """Why a response is not the expected cell (None: it is)."""
    got = response.status_code
    if got != want:
        return f"expected {want}, got {got}: {response.text[:300]}"
    code = "account_disabled" if actor == "disabled" else CODES.get(want)
    if code is None:
        return None
    body = response.json()
    error = body.get("error") if isinstance(body, dict) else None
    if set(body) != {"error"} or not isinstance(error, dict):
        return f"not the error shape: {body}"
    if set(error) != {"code", "message", "details"} or error["code"] != code:
        return f"unexpected error {error}"
    return None


def ordered_actors(probe: Probe, variant: str) -> list[str]:
    """Refused actors first, so a destructive probe's allowed cells come last."""
    return sorted(ACTORS, key=lambda actor: expected_status(probe, actor, variant) == probe.ok)


async def run_probe(world: World, probe: Probe, variant: str) -> dict[str, tuple[int, str | None]]:
    """Every actor's cell of one probe on one object: (status, problem)."""
    cells: dict[str, tuple[int, str | None]] = {}
    base = world.ids[(probe.kind, variant)]
    for actor in ordered_actors(probe, variant):
        want = expected_status(probe, actor, variant)
        ids = base
        if probe.fresh and want == probe.ok:
            ids = await world.fresh(probe.fresh, probe.kind, variant)
        response = await world.send(probe, actor, ids)
        cells[actor] = (response.status_code, cell_problem(response, want, actor))
    return cells


def render(rows: list[tuple[str, str, dict[str, tuple[int, str | None]]]]) -> str:
    """The matrix as text: one line per probe and object, one column per actor."""
    width = max(len(f"{name} [{variant}]") for name, variant, _ in rows)
    header = " " * width + "".join(f" {actor[:11]:>11}" for actor in ACTORS)
    lines = [header]
    for name, variant, cells in rows:
        marks = "".join(f" {str(cells[a][0]) + ('!' if cells[a][1] else ''):>11}" for a in ACTORS)
        lines.append(f"{f'{name} [{variant}]':<{width}}{marks}")
    return "\n".join(lines)


async def test_isolation_matrix(world: World) -> None:
    """Every (route, object, actor) cell answers what the policy table declares."""
    ordered = [p for p in PROBES if not p.fresh] + [p for p in PROBES if p.fresh]
    rows = []
    for probe in ordered:
        # The objects of a probe are independent: their rows run concurrently.
        kinds = variants(probe.kind)
        results = await asyncio.gather(*(run_probe(world, probe, v) for v in kinds))
        rows += [(probe.name, v, cells) for v, cells in zip(kinds, results, strict=True)]
    cells = sum(len(r[2]) for r in rows)
    print(f"\nisolation matrix: {cells} cells ({len(rows)} route x object rows)\n{render(rows)}")
    assert cells == sum(len(variants(p.kind)) for p in PROBES) * len(ACTORS)
    failures = [
        f"{name} [{variant}] as {actor}: {problem}"
        for name, variant, row in rows
        for actor, (_, problem) in row.items()
        if problem
    ]
    assert not failures, "\n".join(failures)


async def list_all(world: World, actor: str, check: ListCheck) -> tuple[int, list[Any]]:
    """(status, every item over all pages) of a list endpoint as `actor`."""
    items: list[Any] = []
    params = dict(check.query)
    while True:
        response = await world.call(actor, "GET", check.route, params=params)
        if response.status_code != 200:
            return response.status_code, items
        body = response.json()
        if not isinstance(body, dict):
            return 200, body
        items += body["items"]
        if not body["items"] or len(items) >= body["total"]:
            return 200, items
        params["offset"] = str(len(items))


async def test_lists_show_exactly_what_the_table_allows(world: World) -> None:
    """List endpoints show each actor the base objects the table says, and no others."""
    failures = []
    for check in LISTS:
        base = {world.ids[(check.kind, v)][f"{check.kind}_id"]: v for v in variants(check.kind)}
        for actor in ACTORS:
            status, items = await list_all(world, actor, check)
            want_status = 401 if actor in SIGNED_OUT else 200
            if status != want_status:
                failures.append(f"GET {check.route} as {actor}: {status}")
            if status != 200:
                continue
            seen = {base[str(item["id"])] for item in items if str(item["id"]) in base}
            if seen != listed_variants(check, actor):
                failures.append(f"GET {check.route} as {actor}: {sorted(seen)}")
    assert not failures, "\n".join(failures)


async def expect_404(world: World, actor: str, method: str, url: str, **kwargs: Any) -> None:
    """The request answers 404 in the error shape."""
    response = await world.call(actor, method, url, **kwargs)
    problem = cell_problem(response, 404)
    assert problem is None, f"{method} {url} as {actor}: {problem}"


async def test_child_ids_do_not_cross_parents(world: World) -> None:
    """An id of another tenant's object under a parent the caller holds answers 404."""
    ids = world.ids
    team_dataset = ids[("dataset", "team")]["dataset_id"]
    private_share = ids[("dataset", "private")]["share_id"]
    await expect_404(
        world, "team_owner", "DELETE", f"/datasets/{team_dataset}/share/{private_share}"
    )
    shares = await world.ok(
        "owner", "GET", f"/datasets/{ids[('dataset', 'private')]['dataset_id']}/shares", 200
    )
    assert private_share in {s["id"] for s in shares}
    own = ids[("conversation", "private")]["conversation_id"]
    foreign = ids[("conversation", "viewer")]["proposal_id"]
    for decision in ("accept", "reject"):
        await expect_404(
            world, "owner", "POST", f"/conversations/{own}/proposals/{foreign}/{decision}"
        )
    stranger = world.users["stranger"].id
    team_id = ids[("team", "team")]["team_id"]
    await expect_404(
        world,
        "team_owner",
        "PATCH",
        f"/teams/{team_id}/members/{stranger}",
        json={"role": "member"},
    )
    await expect_404(world, "team_owner", "DELETE", f"/teams/{team_id}/members/{stranger}")
    viewer_conv = ids[("conversation", "viewer")]["conversation_id"]
    traversal = f"..%2F..%2F{viewer_conv}%2Fartifacts%2Fmatrix.csv"
    await expect_404(world, "owner", "GET", f"/conversations/{own}/artifacts/{traversal}")
    cleaning = {
        "task_type": "cleaning_pipeline",
        "dataset_id": ids[("dataset", "shared")]["dataset_id"],
        "parameters": {
            "steps": [{"op": "deduplicate"}],
            "tables": {"other": ids[("dataset", "private")]["dataset_id"]},
        },
    }
    await expect_404(world, "sharee_editor", "POST", "/tasks", json=cleaning)


async def test_invalid_bodies_reveal_no_object(world: World) -> None:
    """A malformed body answers the same 422 on a hidden object as on a missing one."""
    checked = 0
    for probe in PROBES:
        if probe.body is None or "{" not in probe.route:
            continue
        for variant in variants(probe.kind):
            real = world.ids[(probe.kind, variant)]
            missing = {k: str(uuid.uuid4()) if k.endswith("_id") else v for k, v in real.items()}
            for ids in (real, missing):
                url = probe.route.format(**ids)
                response = await world.call("stranger", probe.method, url, json=["not", "a body"])
                assert response.status_code == 422, (probe.name, variant, response.text)
                checked += 1
    assert checked >= 20
