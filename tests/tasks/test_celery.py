"""Celery specifics against the real Redis and a real worker: kill -9 of the worker process
mid-task, cancellation of running and pending tasks, and the result backend."""

from __future__ import annotations

import asyncio
import os
import signal

import psutil
import pytest
from celery.result import AsyncResult

from chatdata.tasks.celery_runner import CeleryRunner
from chatdata.tasks.reaper import LOST_REASON
from tests.support import assert_error
from tests.tasks.helpers import API, Stack, get_task, submit, wait_task


def pool_children(stack: Stack) -> list[psutil.Process]:
    """The worker's pool processes (prefork, concurrency 1)."""
    assert stack.worker is not None and stack.worker.poll() is None
    return psutil.Process(stack.worker.pid).children()


async def kill_worker_running(stack: Stack, task_id: str) -> int:
    """Wait until the task runs, then SIGKILL the pool process running it; its pid."""
    await wait_task(stack, task_id, lambda t: t["status"] == "running" and t["progress"] >= 10)
    (child,) = pool_children(stack)
    os.kill(child.pid, signal.SIGKILL)
    return child.pid


@pytest.mark.parametrize(
    ("task_type", "status"),
    [
        ("test_sleep", "succeeded"),
        ("test_sleep_once", "failed"),
    ],
)
async def test_kill_9_of_the_worker_mid_task(
    celery_stack: Stack, task_type: str, status: str
) -> None:
    stack = celery_stack
    task = await submit(stack, task_type, "analysis", {"seconds": 2, "steps": 20})
    killed = await kill_worker_running(stack, task["id"])
    done = await wait_task(stack, task["id"], timeout=60)
    assert done["status"] == status, done
    if status == "succeeded":  # re-queued and run again by the new pool process
        assert done["attempts"] == 2
        result = await stack.client.get(
            f"{API}/tasks/{task['id']}/result", headers=stack.owner.headers
        )
        assert result.json()["result"]["attempt"] == 2
        assert result.json()["result"]["pid"] != killed
    else:
        assert done["attempts"] == 1 and done["error"] == f"{LOST_REASON} It was tried 1 time(s)."


async def test_cancel_running_and_pending_on_celery(celery_stack: Stack) -> None:
    stack = celery_stack
    slow = {"seconds": 30, "steps": 300}
    running = await submit(stack, "test_sleep", "analysis", slow)
    await wait_task(stack, running["id"], lambda t: t["status"] == "running")
    queued = await submit(stack, "test_sleep", "analysis", slow)  # one pool process: waits
    await asyncio.sleep(0.3)
    assert (await get_task(stack, queued["id"]))["status"] == "pending"
    headers = stack.owner.headers
    response = await stack.client.post(f"{API}/tasks/{queued['id']}/cancel", headers=headers)
    assert response.json()["status"] == "cancelled"
    response = await stack.client.post(f"{API}/tasks/{running['id']}/cancel", headers=headers)
    assert response.json()["cancel_requested"] is True
    done = await wait_task(stack, running["id"], timeout=10)
    assert done["status"] == "cancelled" and done["duration_seconds"] < 15
    assert (await get_task(stack, queued["id"]))["started_at"] is None
    assert_error(
        await stack.client.post(f"{API}/tasks/{running['id']}/cancel", headers=headers), 409
    )
    # The worker is free again: a new task runs at once.
    quick = await submit(stack, "test_sleep", "analysis", {"seconds": 0})
    assert (await wait_task(stack, quick["id"], timeout=20))["status"] == "succeeded"


async def test_result_backend_holds_the_final_status(celery_stack: Stack) -> None:
    stack = celery_stack
    task = await submit(stack, "test_sleep", "analysis", {"seconds": 0})
    await wait_task(stack, task["id"])
    runner = stack.runner
    assert isinstance(runner, CeleryRunner)
    outcome = AsyncResult(task["id"], app=runner.celery)
    value = await asyncio.to_thread(outcome.get, timeout=10)
    assert value == "succeeded"
