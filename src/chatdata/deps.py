"""FastAPI dependencies shared by every feature's routes: runtime, DB session, caller."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.auth.models import User
from chatdata.auth.security import decode_access_token
from chatdata.auth.user_cache import load_user
from chatdata.config import Settings
from chatdata.errors import ServiceUnavailable, Unauthorized
from chatdata.runtime import Runtime

_bearer = HTTPBearer(auto_error=False, description="Access token from /auth/login.")


# Dependencies are `async def` even when they do not await: FastAPI runs a plain `def`
# dependency in a worker thread, a thread hop per request that the list endpoints felt.
async def get_runtime(request: Request) -> Runtime:
    """The app's runtime objects."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_settings(runtime: RuntimeDep) -> Settings:
    """The app's settings."""
    return runtime.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    """A DB session committed when the route returns, before the response is sent."""
    async with runtime.sessions() as session:
        try:
            yield session
            await session.commit()
        except (OperationalError, DBAPIError, OSError) as exc:
            await _quiet_rollback(session)
            # asyncpg lets connection failures through as plain OSError.
            if isinstance(exc, OperationalError | OSError) or exc.connection_invalidated:
                raise ServiceUnavailable("The database is not reachable right now.") from exc
            raise
        except BaseException:
            await session.rollback()
            raise


async def _quiet_rollback(session: AsyncSession) -> None:
    with contextlib.suppress(DBAPIError, OSError):  # the connection is gone already
        await session.rollback()


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def get_current_user(
    runtime: RuntimeDep,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    """The signed-in, active user behind the bearer token."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Sign in first: send `Authorization: Bearer <access token>`.")
    claims = decode_access_token(credentials.credentials, runtime.jwt_secret)
    user = await load_user(session, runtime.user_cache, claims.user_id)
    if user is None:
        raise Unauthorized("The access token is not valid.", code="invalid_token")
    if not user.is_active:
        raise Unauthorized("This account is disabled.", code="account_disabled")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


@dataclass(frozen=True, slots=True)
class Pagination:
    """`limit` and `offset` of a page."""

    limit: int
    offset: int


async def get_pagination(
    limit: Annotated[int, Query(ge=1, le=200, description="Page size.")] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1, description="Items to skip.")] = 0,
) -> Pagination:
    """`limit` and `offset` query parameters with sane bounds."""
    return Pagination(limit, offset)


PageDep = Annotated[Pagination, Depends(get_pagination)]
