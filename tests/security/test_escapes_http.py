"""The same escape attempts, sent the way an attacker would: through the execute endpoint
of a running app whose data dir holds real secrets. Every attempt fails, the stored dataset
files are unchanged, the server stays healthy and the next cell runs."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from chatdata.app import create_app
from chatdata.config import Settings
from chatdata.datasets.keys import version_key
from tests.datasets.api_helpers import API, upload_ready
from tests.security.conftest import SECURITY_LIMITS
from tests.security.escape_cases import CASES, EscapeCase, Outcome, Target
from tests.support import Account, register

CASE_TIMEOUT_SECONDS = 8.0  # the endpoint has no per-call timeout; the app's limit is short


@dataclass
class HttpTarget:
    """A running app with a conversation whose kernel sees `/data/sales.parquet`."""

    client: AsyncClient
    app: FastAPI
    account: Account
    conversation_id: str
    stored_files: list[Path]

    def fingerprints(self) -> list[str]:
        return [hashlib.sha256(p.read_bytes()).hexdigest() for p in self.stored_files]


@pytest.fixture(scope="module")
async def http_target(
    target: Target, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[HttpTarget]:
    # The app's data dir is the target's: its JWT secret file is one of the secrets.
    settings = Settings(
        data_dir=target.server_data_dir,
        database_url=f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('sec-db') / 'app.db'}",
        sandbox_mode="bwrap",
        kernel_pool_size=1,
        kernel_memory_mb=SECURITY_LIMITS.memory_mb,
        kernel_max_processes=SECURITY_LIMITS.max_processes,
        kernel_max_file_mb=SECURITY_LIMITS.max_file_mb,
        kernel_scratch_mb=SECURITY_LIMITS.scratch_mb,
        kernel_tmp_mb=SECURITY_LIMITS.tmp_mb,
        output_cap_bytes=SECURITY_LIMITS.output_cap_bytes,
        sample_rows=SECURITY_LIMITS.sample_rows,
        execution_timeout_seconds=CASE_TIMEOUT_SECONDS,
        log_level="WARNING",
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://t", timeout=120) as client:
            account = await register(client, "attacker")
            content = target.dataset_path.read_bytes()
            primary = await upload_ready(client, account, content, "primary.parquet")
            sales = await upload_ready(client, account, content, "sales.parquet")
            created = await client.post(
                f"{API}/conversations",
                json={"dataset_id": primary["id"], "extra_dataset_ids": [sales["id"]]},
                headers=account.headers,
            )
            assert created.status_code == 201, created.text
            store = app.state.runtime.store
            stored = [
                store.local_path(version_key(uuid.UUID(d["team_id"]), uuid.UUID(d["id"]), 1))
                for d in (primary, sales)
            ]
            yield HttpTarget(client, app, account, created.json()["id"], stored)


async def execute(http: HttpTarget, code: str) -> Outcome:
    response = await http.client.post(
        f"{API}/conversations/{http.conversation_id}/execute",
        json={"code": code},
        headers=http.account.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    files = {}
    for part in body["outputs"]:
        if part["type"] == "file" and part.get("url"):
            download = await http.client.get(part["url"], headers=http.account.headers)
            files[part["name"]] = download.content[:1_000_000]
    return Outcome(body["status"], body["outputs"], files)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
async def test_escape_attempt_fails_through_the_api(
    case: EscapeCase, http_target: HttpTarget, target: Target
) -> None:
    before = http_target.fingerprints()
    outcome = await execute(http_target, case.render(target))
    assert outcome.status != "rejected", "the case must reach the sandbox, not the static check"
    case.verify(outcome, target)
    assert http_target.fingerprints() == before
    health = await http_target.client.get(f"{API}/health")
    assert health.status_code == 200
    follow_up = await execute(http_target, "print(6 * 7, len(df))")
    assert follow_up.status == "ok", follow_up.outputs
    assert follow_up.printed() == "42 2\n"


async def test_static_check_refuses_plain_misuse_through_the_api(http_target: HttpTarget) -> None:
    outcome = await execute(http_target, "import subprocess\nsubprocess.run(['id'])")
    assert outcome.status == "rejected"
    assert "subprocess" in outcome.outputs[0]["evalue"]
