"""Shared fixtures for the built-in analyst: real tables (ingested and profiled as the
platform does), one sandbox KernelManager per test module, and a helper that runs a
question through the provider's tool loop with every cell in the kernel."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from chatdata.chat.llm.builtin import BuiltinAnalyst
from chatdata.chat.llm.builtin.answers import parse_result
from chatdata.chat.llm.builtin.schema import Schema, schema_from_context
from chatdata.evaluation.direct import DirectReply, PreparedTable, ask_direct, prepare_table
from chatdata.sandbox.manager import KernelManager

# Small CSVs exported from datasets that PyPI packages bundle (eval/build.py).
TABLES = Path(__file__).resolve().parents[2] / "eval" / "tables"


@pytest.fixture(scope="session")
def table(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], PreparedTable]:
    """`table("penguins.csv")`: the file ingested and profiled (cached per session)."""
    work = tmp_path_factory.mktemp("builtin-tables")
    cache: dict[str, PreparedTable] = {}

    def get(name: str) -> PreparedTable:
        if name not in cache:
            cache[name] = prepare_table(TABLES / name, work)
        return cache[name]

    return get


@pytest.fixture(scope="session")
def schema(table: Callable[[str], PreparedTable]) -> Callable[[str], Schema]:
    """`schema("tips.csv")`: the analyst's view of a table's columns."""
    return lambda name: schema_from_context(table(name).context)


@pytest.fixture(scope="session")
def frame() -> Callable[[str], pd.DataFrame]:
    """`frame("tips.csv")`: the same file read by pandas, for expected values."""
    return lambda name: pd.read_csv(TABLES / name)


@pytest.fixture(scope="module")
async def kernels(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[KernelManager]:
    """One sandbox kernel manager per module, with the default limits."""
    manager = KernelManager(runtime_dir=tmp_path_factory.mktemp("kernels"), pool_size=1)
    yield manager
    await manager.shutdown()


@dataclass
class Answer:
    """A turn's reply plus the analyst's `__RESULT__` of its last cell."""

    reply: DirectReply
    result: dict[str, Any]

    @property
    def values(self) -> dict[str, Any]:
        """The key numbers of the result."""
        return dict(self.result.get("values") or {})


async def ask(
    kernels: KernelManager, table: PreparedTable, question: str, *, key: str | None = None
) -> Answer:
    """Ask the built-in analyst; its cells run in the kernel `key` (default: the table)."""
    reply = await ask_direct(BuiltinAnalyst(), kernels, table, question, key or table.context.name)
    texts = [
        str(part.get("text", ""))
        for cell in reply.cells
        for part in cell["outputs"]
        if part.get("type") == "stream"
    ]
    return Answer(reply, parse_result("\n".join(texts)) or {})
