"""A chat turn from question to stored answer: persist the user message, build the context,
use the result cache, run the agent loop, persist the assistant message. Events go to
`emit` as they happen; the turn completes even if nobody listens any more."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatdata.cache.store import ResultCache
from chatdata.chat import proposals, service
from chatdata.chat.agent import AgentLoop, Emit, LoopBudget, LoopResult
from chatdata.chat.context import dataset_context, history_messages
from chatdata.chat.kernels import ConversationKernels
from chatdata.chat.llm.base import ChatProvider, TurnRequest
from chatdata.chat.models import Conversation, Message
from chatdata.chat.prompt import TOOLS, render_system_prompt, trim_history
from chatdata.chat.recovery import heartbeat
from chatdata.chat.schemas import MessageOut
from chatdata.config import Settings
from chatdata.datasets.files import local_cache_dir
from chatdata.db.base import utcnow
from chatdata.errors import AppError
from chatdata.sandbox.errors import CodeRejected
from chatdata.storage.base import ObjectStore

log = logging.getLogger("chatdata.chat")


@dataclass
class TurnDeps:
    """What a turn needs from the runtime."""

    sessions: async_sessionmaker[AsyncSession]
    store: ObjectStore
    kernels: ConversationKernels
    provider: ChatProvider
    cache: ResultCache
    settings: Settings
    runner_id: str  # this instance's (see `recovery`)


@dataclass(frozen=True)
class TurnInput:
    """The user's side of a turn."""

    conversation_id: uuid.UUID
    question: str
    code_execution: bool
    use_cache: bool = True


async def run_turn(deps: TurnDeps, turn: TurnInput, emit: Emit) -> MessageOut:
    """Run one turn to completion; returns the stored assistant message."""
    async with deps.sessions() as session, session.begin():
        conversation = await session.get(Conversation, turn.conversation_id)
        assert conversation is not None
        user_message = await service.add_message(
            session, conversation, role="user", content=turn.question
        )
        assistant = await service.add_message(
            session, conversation, role="assistant", content="", status="running"
        )
        assistant.runner_id, assistant.heartbeat_at = deps.runner_id, utcnow()
    user_out = MessageOut.model_validate(user_message).model_dump(mode="json")
    await emit("message", {"message": user_out})
    async with heartbeat(deps.sessions, assistant.id):
        return await _answer(deps, turn, user_message.position, assistant.id, emit)


async def _answer(
    deps: TurnDeps, turn: TurnInput, position: int, assistant_id: uuid.UUID, emit: Emit
) -> MessageOut:
    """Answer the question into the running assistant message `assistant_id`."""
    loop = _loop(deps, turn.conversation_id, emit)
    try:
        request, key = await _prepare(deps, turn, position)
        cached = await deps.cache.get(key) if turn.use_cache else None
        if cached is not None:
            return await _finish_from_cache(deps, assistant_id, cached, emit)
        result = await loop.run(request)
    except AppError as exc:
        return await _fail(deps, assistant_id, loop.result, exc.code, exc.message, emit)
    except Exception:
        log.exception("chat turn failed")
        text = "Something went wrong while answering; please try again."
        return await _fail(deps, assistant_id, loop.result, "internal_error", text, emit)
    code_result = _code_result(deps, result)
    message = await _store(deps, assistant_id, result.text, "complete", code_result, emit)
    if not result.proposals and all(c["status"] == "ok" for c in result.cells):
        await deps.cache.set(key, {"content": result.text, "code_result": code_result})
    return message


async def _prepare(deps: TurnDeps, turn: TurnInput, position: int) -> tuple[TurnRequest, str]:
    """The model request (prompt, history, tools) and the result-cache key of a turn."""
    async with deps.sessions() as session:
        conversation = await session.get(Conversation, turn.conversation_id)
        assert conversation is not None
        history = await history_messages(session, conversation.id, position)
        context = await dataset_context(
            session,
            deps.store,
            local_cache_dir(deps.settings.data_dir),
            conversation,
            deps.settings.sample_rows,
        )
        key = _cache_key(deps, conversation, history, turn)
    request = TurnRequest(
        messages=[
            {"role": "system", "content": render_system_prompt(context)},
            *trim_history(history, deps.settings.llm_context_tokens),
            {"role": "user", "content": turn.question},
        ],
        tools=TOOLS if turn.code_execution else None,
        question=turn.question,
        dataset=context,
    )
    return request, key


