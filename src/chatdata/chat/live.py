"""Run chat turns in the background (one at a time per conversation) and stream their
events as Server-Sent Events. A client that goes away does not stop the turn."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

from chatdata.chat.schemas import MessageOut
from chatdata.chat.turns import TurnDeps, TurnInput, run_turn

KEEPALIVE_SECONDS = 15.0
Event = tuple[str, dict[str, Any]]


class ChatRunner:
    """Starts turns as tasks that outlive the request that asked for them."""

    def __init__(self, deps: TurnDeps) -> None:
        self.deps = deps
        self._locks: defaultdict[uuid.UUID, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._tasks: set[asyncio.Task[MessageOut]] = set()

    def start(self, turn: TurnInput) -> tuple[asyncio.Task[MessageOut], asyncio.Queue[Event]]:
        """Begin a turn; its events arrive on the returned queue, ending with `done`."""
        queue: asyncio.Queue[Event] = asyncio.Queue()

        async def emit(kind: str, data: dict[str, Any]) -> None:
            queue.put_nowait((kind, data))

        async def guarded() -> MessageOut:
            async with self._locks[turn.conversation_id]:
                return await run_turn(self.deps, turn, emit)

        task = asyncio.create_task(guarded(), name=f"chat-{turn.conversation_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task, queue

    async def wait_idle(self) -> None:
        """Wait for running turns (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def shutdown(self) -> None:
        """Cancel running turns (their messages are marked interrupted on next start)."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)


async def sse_events(queue: asyncio.Queue[Event]) -> AsyncIterator[str]:
    """Format queued events as SSE until `done`; comment pings keep proxies from closing."""
    while True:
        try:
            kind, data = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
        except TimeoutError:
            yield ": keep-alive\n\n"
            continue
        yield f"event: {kind}\ndata: {json.dumps(data, default=str, ensure_ascii=False)}\n\n"
        if kind == "done":
            return
