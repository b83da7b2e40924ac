"""Test-only task types (registered when `CHATDATA_TEST_TASK_TYPES=1`): a slow, checkable task.

`test_sleep` sleeps in steps, reporting progress and checking for cancellation at each;
it may be retried once. `test_sleep_once` is the same but never retried. Both say which
attempt and process ran them, so tests can see re-queues and worker deaths.
"""

from __future__ import annotations

import os
import time

from pydantic import Field

from chatdata.errors import BadRequest
from chatdata.tasks.context import TaskContext
from chatdata.tasks.registry import TaskParams, TaskResult, TaskType, register


class SleepParams(TaskParams):
    """How long to run, in how many steps, and an optional failure to raise at the end."""

    seconds: float = Field(default=1.0, ge=0, le=120)
    steps: int = Field(default=10, ge=1, le=1000)
    fail_with: str | None = None


def run_sleep(ctx: TaskContext, params: SleepParams) -> TaskResult:
    """Sleep `seconds` in `steps`, reporting progress; raise `fail_with` if given."""
    for step in range(params.steps):
        ctx.check_cancelled()
        ctx.progress(100 * step // params.steps, f"step {step + 1} of {params.steps}")
        time.sleep(params.seconds / params.steps)
    ctx.check_cancelled()
    if params.fail_with:
        raise BadRequest(params.fail_with)
    return {"slept": params.seconds, "attempt": ctx.attempt, "pid": os.getpid()}


for _name, _attempts in (("test_sleep", 2), ("test_sleep_once", 1)):
    register(
        TaskType(
            name=_name,
            description="Test only: sleep in steps, reporting progress.",
            params=SleepParams,
            run=run_sleep,
            needs_ready_dataset=False,
            max_attempts=_attempts,
        )
    )
