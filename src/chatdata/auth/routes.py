"""HTTP routes of authentication: register, login, refresh, logout, me."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from chatdata.auth import service
from chatdata.auth.schemas import LoginIn, RefreshIn, RegisterIn, TokenPair, UserOut
from chatdata.deps import CurrentUser, RuntimeDep, SessionDep
from chatdata.error_docs import error_responses

router = APIRouter(prefix="/auth", tags=["auth"], responses=error_responses(401, 409, 413, 429))


@router.post(
    "/register",
    response_model=UserOut,
    status_code=status.HTTP_201_CREATED,
    summary="Create an account",
    description="Creates the user and their personal workspace (tenant). Passwords need at "
    "least 10 characters with a letter and a digit.",
)
async def register(body: RegisterIn, session: SessionDep, runtime: RuntimeDep) -> UserOut:
    user = await service.register(
        session,
        runtime.settings,
        email=body.email,
        username=body.username,
        password=body.password,
    )
    return UserOut.model_validate(user)


@router.post(
    "/login",
    response_model=TokenPair,
    summary="Sign in",
    description="Exchanges email and password for an access token (short-lived) and a "
    "refresh token. Rate limited per IP and per account (429 with Retry-After).",
)
async def login(
    body: LoginIn, request: Request, session: SessionDep, runtime: RuntimeDep
) -> TokenPair:
    client_ip = request.client.host if request.client else "unknown"
    return await service.login(
        session,
        runtime.settings,
        runtime.login_limiter,
        email=body.email,
        password=body.password,
        client_ip=client_ip,
    )


@router.post(
    "/refresh",
    response_model=TokenPair,
    summary="Rotate tokens",
    description="Consumes the refresh token and returns a new pair. Presenting an already "
    "consumed token revokes every token of that sign-in (reuse detection) and answers 401.",
)
async def refresh(body: RefreshIn, session: SessionDep, runtime: RuntimeDep) -> TokenPair:
    return await service.refresh(session, runtime.settings, body.refresh_token)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Sign out",
    description="Revokes the refresh token and every token rotated from the same sign-in.",
)
async def logout(body: RefreshIn, session: SessionDep) -> None:
    await service.logout(session, body.refresh_token)


@router.get("/me", response_model=UserOut, summary="The signed-in user")
async def me(user: CurrentUser, session: SessionDep) -> UserOut:
    return UserOut.model_validate(await service.current_account(session, user))
