"""Accounts and sessions: register, log in, rotate refresh tokens, log out."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import anyio
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import ObjectDeletedError

from chatdata.audit.service import record
from chatdata.auth.models import RefreshToken, Team, TeamMember, User
from chatdata.auth.ratelimit import LoginLimiter
from chatdata.auth.schemas import TokenPair
from chatdata.auth.security import (
    create_access_token,
    hash_password,
    hash_refresh_token,
    new_refresh_token,
    verify_password,
)
from chatdata.config import Settings
from chatdata.errors import Conflict, Unauthorized, ValidationFailed


def check_password_policy(password: str, email: str, min_length: int) -> None:
    """Raise ValidationFailed listing every rule the password breaks."""
    problems = []
    if len(password) < min_length:
        problems.append(f"at least {min_length} characters")
    if not any(ch.isalpha() for ch in password):
        problems.append("at least one letter")
    if not any(ch.isdigit() for ch in password):
        problems.append("at least one digit")
    if password.lower() == email.lower() or password.lower() == email.split("@")[0].lower():
        problems.append("not your email address")
    if problems:
        raise ValidationFailed(
            "The password must have " + ", ".join(problems) + ".",
            details={"field": "password", "rules": problems},
            code="weak_password",
        )


async def current_account(session: AsyncSession, user: User) -> User:
    """The signed-in user as the database has it now: a request's user may come from the
    in-process user cache (up to `auth_user_cache_seconds` old), and "me" shows the truth."""
    try:
        await session.refresh(user)
    except ObjectDeletedError as exc:
        raise Unauthorized("The access token is not valid.", code="invalid_token") from exc
    if not user.is_active:
        raise Unauthorized("This account is disabled.", code="account_disabled")
    return user


async def find_user_by_email(session: AsyncSession, email: str) -> User | None:
    """The user with this email (case-insensitive), if any."""
    result = await session.execute(select(User).where(User.email == email.strip().lower()))
    return result.scalar_one_or_none()


async def create_user(
    session: AsyncSession, *, email: str, username: str, password: str, role: str = "user"
) -> User:
    """Create a user with a personal team (their tenant). Email must be new."""
    email = email.strip().lower()
    # argon2 takes ~100 ms of CPU: off the event loop, and before the first query (no pooled
    # connection, nor SQLite's write lock, is held meanwhile).
    password_hash = await anyio.to_thread.run_sync(hash_password, password)
    if await find_user_by_email(session, email) is not None:
        raise Conflict("An account with this email already exists.", code="email_taken")
    team = Team(name=f"{username}'s workspace", is_personal=True)
    session.add(team)
    await session.flush()
    user = User(
        email=email,
        username=username.strip(),
        password_hash=password_hash,
        role=role,
        personal_team_id=team.id,
    )
    session.add(user)
    await session.flush()
    session.add(TeamMember(team_id=team.id, user_id=user.id, role="owner"))
    await session.flush()
    return user


async def register(
    session: AsyncSession, settings: Settings, *, email: str, username: str, password: str
) -> User:
    """Self-service registration: the password policy applies."""
    check_password_policy(password, email, settings.password_min_length)
    user = await create_user(session, email=email, username=username, password=password)
    await record(
        session,
        "auth.register",
        actor_id=user.id,
        target_type="user",
        target_id=user.id,
        team_id=user.personal_team_id,
        details={"email": user.email},
    )
    return user


async def login(
    session: AsyncSession,
    settings: Settings,
    limiter: LoginLimiter,
    *,
    email: str,
    password: str,
    client_ip: str,
) -> TokenPair:
    """Check credentials (rate limited per IP and account) and issue a new token family."""
    email = email.strip().lower()
    await limiter.before_attempt(client_ip, email)
    user = await find_user_by_email(session, email)
    stored = user.password_hash if user else None
    await session.commit()  # the pooled connection is not held while argon2 runs (~100 ms)
    if not await anyio.to_thread.run_sync(verify_password, stored, password) or user is None:
        await limiter.failed(email)
        await _login_failed(session, email, user, "invalid_credentials")
        raise Unauthorized("Wrong email or password.", code="invalid_credentials")
    if not user.is_active:
        await _login_failed(session, email, user, "account_disabled")
        raise Unauthorized("This account is disabled.", code="account_disabled")
    await limiter.succeeded(email)
    await record(
        session,
        "auth.login",
        actor_id=user.id,
        target_type="user",
        target_id=user.id,
        team_id=user.personal_team_id,
    )
    return await _issue_tokens(session, settings, user, family_id=uuid.uuid4())


async def _login_failed(session: AsyncSession, email: str, user: User | None, reason: str) -> None:
    """Audit a refused sign-in (the email tried, never the password) and commit it now:
    the error that follows rolls the request's transaction back."""
    await record(
        session,
        "auth.login_failed",
        actor_id=None,
        target_type="user",
        target_id=user.id if user else None,
        team_id=user.personal_team_id if user else None,
        details={"email": email, "reason": reason},
    )
    await session.commit()


async def refresh(session: AsyncSession, settings: Settings, raw_token: str) -> TokenPair:
    """Exchange a refresh token for a new pair; reuse of a consumed token revokes the family."""
    token = await _find_refresh_token(session, raw_token)
    now = datetime.now(UTC)
    if token is None or token.revoked_at is not None or _aware(token.expires_at) <= now:
        raise Unauthorized("The refresh token is not valid; sign in again.", code="invalid_token")
    if token.consumed_at is not None:
        await revoke_family(session, token.family_id)
        # Commit now: the error below rolls the request's transaction back.
        await session.commit()
        raise Unauthorized(
            "This refresh token was already used; all sessions from that sign-in were ended.",
            code="token_reused",
        )
    user = await session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise Unauthorized("This account is disabled.", code="account_disabled")
    token.consumed_at = now
    return await _issue_tokens(session, settings, user, family_id=token.family_id)


async def logout(session: AsyncSession, raw_token: str) -> None:
    """Revoke the token's whole family; unknown tokens are ignored (idempotent)."""
    token = await _find_refresh_token(session, raw_token)
    if token is not None:
        await revoke_family(session, token.family_id)


async def revoke_family(session: AsyncSession, family_id: uuid.UUID) -> None:
    """Revoke every refresh token of one sign-in."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


async def _find_refresh_token(session: AsyncSession, raw_token: str) -> RefreshToken | None:
    result = await session.execute(
        select(RefreshToken).where(RefreshToken.token_hash == hash_refresh_token(raw_token))
    )
    return result.scalar_one_or_none()


async def _issue_tokens(
    session: AsyncSession, settings: Settings, user: User, *, family_id: uuid.UUID
) -> TokenPair:
    raw, digest = new_refresh_token()
    session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id,
            token_hash=digest,
            expires_at=datetime.now(UTC) + timedelta(days=settings.refresh_token_days),
        )
    )
    await session.flush()
    access = create_access_token(
        user.id, user.role, settings.jwt_secret_value(), settings.access_token_minutes
    )
    return TokenPair(
        access_token=access, refresh_token=raw, expires_in=settings.access_token_minutes * 60
    )


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
