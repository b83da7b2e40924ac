"""Helpers for task tests: the per-runner stack, submitting tasks and waiting for them."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
from fastapi import FastAPI
from httpx import AsyncClient

from chatdata.tasks.runner import TaskRunner
from tests.datasets.api_helpers import upload_ready
from tests.support import Account, register
from tests.tasks.data import analysis_frame, csv_bytes, dirty_frame, series_frame

API = "/api/v1"
TERMINAL = {"succeeded", "failed", "cancelled"}


@dataclass
class Stack:
    """One running app with its runner, a client, an owner and the uploaded datasets."""

    name: str
    app: FastAPI
    client: AsyncClient
    owner: Account
    datasets: dict[str, str]
    frames: dict[str, pl.DataFrame]
    worker: subprocess.Popen[bytes] | None = None

    @property
    def runner(self) -> TaskRunner:
        """The app's task runner."""
        runner: TaskRunner = self.app.state.runtime.tasks
        return runner


async def build_stack(
    name: str, app: FastAPI, client: AsyncClient, worker: subprocess.Popen[bytes] | None = None
) -> Stack:
    """Register an owner and upload the analysis and time-series datasets (ingest tasks)."""
    owner = await register(client, f"{name}-owner")
    frames = {"analysis": analysis_frame(), "series": series_frame()}
    datasets = {}
    for key, frame in frames.items():
        detail = await upload_ready(client, owner, csv_bytes(frame), f"{key}.csv")
        datasets[key] = detail["id"]
    return Stack(name, app, client, owner, datasets, frames, worker)


async def upload_dirty(stack: Stack) -> str:
    """Upload a fresh copy of the dirty cleaning dataset; its id."""
    detail = await upload_ready(stack.client, stack.owner, csv_bytes(dirty_frame()), "dirty.csv")
    return str(detail["id"])


async def submit(
    stack: Stack,
    task_type: str,
    dataset: str,
    parameters: dict[str, Any],
    *,
    account: Account | None = None,
    key: str | None = None,
) -> dict[str, Any]:
    """POST a task (dataset: a key of `stack.datasets` or an id) and return its body."""
    body: dict[str, Any] = {
        "task_type": task_type,
        "dataset_id": stack.datasets.get(dataset, dataset),
        "parameters": parameters,
    }
    if key is not None:
        body["idempotency_key"] = key
    response = await stack.client.post(
        f"{API}/tasks", json=body, headers=(account or stack.owner).headers
    )
    assert response.status_code in (200, 201), response.text
    task: dict[str, Any] = response.json()
    return task


async def get_task(stack: Stack, task_id: str) -> dict[str, Any]:
    """GET the task as its owner."""
    response = await stack.client.get(f"{API}/tasks/{task_id}", headers=stack.owner.headers)
    assert response.status_code == 200, response.text
    task: dict[str, Any] = response.json()
    return task


async def wait_task(
    stack: Stack,
    task_id: str,
    until: Callable[[dict[str, Any]], bool] = lambda t: t["status"] in TERMINAL,
    timeout: float = 90.0,
) -> dict[str, Any]:
    """Poll the task until `until` holds (default: it finished); return it."""
    deadline = time.monotonic() + timeout
    while True:
        task = await get_task(stack, task_id)
        if until(task):
            return task
        assert time.monotonic() < deadline, f"task still {task['status']}: {task}"
        await asyncio.sleep(0.05)


async def run_task(
    stack: Stack, task_type: str, dataset: str, parameters: dict[str, Any]
) -> dict[str, Any]:
    """Submit, wait until it succeeds, and return the result body's `result`."""
    task = await submit(stack, task_type, dataset, parameters)
    done = await wait_task(stack, task["id"])
    assert done["status"] == "succeeded", done
    assert done["progress"] == 100 and done["error"] is None
    response = await stack.client.get(
        f"{API}/tasks/{task['id']}/result", headers=stack.owner.headers
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def wait_until(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    """Block until `predicate()` is true (for process state in Celery tests)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)
