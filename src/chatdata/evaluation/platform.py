"""The platform as the evaluation uses it: the real app in-process (ASGI), a user, uploads
through the upload API, conversations and chat turns through the chat API."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from httpx import ASGITransport, AsyncClient, Response

from chatdata.config import Settings
from chatdata.errors import AppError

API = "/api/v1"
INGEST_TIMEOUT_SECONDS = 600.0
CHAT_TIMEOUT_SECONDS = 900.0


class EvalError(AppError):
    """The platform refused or failed a step of the evaluation."""

    status_code = 502
    code = "evaluation_failed"


def eval_settings(base: Settings, data_dir: Path, provider: str) -> Settings:
    """`base` pointed at a private data dir, with limits that suit a batch run.

    `provider="builtin"` forces the built-in analyst; `configured` keeps the LLM settings.
    """
    overrides: dict[str, Any] = {
        "data_dir": data_dir,
        "database_url": None,
        "storage_backend": "local",
        "task_runner": "inprocess",
        "cache_backend": "db",
        "jwt_secret": secrets.token_urlsafe(32),
        "login_attempts_per_ip": 1_000_000,
        "login_attempts_per_account": 1_000_000,
        "chat_rate_per_minute": 1_000_000,
        "kernel_pool_size": 1,
        "log_level": "WARNING",
        "migrate_on_start": True,
    }
    if provider == "builtin":
        overrides["llm_preset"] = "builtin"
    values = {name: getattr(base, name) for name in type(base).model_fields}
    return Settings(**{**values, **overrides})


@dataclass
class ChatReply:
    """The stored assistant message of one turn."""

    content: str
    status: str
    cells: list[dict[str, Any]]
    provider: str | None


class Platform:
    """A signed-in client of the in-process app."""

    def __init__(self, client: AsyncClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    async def upload(self, path: Path) -> str:
        """Upload a file; returns the dataset id (ingest continues in the background)."""
        with path.open("rb") as handle:
            response = await self.client.post(
                f"{API}/datasets/upload",
                files={"file": (path.name, handle, "application/octet-stream")},
                headers=self.headers,
            )
        body = _body(response, 202, f"upload of {path.name}")
        return str(body["id"])

    async def wait_ready(self, dataset_id: str) -> None:
        """Wait until the dataset is ingested (EvalError when ingest failed)."""
        deadline = asyncio.get_running_loop().time() + INGEST_TIMEOUT_SECONDS
        while True:
            response = await self.client.get(f"{API}/datasets/{dataset_id}", headers=self.headers)
            body = _body(response, 200, "dataset status")
            if body["status"] == "ready":
                return
            if body["status"] != "processing":
                raise EvalError(f"Ingest failed: {body.get('error') or body.get('status_message')}")
            if asyncio.get_running_loop().time() > deadline:
                raise EvalError("Ingest did not finish in time.")
            await asyncio.sleep(0.1)

    async def new_conversation(self, dataset_id: str, title: str) -> str:
        """Start a conversation about the dataset."""
        response = await self.client.post(
            f"{API}/conversations",
            json={"dataset_id": dataset_id, "title": title[:200]},
            headers=self.headers,
        )
        return str(_body(response, 201, "conversation")["id"])

    async def chat(self, conversation_id: str, message: str) -> ChatReply:
        """One chat turn (result cache bypassed); the stored assistant message."""
        response = await self.client.post(
            f"{API}/conversations/{conversation_id}/chat",
            json={"message": message},
            params={"no_cache": "true"},
            headers=self.headers,
            timeout=CHAT_TIMEOUT_SECONDS,
        )
        body = _body(response, 200, "chat")
        code_result = body.get("code_result") or {}
        return ChatReply(
            content=str(body.get("content") or ""),
            status=str(body.get("status")),
            cells=list(code_result.get("cells") or []),
            provider=code_result.get("provider"),
        )


def _body(response: Response, expected: int, what: str) -> dict[str, Any]:
    if response.status_code != expected:
        detail = response.text[:300]
        raise EvalError(f"The {what} request failed ({response.status_code}): {detail}")
    body = response.json()
    return body if isinstance(body, dict) else {}


@asynccontextmanager
async def running_platform(settings: Settings) -> AsyncIterator[Platform]:
    """Start the app (migrations, kernels), sign a fresh user in, stop it all afterwards."""
    from chatdata.app import create_app

    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://eval", timeout=120) as client:
            yield Platform(client, await _sign_in(client))


async def _sign_in(client: AsyncClient) -> str:
    email = f"eval-{uuid.uuid4().hex[:10]}@example.com"
    password = secrets.token_urlsafe(18)
    account = {"email": email, "username": "evaluation", "password": password}
    _body(await client.post(f"{API}/auth/register", json=account), 201, "register")
    login = await client.post(f"{API}/auth/login", json={"email": email, "password": password})
    return str(_body(login, 200, "login")["access_token"])
