"""Connect conversations to the sandbox: which datasets a kernel sees, which cells rebuild
its state, and where the files a cell writes are kept."""

from __future__ import annotations

import re
import uuid
from pathlib import Path, PurePosixPath
from typing import Any

import anyio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.audit.service import record
from chatdata.chat.models import Conversation, Message
from chatdata.datasets.files import local_copy
from chatdata.datasets.models import Dataset, DatasetVersion
from chatdata.datasets.versions import latest_version
from chatdata.errors import NotFound
from chatdata.sandbox.limits import DatasetMount, ExecutionResult
from chatdata.sandbox.manager import KernelManager
from chatdata.storage.base import ObjectStore

_NOT_IDENT = re.compile(r"[^A-Za-z0-9_]+")
LIMIT_KILLS = frozenset({"timeout", "died"})


class ConversationKernels:
    """Runs code for conversations in their kernels."""

    def __init__(self, manager: KernelManager, store: ObjectStore, cache_dir: Path) -> None:
        self.manager = manager
        self.store = store
        self.cache_dir = cache_dir

    async def run(
        self,
        session: AsyncSession,
        conversation: Conversation,
        code: str,
        *,
        time_limit: float | None = None,
    ) -> ExecutionResult:
        """Run `code` in the conversation's kernel (rebuilt by replay if it is gone)."""
        mounts = await self.mounts(session, conversation)
        replay = await replay_cells(session, conversation.id)
        result = await self.manager.execute(
            str(conversation.id), code, datasets=mounts, replay=replay, timeout=time_limit
        )
        if result.kill_reason in LIMIT_KILLS:
            await _audit_kill(session, conversation, result)
        result.outputs = [await self._keep_file(conversation, part) for part in result.outputs]
        return result

    async def mounts(self, session: AsyncSession, conversation: Conversation) -> list[DatasetMount]:
        """The conversation's dataset version first (`data`), then the extra datasets."""
        version = None
        if conversation.dataset_version_id is not None:
            version = await session.get(DatasetVersion, conversation.dataset_version_id)
        version = version or await latest_version(session, conversation.dataset_id)
        if version is None:
            raise NotFound("The conversation's dataset has no data yet.")
        mounts = [DatasetMount("data", await self._local(version))]
        for extra_id in conversation.extra_dataset_ids or []:
            extra = await session.get(Dataset, uuid.UUID(str(extra_id)))
            extra_version = await latest_version(session, extra.id) if extra else None
            if extra is None or extra_version is None:
                continue
            mounts.append(DatasetMount(view_name(extra.name), await self._local(extra_version)))
        return mounts

    async def _local(self, version: DatasetVersion) -> Path:
        return await anyio.to_thread.run_sync(
            local_copy, self.store, version.file_path, self.cache_dir
        )

    async def _keep_file(self, conversation: Conversation, part: dict[str, Any]) -> dict[str, Any]:
        """Copy a file the cell wrote under /work/out into storage as an artifact."""
        host_path = part.get("path")
        if part.get("type") != "file" or not host_path:
            return part
        name = PurePosixPath(str(part.get("name") or "file")).name
        key = artifact_key(conversation, name)
        await anyio.to_thread.run_sync(self.store.put_file, key, Path(str(host_path)))
        kept = {k: v for k, v in part.items() if k != "path"}
        kept["url"] = f"/api/v1/conversations/{conversation.id}/artifacts/{name}"
        return kept

    async def forget(self, conversation_id: uuid.UUID) -> None:
        """Drop the conversation's kernel and state (restart, deleted conversation)."""
        await self.manager.restart(str(conversation_id))


async def _audit_kill(
    session: AsyncSession, conversation: Conversation, result: ExecutionResult
) -> None:
    """Audit a kernel killed for a limit; committed at once (the caller only reads)."""
    await record(
        session,
        "kernel.kill",
        actor_id=conversation.user_id,
        target_type="conversation",
        target_id=conversation.id,
        team_id=conversation.team_id,
        details={"reason": result.kill_reason, "status": result.status},
    )
    await session.commit()


def artifact_key(conversation: Conversation, name: str) -> str:
    """Storage key of a file a conversation's cell wrote."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "file"
    return f"{conversation.team_id}/conversations/{conversation.id}/artifacts/{safe}"


def view_name(dataset_name: str) -> str:
    """A DuckDB/Python identifier for an extra dataset's view."""
    ident = _NOT_IDENT.sub("_", dataset_name.lower()).strip("_") or "dataset"
    return ident if ident[0].isalpha() else f"t_{ident}"[:60]


async def replay_cells(session: AsyncSession, conversation_id: uuid.UUID) -> list[str]:
    """Successful cells of the conversation in order: they rebuild a lost kernel's state."""
    rows = await session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.code_result.is_not(None))
        .order_by(Message.position)
    )
    cells: list[str] = []
    for message in rows.all():
        for cell in (message.code_result or {}).get("cells", []):
            if cell.get("status") == "ok":
                cells.append(str(cell["code"]))
    return cells
