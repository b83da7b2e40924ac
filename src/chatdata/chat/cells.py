"""Code of a conversation: run user code, list cells, export, kernel control, artifacts."""

from __future__ import annotations

import uuid
from pathlib import Path

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.auth import policy
from chatdata.auth.models import User
from chatdata.chat import service
from chatdata.chat.kernels import ConversationKernels, artifact_key
from chatdata.chat.notebook import export_notebook, export_script
from chatdata.chat.schemas import CellOut, ExecuteOut, MessageOut
from chatdata.chat.turns import TurnDeps, execute_cell
from chatdata.errors import NotFound


async def execute_user_code(
    session: AsyncSession, deps: TurnDeps, user: User, conversation_id: uuid.UUID, code: str
) -> ExecuteOut:
    """Run code the user wrote or edited; it is stored as a message (history and replay)."""
    conversation, _ = await policy.conversation_for(session, user, conversation_id)
    cell = await execute_cell(deps, conversation.id, code)
    message = await service.add_message(
        session,
        conversation,
        role="user",
        content=f"```python\n{code}\n```",
        code_result={"kind": "execute", "cells": [cell]},
    )
    return ExecuteOut(
        status=cell["status"],
        outputs=cell["outputs"],
        duration_ms=cell["duration_ms"],
        message=MessageOut.model_validate(message),
    )


async def list_cells(
    session: AsyncSession, user: User, conversation_id: uuid.UUID
) -> tuple[str, list[CellOut]]:
    """Every cell that ran, in order, with the conversation's title."""
    conversation, _ = await policy.conversation_for(session, user, conversation_id)
    cells: list[CellOut] = []
    for message in await service.conversation_messages(session, conversation.id):
        for cell in (message.code_result or {}).get("cells", []):
            cells.append(
                CellOut(
                    message_id=message.id,
                    code=cell["code"],
                    status=cell["status"],
                    outputs=cell.get("outputs", []),
                    duration_ms=cell.get("duration_ms", 0),
                )
            )
    return conversation.title or "Analysis", cells


async def export_code(
    session: AsyncSession, user: User, conversation_id: uuid.UUID, fmt: str, sample_rows: int
) -> tuple[str, str]:
    """(file content, file name) as a script or a notebook of the cells that succeeded."""
    title, cells = await list_cells(session, user, conversation_id)
    runnable = [c.model_dump() for c in cells if c.status in {"ok", "cached"}]
    if fmt == "py":
        return export_script(title, runnable, sample_rows), "analysis.py"
    return export_notebook(title, runnable, sample_rows), "analysis.ipynb"


async def restart_kernel(
    session: AsyncSession, kernels: ConversationKernels, user: User, conversation_id: uuid.UUID
) -> None:
    """Throw the kernel away; the next cell rebuilds it by replay."""
    conversation, _ = await policy.conversation_for(session, user, conversation_id)
    await kernels.forget(conversation.id)


async def interrupt_kernel(
    session: AsyncSession, kernels: ConversationKernels, user: User, conversation_id: uuid.UUID
) -> bool:
    """Interrupt the running cell, if any."""
    conversation, _ = await policy.conversation_for(session, user, conversation_id)
    return await kernels.manager.interrupt(str(conversation.id))


async def artifact_file(
    session: AsyncSession,
    kernels: ConversationKernels,
    work_dir: Path,
    user: User,
    conversation_id: uuid.UUID,
    name: str,
) -> Path:
    """A local copy of a file a cell wrote under /work/out."""
    conversation, _ = await policy.conversation_for(session, user, conversation_id)
    key = artifact_key(conversation, name)
    store = kernels.store
    if not await anyio.to_thread.run_sync(store.exists, key):
        raise NotFound("No such file.")
    target = work_dir / f"artifact-{uuid.uuid4().hex}-{Path(key).name}"
    work_dir.mkdir(parents=True, exist_ok=True)
    return await anyio.to_thread.run_sync(store.download_to, key, target)
