"""Durability: a restart resumes what ran or waited, a task whose worker died is re-queued or
failed (never stuck), and a retried cleaning task creates no second version."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from chatdata.db.engine import create_engine, create_sessionmaker
from chatdata.tasks.models import AnalysisTask
from chatdata.tasks.reaper import LOST_REASON
from tests.conftest import make_settings
from tests.tasks.conftest import client_for, own_database, running_app
from tests.tasks.helpers import API, Stack, build_stack, run_task, submit, upload_dirty, wait_task
from tests.tasks.test_task_types import CLEANING_STEPS


async def simulate_dead_worker(stack: Stack, task_id: str, attempts: int = 1) -> None:
    """Leave the task as a worker that died mid-run would: running, heartbeat long gone."""
    sessions = stack.app.state.runtime.sessions
    async with sessions() as session, session.begin():
        await session.execute(
            update(AnalysisTask)
            .where(AnalysisTask.id == uuid.UUID(task_id))
            .values(
                status="running",
                attempts=attempts,
                heartbeat_at=datetime.now(UTC) - timedelta(minutes=5),
                completed_at=None,
                result=None,
            )
        )


@pytest.mark.parametrize(
    ("task_type", "status", "attempts"),
    [
        ("test_sleep", "succeeded", 2),
        ("test_sleep_once", "failed", 1),
    ],
)
async def test_task_of_a_dead_worker_is_requeued_or_failed(
    stack: Stack, task_type: str, status: str, attempts: int
) -> None:
    task = await submit(stack, task_type, "analysis", {"seconds": 0})
    await wait_task(stack, task["id"])
    await simulate_dead_worker(stack, task["id"])
    done = await wait_task(stack, task["id"], lambda t: t["status"] != "running", timeout=30)
    done = await wait_task(stack, task["id"], timeout=30)
    assert done["status"] == status and done["attempts"] == attempts
    if status == "failed":
        assert done["error"] == f"{LOST_REASON} It was tried 1 time(s)."
    else:
        result = await stack.client.get(
            f"{API}/tasks/{task['id']}/result", headers=stack.owner.headers
        )
        assert result.json()["result"]["attempt"] == 2


async def test_retried_cleaning_creates_one_version(stack: Stack) -> None:
    dataset_id = await upload_dirty(stack)
    first = await run_task(stack, "cleaning_pipeline", dataset_id, {"steps": CLEANING_STEPS})
    listed = await stack.client.get(
        f"{API}/tasks",
        params={"task_type": "cleaning_pipeline", "limit": 200},
        headers=stack.owner.headers,
    )
    task = next(t for t in listed.json()["items"] if t["dataset_id"] == dataset_id)
    # The worker died after saving the version but before recording success: it runs again.
    await simulate_dead_worker(stack, task["id"])
    done = await wait_task(stack, task["id"], lambda t: t["attempts"] == 2, timeout=30)
    done = await wait_task(stack, task["id"], timeout=30)
    assert done["status"] == "succeeded" and done["attempts"] == 2
    again = await stack.client.get(f"{API}/tasks/{task['id']}/result", headers=stack.owner.headers)
    assert again.json()["result"]["new_version"] == first["new_version"] == 2
    versions = await stack.client.get(
        f"{API}/datasets/{dataset_id}/versions", headers=stack.owner.headers
    )
    assert [v["number"] for v in versions.json()] in ([2, 1], [1, 2])


async def _rows(settings: Any, ids: list[str]) -> dict[str, AnalysisTask]:
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            return {i: await session.get(AnalysisTask, uuid.UUID(i)) for i in ids}  # type: ignore[misc]
    finally:
        await engine.dispose()


async def test_restart_resumes_running_and_pending_tasks(
    task_env: dict[str, str], tmp_path: Path
) -> None:
    with own_database("sqlite", tmp_path) as url:
        settings = make_settings(tmp_path / "data", url, task_workers=1)
        async with running_app(settings) as app, client_for(app) as client:
            stack = await build_stack("restart", app, client)
            running = await submit(stack, "test_sleep", "analysis", {"seconds": 2, "steps": 40})
            await wait_task(stack, running["id"], lambda t: t["progress"] >= 5)
            waiting = await submit(stack, "test_sleep", "analysis", {"seconds": 0})
        # The server stopped: the running task went back to the queue, uncounted.
        stopped = await _rows(settings, [running["id"], waiting["id"]])
        assert [(t.status, t.attempts) for t in stopped.values()] == [("pending", 0)] * 2
        assert "runner stopped" in (stopped[running["id"]].progress_message or "")
        async with running_app(settings) as app, client_for(app) as client:
            stack.app, stack.client = app, client
            for task in (running, waiting):
                done = await wait_task(stack, task["id"])
                assert (done["status"], done["attempts"]) == ("succeeded", 1)
