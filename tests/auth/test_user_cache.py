"""The in-process user cache: a signed-in request does not read its user row again, and
any change made through this process (ORM flush or bulk UPDATE) applies at once."""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import update

from chatdata.auth.models import User
from chatdata.auth.user_cache import UserCache
from chatdata.db.engine import create_engine, create_sessionmaker
from tests.auth.test_admin_api import promote
from tests.support import assert_error, recorded_statements, register

API = "/api/v1"


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def a_user() -> User:
    return User(id=uuid.uuid4(), email="x@example.com", username="x", password_hash="h")


def test_entries_expire_after_the_ttl() -> None:
    clock = FakeClock()
    cache = UserCache(5.0, clock=clock)
    user = a_user()
    cache.put(user, cache.generation)
    clock.now += 4.9
    assert cache.get(user.id) is user
    clock.now += 0.2
    assert cache.get(user.id) is None
    assert len(cache) == 0


def test_a_read_that_raced_an_invalidation_is_not_stored() -> None:
    cache = UserCache(5.0)
    user = a_user()
    generation = cache.generation
    cache.invalidate([uuid.uuid4()])  # a change committed while the row was being read
    cache.put(user, generation)
    assert cache.get(user.id) is None


def test_zero_ttl_keeps_nothing_and_size_is_bounded() -> None:
    off = UserCache(0.0)
    user = a_user()
    off.put(user, off.generation)
    assert off.get(user.id) is None
    small = UserCache(60.0, max_entries=3)
    users = [a_user() for _ in range(5)]
    for each in users:
        small.put(each, small.generation)
    assert len(small) == 3
    assert small.get(users[0].id) is None and small.get(users[4].id) is users[4]


def user_reads(app: FastAPI) -> AbstractContextManager[list[str]]:
    """SQL statements that read the users table while the block runs."""
    return recorded_statements(app, lambda statement: "FROM users" in statement)


async def test_a_signed_in_request_does_not_read_its_user_again(
    client: AsyncClient, app: FastAPI
) -> None:
    account = await register(client, "cached")
    assert (await client.get(f"{API}/datasets", headers=account.headers)).status_code == 200
    with user_reads(app) as reads:
        for _ in range(3):
            listed = await client.get(f"{API}/datasets", headers=account.headers)
            assert listed.status_code == 200
    assert reads == []


async def test_disabling_through_the_api_applies_to_a_cached_user_at_once(
    client: AsyncClient, app: FastAPI
) -> None:
    admin, victim = await register(client, "cadmin"), await register(client, "cvictim")
    await promote(app.state.runtime.sessions, admin, "admin")
    assert (await client.get(f"{API}/datasets", headers=victim.headers)).status_code == 200
    disabled = await client.patch(
        f"{API}/admin/users/{victim.id}", json={"is_active": False}, headers=admin.headers
    )
    assert disabled.status_code == 200
    assert_error(
        await client.get(f"{API}/datasets", headers=victim.headers), 401, "account_disabled"
    )


async def test_a_bulk_update_of_users_applies_to_a_cached_user_at_once(
    client: AsyncClient, app: FastAPI
) -> None:
    account = await register(client, "cbulk")
    assert_error(await client.get(f"{API}/admin/users", headers=account.headers), 403)
    await promote(app.state.runtime.sessions, account, "admin")
    assert (await client.get(f"{API}/admin/users", headers=account.headers)).status_code == 200


async def test_me_reads_the_account_fresh_when_another_instance_changed_it(
    client: AsyncClient, app: FastAPI
) -> None:
    account = await register(client, "cfresh")
    assert (await client.get(f"{API}/datasets", headers=account.headers)).status_code == 200
    runtime = app.state.runtime
    other_instance = create_engine(runtime.settings)  # its own engine: no shared cache
    try:
        async with create_sessionmaker(other_instance)() as session:
            await session.execute(
                update(User).where(User.id == uuid.UUID(account.id)).values(is_active=False)
            )
            await session.commit()
    finally:
        await other_instance.dispose()
    me = await client.get(f"{API}/auth/me", headers=account.headers)
    assert_error(me, 401, "account_disabled")
