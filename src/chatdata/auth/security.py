"""Password hashing (argon2), JWT access tokens (PyJWT) and opaque refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from chatdata.errors import Unauthorized

JWT_ALGORITHM = "HS256"
_hasher = PasswordHasher()
# A real hash to verify against when the account does not exist, so timing does not tell.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; spends the same time when there is no hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class AccessClaims:
    """What a valid access token says."""

    user_id: uuid.UUID
    role: str
    expires_at: datetime


def create_access_token(user_id: uuid.UUID, role: str, secret: str, minutes: int) -> str:
    """Sign a short-lived access token for the user."""
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "role": role,
        "type": "access",
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, secret, algorithm=JWT_ALGORITHM)


def decode_access_token(token: str, secret: str) -> AccessClaims:
    """Verify an access token; raise Unauthorized saying why it is not accepted.

    A token verified once is remembered (bounded, by secret and token), so a client
    sending the same token on every request pays for the signature check once; its expiry
    is still checked every time."""
    key = (secret, token)
    claims = _verified.get(key)
    if claims is None:
        claims = _verify_access_token(token, secret)
        if len(_verified) >= VERIFIED_TOKENS_KEPT:
            _verified.pop(next(iter(_verified)))  # the oldest
        _verified[key] = claims
    if time.time() >= claims.expires_at.timestamp():
        raise Unauthorized("Your session has expired; sign in again.", code="token_expired")
    return claims


VERIFIED_TOKENS_KEPT = 10_000
_verified: dict[tuple[str, str], AccessClaims] = {}


def _verify_access_token(token: str, secret: str) -> AccessClaims:
    try:
        claims = jwt.decode(
            token, secret, algorithms=[JWT_ALGORITHM], options={"require": ["exp", "sub"]}
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized(
            "Your session has expired; sign in again.", code="token_expired"
        ) from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("The access token is not valid.", code="invalid_token") from exc
    if claims.get("type") != "access":
        raise Unauthorized("The access token is not valid.", code="invalid_token")
    try:
        user_id = uuid.UUID(str(claims["sub"]))
    except ValueError as exc:
        raise Unauthorized("The access token is not valid.", code="invalid_token") from exc
    return AccessClaims(
        user_id=user_id,
        role=str(claims.get("role", "user")),
        expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
    )


def new_refresh_token() -> tuple[str, str]:
    """A fresh random refresh token and the hash we store for it."""
    raw = secrets.token_urlsafe(48)
    return raw, hash_refresh_token(raw)


def hash_refresh_token(raw: str) -> str:
    """SHA-256 of a refresh token (the tokens are random, so no salt is needed)."""
    return hashlib.sha256(raw.encode()).hexdigest()
