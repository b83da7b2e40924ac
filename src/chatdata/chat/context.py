"""Build what the analyst knows of a conversation: the dataset's schema and masked
statistics, a few masked sample rows, the sampling note, and the history."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import anyio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.chat.compact import compact_outputs
from chatdata.chat.llm.base import DatasetContext
from chatdata.chat.models import Conversation, Message
from chatdata.datasets.files import local_copy
from chatdata.datasets.models import Dataset, DatasetColumn, DatasetVersion
from chatdata.datasets.rows import pii_columns
from chatdata.datasets.sample import read_rows
from chatdata.storage.base import ObjectStore

SAMPLE_ROWS_IN_PROMPT = 5


async def dataset_context(
    session: AsyncSession,
    store: ObjectStore,
    cache_dir: Path,
    conversation: Conversation,
    sample_rows: int,
) -> DatasetContext:
    """The dataset as the model sees it; PII masked in statistics and rows."""
    dataset = await session.get(Dataset, conversation.dataset_id)
    assert dataset is not None
    columns = await session.scalars(
        select(DatasetColumn)
        .where(DatasetColumn.dataset_id == dataset.id)
        .order_by(DatasetColumn.position)
    )
    column_info = [
        {
            "name": c.name,
            "data_type": c.data_type,
            "semantic_type": c.semantic_type,
            "pii": c.pii or None,
            "statistics": c.statistics,
        }
        for c in columns.all()
    ]
    rows = dataset.row_count or 0
    is_sample = rows > sample_rows
    note = (
        f"a seeded random sample of {sample_rows:,} of {rows:,} rows"
        if is_sample
        else f"the whole table, {rows:,} rows"
    )
    return DatasetContext(
        name=dataset.name,
        row_count=rows,
        columns=column_info,
        sample_rows=await _masked_sample(session, store, cache_dir, conversation, dataset),
        df_is_sample=is_sample,
        sample_note=note,
        extra_views={},
    )


async def _masked_sample(
    session: AsyncSession,
    store: ObjectStore,
    cache_dir: Path,
    conversation: Conversation,
    dataset: Dataset,
) -> list[dict[str, Any]]:
    if conversation.dataset_version_id is None:
        return []
    version = await session.get(DatasetVersion, conversation.dataset_version_id)
    if version is None:
        return []
    pii = await pii_columns(session, dataset.id)
    path = await anyio.to_thread.run_sync(local_copy, store, version.file_path, cache_dir)
    page = await anyio.to_thread.run_sync(
        lambda: read_rows(path, limit=SAMPLE_ROWS_IN_PROMPT, random=True, pii_by_column=pii)
    )
    return page.rows


async def history_messages(
    session: AsyncSession, conversation_id: uuid.UUID, before_position: int
) -> list[dict[str, Any]]:
    """Earlier turns as chat messages; code and outputs folded into the assistant text."""
    rows = await session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.position < before_position)
        .order_by(Message.position)
    )
    history: list[dict[str, Any]] = []
    for message in rows.all():
        cells = (message.code_result or {}).get("cells", [])
        if message.role == "user" and (message.code_result or {}).get("kind") == "execute":
            history.append({"role": "user", "content": _cells_text("I ran this code", cells)})
        elif message.role == "user":
            history.append({"role": "user", "content": message.content})
        else:
            text = message.content
            if cells:
                text = _cells_text("Code I ran", cells) + "\n\n" + text
            history.append({"role": "assistant", "content": text})
    return history


def _cells_text(lead: str, cells: list[dict[str, Any]]) -> str:
    blocks = []
    for cell in cells:
        output = compact_outputs(cell.get("status", "ok"), cell.get("outputs", []))
        blocks.append(f"```python\n{cell.get('code', '')}\n```\n{output[:1500]}")
    return f"{lead}:\n" + "\n".join(blocks)
