"""Verified access tokens are remembered, but expiry, the secret and forgery still count."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest

from chatdata.auth import security
from chatdata.auth.security import create_access_token, decode_access_token
from chatdata.errors import Unauthorized

SECRET = "token-cache-secret-" + "x" * 32


def test_a_verified_token_is_remembered_and_gives_the_same_claims() -> None:
    user_id = uuid.uuid4()
    token = create_access_token(user_id, "user", SECRET, 5)
    first = decode_access_token(token, SECRET)
    assert (SECRET, token) in security._verified
    assert decode_access_token(token, SECRET) == first and first.user_id == user_id


def test_a_remembered_token_still_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    token = create_access_token(uuid.uuid4(), "user", SECRET, 1)
    decode_access_token(token, SECRET)
    later = time.time() + 61
    monkeypatch.setattr(security.time, "time", lambda: later)
    with pytest.raises(Unauthorized) as caught:
        decode_access_token(token, SECRET)
    assert caught.value.code == "token_expired"


def test_a_token_is_remembered_per_secret_and_forgeries_never() -> None:
    token = create_access_token(uuid.uuid4(), "user", SECRET, 5)
    decode_access_token(token, SECRET)
    with pytest.raises(Unauthorized) as other_app:
        decode_access_token(token, "another-secret-" + "y" * 32)
    assert other_app.value.code == "invalid_token"
    forged = jwt.encode(
        {"sub": str(uuid.uuid4()), "type": "access", "exp": time.time() + 60},
        "attacker-secret-" + "z" * 32,
        algorithm="HS256",
    )
    for _ in range(2):
        with pytest.raises(Unauthorized):
            decode_access_token(forged, SECRET)
    assert (SECRET, forged) not in security._verified


def test_the_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security, "VERIFIED_TOKENS_KEPT", 3)
    monkeypatch.setattr(security, "_verified", {})
    tokens = [create_access_token(uuid.uuid4(), "user", SECRET, 5) for _ in range(5)]
    for token in tokens:
        decode_access_token(token, SECRET)
    assert len(security._verified) == 3 and (SECRET, tokens[-1]) in security._verified
