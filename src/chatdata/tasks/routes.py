"""HTTP routes of tasks: submit, list, status, result, cancel, SSE events, registry."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import StreamingResponse

from chatdata.auth.schemas import Page
from chatdata.deps import CurrentUser, PageDep, RuntimeDep, SessionDep
from chatdata.error_docs import error_responses
from chatdata.errors import Conflict
from chatdata.tasks import service
from chatdata.tasks.events import task_events
from chatdata.tasks.registry import public_task_types
from chatdata.tasks.schemas import TaskCreateIn, TaskOut, TaskResultOut, TaskTypeOut
from chatdata.tasks.state import PENDING

router = APIRouter(
    prefix="/tasks", tags=["tasks"], responses=error_responses(401, 403, 404, 409, 413)
)
Status = Literal["pending", "running", "succeeded", "failed", "cancelled"]


@router.get("/types", response_model=list[TaskTypeOut], summary="Task types and parameters")
async def task_types(_user: CurrentUser) -> list[TaskTypeOut]:
    """Every task type users may run, with the JSON schema of its parameters."""
    return [TaskTypeOut.of(t) for t in public_task_types()]


@router.post(
    "",
    response_model=TaskOut,
    status_code=status.HTTP_201_CREATED,
    summary="Start a task",
    description="Validates the parameters for the task type (422), checks dataset access "
    "(read to analyse, edit to create versions) and queues the task. With an "
    "`idempotency_key` used before, answers 200 with the first task.",
)
async def create_task(
    body: TaskCreateIn,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    response: Response,
) -> TaskOut:
    """Validate, record and queue a task (commit first, then dispatch)."""
    new = service.NewTask(body.task_type, body.dataset_id, body.parameters, body.idempotency_key)
    task, created = await service.create_task(session, user, new)
    await session.commit()
    if not created:
        response.status_code = status.HTTP_200_OK
    if task.status == PENDING:  # a replay re-sends too: a duplicate message is harmless
        await runtime.tasks.submit(task.id)
        await session.refresh(task)
    return TaskOut.of(task)


@router.get("", response_model=Page[TaskOut], summary="My tasks")
async def list_tasks(
    user: CurrentUser,
    session: SessionDep,
    page: PageDep,
    task_status: Annotated[Status | None, Query(alias="status")] = None,
    task_type: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[TaskOut]:
    """The caller's tasks, newest first."""
    items, total = await service.list_tasks(
        session, user, status=task_status, task_type=task_type, limit=page.limit, offset=page.offset
    )
    return Page[TaskOut](
        items=[TaskOut.of(t) for t in items], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/{task_id}", response_model=TaskOut, summary="Task status")
async def get_task(task_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> TaskOut:
    """One task's status, progress, timings and error."""
    return TaskOut.of(await service.visible_task(session, user, task_id))


@router.get(
    "/{task_id}/result",
    response_model=TaskResultOut,
    summary="Task result",
    description="409 while the task is pending or running, or when it failed or was cancelled.",
)
async def get_result(task_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> TaskResultOut:
    """The result of a succeeded task."""
    task = await service.visible_task(session, user, task_id)
    result = service.finished_result(task)
    return TaskResultOut(
        task_id=task.id, task_type=task.task_type, status=task.status, result=result
    )


@router.post(
    "/{task_id}/cancel",
    response_model=TaskOut,
    summary="Cancel a task",
    description="A pending task is cancelled at once; a running one stops at its next "
    "check (its status becomes `cancelled`). 409 when it already finished.",
)
async def cancel_task(
    task_id: uuid.UUID, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> TaskOut:
    """Cancel a pending task or stop a running one."""
    task = await service.visible_task(session, user, task_id)
    if await runtime.tasks.cancel(task.id) is None:
        raise Conflict(f"The task already finished ({task.status}).", code="task_finished")
    await session.refresh(task)
    return TaskOut.of(task)


@router.get(
    "/{task_id}/events",
    summary="Task progress (SSE)",
    description="Server-Sent Events: `progress` (the task) whenever its status or progress "
    "changes, then `done` (the task) when it finished.",
    response_class=StreamingResponse,
)
async def task_event_stream(
    task_id: uuid.UUID, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> StreamingResponse:
    """Stream the task's progress as Server-Sent Events until it finishes."""
    task = await service.visible_task(session, user, task_id)
    return StreamingResponse(
        task_events(runtime.sessions, task.id),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
