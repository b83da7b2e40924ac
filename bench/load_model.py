"""The scripted OpenAI-compatible model `bench.load` chats with, in a process of its own (its
CPU is measured apart from the server's and the driver's). It answers every request: a
`run_python` call when the user's question carries CELL_MARK, else (and after the cell) text.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any

CELL_MARK = "[cell]"


def _model_reply(body: dict[str, Any]) -> Any:
    """A tool call when the user's question carries CELL_MARK, else (or after it) text."""
    from tests.llm.script import Reply, ToolCall

    last = body["messages"][-1]
    if last.get("role") == "user" and CELL_MARK in str(last.get("content")):
        return Reply(tool_calls=[ToolCall.run_python("df.shape")], chunks=1)
    return Reply(text="The total is 42; most rows are in region r1.", chunks=4)


def _serve_model(conn: Connection) -> None:
    """Child process: run the scripted server, answer every turn, stop when told."""
    from tests.llm.scripted_server import ScriptedLLMServer

    server = ScriptedLLMServer().start()
    server.script(*([_model_reply] * 500_000))
    conn.send(server.base_url)
    conn.recv()
    server.stop()


@contextmanager
def model_server() -> Iterator[tuple[str, int]]:
    """The scripted model server in a child process; yields (base URL, pid)."""
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(target=_serve_model, args=(child,))
    process.start()
    try:
        yield parent.recv(), int(process.pid or 0)
    finally:
        parent.send("stop")
        process.join(30)