def _loop(deps: TurnDeps, conversation_id: uuid.UUID, emit: Emit) -> AgentLoop:
    last_code: list[str] = []

    async def run_code(code: str) -> dict[str, Any]:
        last_code.append(code)
        return await execute_cell(deps, conversation_id, code)

    async def propose(arguments: dict[str, Any]) -> dict[str, Any]:
        async with deps.sessions() as session, session.begin():
            conversation = await session.get(Conversation, conversation_id)
            assert conversation is not None
            out = await proposals.create_proposal(
                session, deps.store, conversation, arguments, "\n\n".join(last_code) or None
            )
        return out.model_dump(mode="json")

    budget = LoopBudget(deps.settings.llm_max_steps, deps.settings.llm_max_errors)
    return AgentLoop(deps.provider, run_code, propose, emit, budget)


async def execute_cell(deps: TurnDeps, conversation_id: uuid.UUID, code: str) -> dict[str, Any]:
    """Run one cell in the conversation's kernel; a refused cell is a result, not a failure."""
    async with deps.sessions() as session:
        conversation = await session.get(Conversation, conversation_id)
        assert conversation is not None
        try:
            result = await deps.kernels.run(session, conversation, code)
        except CodeRejected as exc:
            return {
                "code": code,
                "status": "rejected",
                "outputs": [
                    {
                        "type": "error",
                        "ename": "CodeRejected",
                        "evalue": exc.message,
                        "traceback": exc.message,
                    }
                ],
                "duration_ms": 0,
            }
    return {"code": code, **result.to_dict()}


async def _fail(
    deps: TurnDeps,
    message_id: uuid.UUID,
    partial: LoopResult,
    code: str,
    text: str,
    emit: Emit,
) -> MessageOut:
    """Store a failed turn with the cells it did run, and say why."""
    await emit("error", {"code": code, "message": text})
    code_result = {**_code_result(deps, partial), "error": {"code": code, "message": text}}
    return await _store(deps, message_id, text, "error", code_result, emit)


def _code_result(deps: TurnDeps, result: LoopResult) -> dict[str, Any]:
    return {
        "kind": "chat",
        "cells": result.cells,
        "proposals": result.proposals,
        "provider": deps.provider.name,
        "model": deps.provider.model,
        "cached": False,
        "steps": result.steps,
        "usage": result.usage,
        "suggestions": result.suggestions,
    }


async def _finish_from_cache(
    deps: TurnDeps, message_id: uuid.UUID, cached: dict[str, Any], emit: Emit
) -> MessageOut:
    code_result = dict(cached["code_result"])
    # Cached cells did not run in this kernel: keep them out of the replay.
    code_result["cells"] = [{**c, "status": "cached"} for c in code_result.get("cells", [])]
    code_result["cached"] = True
    for step, cell in enumerate(code_result["cells"], start=1):
        await emit("code", {"step": step, "code": cell["code"]})
        await emit("output", {"step": step, **cell})
    await emit("token", {"text": cached["content"]})
    return await _store(deps, message_id, cached["content"], "complete", code_result, emit)


async def _store(
    deps: TurnDeps,
    message_id: uuid.UUID,
    content: str,
    status: str,
    code_result: dict[str, Any],
    emit: Emit,
) -> MessageOut:
    async with deps.sessions() as session, session.begin():
        message = await session.get(Message, message_id)
        assert message is not None
        message.content = content
        message.status = status
        message.code_result = code_result
    out = MessageOut.model_validate(message)
    await emit("done", {"message": out.model_dump(mode="json")})
    return out


def _cache_key(
    deps: TurnDeps, conversation: Conversation, history: list[dict[str, Any]], turn: TurnInput
) -> str:
    payload = json.dumps(
        [
            turn.question.strip(),
            str(conversation.dataset_version_id),
            history,
            deps.provider.name,
            deps.provider.model,
            turn.code_execution,
        ],
        sort_keys=True,
        default=str,
    )
    return "chat:" + hashlib.sha256(payload.encode()).hexdigest()
