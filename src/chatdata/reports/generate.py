"""Build a report's blocks from a conversation and store it (no FastAPI here)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.auth import policy
from chatdata.auth.models import User
from chatdata.chat import service as chat_service
from chatdata.chat.llm.base import ChatProvider
from chatdata.chat.models import Conversation, Message
from chatdata.datasets.models import Dataset, DatasetVersion
from chatdata.db.base import utcnow
from chatdata.errors import BadRequest
from chatdata.reports.blocks import (
    Section,
    answer_text,
    appendix_blocks,
    heading,
    section_blocks,
    summary_blocks,
)
from chatdata.reports.models import Report
from chatdata.reports.narrative import llm_summary
from chatdata.reports.schemas import GenerateIn


async def generate_report(
    session: AsyncSession,
    user: User,
    request: GenerateIn,
    provider: ChatProvider | None = None,
) -> Report:
    """Create a report from the caller's conversation; NotFound when they cannot see it.

    With a `provider` (an LLM is configured) the executive summary is written by it; else,
    or when it fails, from the messages' own text."""
    conversation, dataset = await policy.conversation_for(session, user, request.conversation_id)
    messages = await chat_service.conversation_messages(session, conversation.id)
    sections = choose_sections(messages, request.message_ids)
    title = request.title or conversation.title or f"Analysis of {dataset.name}"
    blocks: list[dict[str, Any]] = [heading(title, level=1)]
    written = await llm_summary(provider, dataset.name, sections) if provider else None
    blocks += summary_blocks(sections, dataset.name, written)
    for section in sections:
        blocks += section_blocks(section, request.include_code)
    blocks += appendix_blocks(await _data_facts(session, conversation, dataset))
    report = Report(
        dataset_id=dataset.id,
        conversation_id=conversation.id,
        user_id=user.id,
        team_id=conversation.team_id,
        title=title,
        content={"blocks": blocks},
        is_public=False,
    )
    session.add(report)
    await session.flush()
    return report


def choose_sections(messages: list[Message], message_ids: list[uuid.UUID] | None) -> list[Section]:
    """Sections of the chosen messages (default: every answer and every code run)."""
    known = {m.id for m in messages}
    if message_ids is not None:
        missing = [str(i) for i in message_ids if i not in known]
        if missing:
            raise BadRequest(
                "Some messages are not part of this conversation.", details={"missing": missing}
            )
    wanted = set(message_ids) if message_ids is not None else None
    sections: list[Section] = []
    question = "Analysis"
    for message in messages:
        section = _section_of(message, question, len(sections) + 1)
        if section is None and message.role == "user":
            question = message.content.strip() or question
        elif section is not None and (wanted is None or message.id in wanted):
            sections.append(section)
    return sections


def _section_of(message: Message, question: str, number: int) -> Section | None:
    result = message.code_result or {}
    cells = [c for c in result.get("cells", []) if isinstance(c, dict)]
    if message.role == "assistant":
        return Section(question=question, answer=answer_text(message.content), cells=cells)
    if result.get("kind") == "execute":
        return Section(question=f"Code run {number}", answer="", cells=cells)
    return None


async def _data_facts(
    session: AsyncSession, conversation: Conversation, dataset: Dataset
) -> dict[str, Any]:
    version = await _version_of(session, conversation, dataset)
    return {
        "Dataset": dataset.name,
        "Version": version.number if version else None,
        "Version hash": version.content_hash if version else None,
        "Rows": version.row_count if version else dataset.row_count,
        "Columns": version.column_count if version else dataset.column_count,
        "Generated at": utcnow().strftime("%Y-%m-%d %H:%M UTC"),
    }


async def _version_of(
    session: AsyncSession, conversation: Conversation, dataset: Dataset
) -> DatasetVersion | None:
    if conversation.dataset_version_id is not None:
        return await session.get(DatasetVersion, conversation.dataset_version_id)
    latest = await session.scalars(
        select(DatasetVersion)
        .where(DatasetVersion.dataset_id == dataset.id)
        .order_by(DatasetVersion.number.desc())
        .limit(1)
    )
    return latest.first()
