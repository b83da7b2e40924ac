"""Interrupted answers: an instance's own after its restart and any whose heartbeat
stopped are marked; another live instance's running answer is left alone."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI
from httpx import AsyncClient

from chatdata.chat.models import Message
from chatdata.chat.recovery import (
    INTERRUPTED_TEXT,
    heartbeat,
    mark_interrupted_turns,
    runner_id,
)
from chatdata.db.base import utcnow
from tests.chat.test_chat_api import start

OLD = timedelta(minutes=5)


def test_runner_id_survives_a_restart_and_differs_per_data_dir(tmp_path: Path) -> None:
    first = runner_id(tmp_path / "a")
    assert runner_id(tmp_path / "a") == first
    assert runner_id(tmp_path / "b") != first


async def add_answer(
    app: FastAPI, conversation_id: str, position: int, **fields: object
) -> uuid.UUID:
    """A stored assistant message with `fields` (status, runner_id, heartbeat_at...)."""
    message = Message(
        conversation_id=uuid.UUID(conversation_id),
        position=position,
        role="assistant",
        content="partial answer",
        **fields,
    )
    async with app.state.runtime.sessions() as session, session.begin():
        session.add(message)
    return message.id


async def states(app: FastAPI, ids: dict[str, uuid.UUID]) -> dict[str, tuple[str, str]]:
    async with app.state.runtime.sessions() as session:
        found = {name: await session.get(Message, id_) for name, id_ in ids.items()}
    return {name: (m.status, m.content) for name, m in found.items() if m is not None}


async def test_only_dead_answers_are_marked(chat_client: AsyncClient, chat_app: FastAPI) -> None:
    _, _, conversation_id = await start(chat_client, "recovery")
    now = utcnow()
    running = {"status": "running"}
    ids = {
        "mine": await add_answer(
            chat_app, conversation_id, 10, runner_id="me", heartbeat_at=now, **running
        ),
        "other_live": await add_answer(
            chat_app, conversation_id, 11, runner_id="other", heartbeat_at=now, **running
        ),
        "other_dead": await add_answer(
            chat_app, conversation_id, 12, runner_id="other", heartbeat_at=now - OLD, **running
        ),
        "no_runner": await add_answer(chat_app, conversation_id, 13, **running),
        "finished": await add_answer(
            chat_app, conversation_id, 14, status="complete", runner_id="x", heartbeat_at=now - OLD
        ),
    }
    sessions = chat_app.state.runtime.sessions
    interrupted = ("interrupted", INTERRUPTED_TEXT)
    live = ("running", "partial answer")

    await mark_interrupted_turns(sessions, own_runner=None)  # the periodic sweep
    after_sweep = await states(chat_app, ids)
    assert after_sweep["other_dead"] == after_sweep["no_runner"] == interrupted
    assert after_sweep["mine"] == after_sweep["other_live"] == live
    assert after_sweep["finished"] == ("complete", "partial answer")

    await mark_interrupted_turns(sessions, own_runner="me")  # "me" restarted
    after_restart = await states(chat_app, ids)
    assert after_restart["mine"] == interrupted
    assert after_restart["other_live"] == live


async def test_heartbeat_is_renewed_while_the_answer_runs(
    chat_client: AsyncClient, chat_app: FastAPI
) -> None:
    _, _, conversation_id = await start(chat_client, "heartbeat")
    old = utcnow() - OLD
    answer = await add_answer(
        chat_app, conversation_id, 10, status="running", runner_id="other", heartbeat_at=old
    )
    sessions = chat_app.state.runtime.sessions
    async with heartbeat(sessions, answer, every=0.05):
        await asyncio.sleep(0.3)
        await mark_interrupted_turns(sessions, own_runner=None)
    async with sessions() as session:
        message = await session.get(Message, answer)
        assert message is not None
        assert message.status == "running"
        assert message.heartbeat_at is not None and message.heartbeat_at > old + OLD / 2
