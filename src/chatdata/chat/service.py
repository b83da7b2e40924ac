"""Conversations: create, list, read, rename, delete; messages in order."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.audit.service import record
from chatdata.auth import policy
from chatdata.auth.models import User
from chatdata.chat.models import Conversation, Message, Proposal
from chatdata.chat.schemas import (
    ConversationDetailOut,
    ConversationIn,
    ConversationOut,
    MessageOut,
)
from chatdata.datasets.models import Dataset
from chatdata.datasets.versions import latest_version
from chatdata.db.base import utcnow
from chatdata.errors import Conflict


async def create_conversation(
    session: AsyncSession, user: User, body: ConversationIn
) -> ConversationOut:
    """Start a conversation on the dataset's current version (it must be ready)."""
    dataset, _ = await policy.dataset_for(session, user, body.dataset_id)
    _require_ready(dataset)
    for extra_id in body.extra_dataset_ids:
        extra, _ = await policy.dataset_for(session, user, extra_id)
        _require_ready(extra)
    version = await latest_version(session, dataset.id)
    conversation = Conversation(
        dataset_id=dataset.id,
        dataset_version_id=version.id if version else None,
        user_id=user.id,
        team_id=dataset.team_id,
        title=body.title or f"About {dataset.name}",
        extra_dataset_ids=[str(i) for i in body.extra_dataset_ids],
    )
    session.add(conversation)
    await session.flush()
    return conversation_out(conversation)


def _require_ready(dataset: Dataset) -> None:
    if dataset.status != "ready":
        raise Conflict(f"The dataset '{dataset.name}' is {dataset.status}, not ready.")


async def list_conversations(
    session: AsyncSession,
    user: User,
    *,
    dataset_id: uuid.UUID | None,
    limit: int,
    offset: int,
) -> tuple[list[ConversationOut], int]:
    """My conversations, newest activity first."""
    stmt = select(Conversation).where(Conversation.user_id == user.id)
    if dataset_id is not None:
        stmt = stmt.where(Conversation.dataset_id == dataset_id)
    total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = await session.scalars(
        stmt.order_by(Conversation.updated_at.desc(), Conversation.id).limit(limit).offset(offset)
    )
    return [conversation_out(c) for c in rows.all()], int(total or 0)


async def get_conversation(
    session: AsyncSession, user: User, conversation_id: uuid.UUID
) -> ConversationDetailOut:
    """A conversation with every message."""
    conversation, _ = await policy.conversation_for(session, user, conversation_id)
    messages = [
        MessageOut.model_validate(m) for m in await conversation_messages(session, conversation.id)
    ]
    await _current_proposals(session, conversation.id, messages)
    return ConversationDetailOut(**conversation_out(conversation).model_dump(), messages=messages)


async def _current_proposals(
    session: AsyncSession, conversation_id: uuid.UUID, messages: list[MessageOut]
) -> None:
    """Proposals inside stored messages show their current status (accepted, rejected)."""
    rows = await session.scalars(
        select(Proposal).where(Proposal.conversation_id == conversation_id)
    )
    current = {str(p.id): p for p in rows.all()}
    for message in messages:
        for proposal in (message.code_result or {}).get("proposals", []):
            decided = current.get(str(proposal.get("id")))
            if decided is not None:
                proposal["status"] = decided.status
                proposal["version_id"] = str(decided.version_id) if decided.version_id else None
                proposal["decided_at"] = (
                    decided.decided_at.isoformat() if decided.decided_at else None
                )


async def rename_conversation(
    session: AsyncSession, user: User, conversation_id: uuid.UUID, title: str
) -> ConversationOut:
    """Set the title."""
    conversation, _ = await policy.conversation_for(session, user, conversation_id)
    conversation.title = title
    await session.flush()
    return conversation_out(conversation)


async def delete_conversation(
    session: AsyncSession, user: User, conversation_id: uuid.UUID
) -> Conversation:
    """Delete the conversation and its messages; the caller stops its kernel."""
    conversation, _ = await policy.conversation_for(session, user, conversation_id)
    await record(
        session,
        "conversation.delete",
        actor_id=user.id,
        target_type="conversation",
        target_id=conversation.id,
        team_id=conversation.team_id,
        details={"dataset_id": conversation.dataset_id},
    )
    await session.delete(conversation)
    await session.flush()
    return conversation


async def conversation_messages(session: AsyncSession, conversation_id: uuid.UUID) -> list[Message]:
    """Messages in order."""
    rows = await session.scalars(
        select(Message).where(Message.conversation_id == conversation_id).order_by(Message.position)
    )
    return list(rows.all())


async def add_message(
    session: AsyncSession,
    conversation: Conversation,
    *,
    role: str,
    content: str,
    status: str = "complete",
    code_result: dict[str, Any] | None = None,
) -> Message:
    """Append a message at the next position and touch the conversation."""
    position = await session.scalar(
        select(func.coalesce(func.max(Message.position), -1) + 1).where(
            Message.conversation_id == conversation.id
        )
    )
    message = Message(
        conversation_id=conversation.id,
        position=int(position or 0),
        role=role,
        content=content,
        status=status,
        code_result=code_result,
    )
    session.add(message)
    conversation.updated_at = utcnow()
    await session.flush()
    return message


def conversation_out(conversation: Conversation) -> ConversationOut:
    """The list form of a conversation."""
    return ConversationOut(
        id=conversation.id,
        dataset_id=conversation.dataset_id,
        dataset_version_id=conversation.dataset_version_id,
        title=conversation.title,
        extra_dataset_ids=[uuid.UUID(str(i)) for i in conversation.extra_dataset_ids or []],
        created_at=conversation.created_at,
        updated_at=conversation.updated_at,
    )
