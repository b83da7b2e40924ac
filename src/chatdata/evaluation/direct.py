"""The `kernel` backend: the provider's tool loop against a sandbox KernelManager directly.

Tables go through the real ingest (`ingest_to_parquet`) and profile (`profile_parquet`),
the provider sees the same `DatasetContext` the chat API builds, and every cell runs in a
sandboxed kernel. Only the HTTP layer, the database and the result cache are left out, so
an analyst can be measured (and tested) without the web app.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from chatdata.chat.llm.base import ChatProvider, DatasetContext, ModelTurn, ToolCall, TurnRequest
from chatdata.chat.prompt import TOOLS, render_system_prompt
from chatdata.datasets.ingest import ingest_to_parquet
from chatdata.datasets.profile import profile_parquet
from chatdata.datasets.sample import read_rows
from chatdata.sandbox.limits import DatasetMount
from chatdata.sandbox.manager import KernelManager

MAX_STEPS = 8
SAMPLE_ROWS_IN_PROMPT = 5
TEXT_PARTS = frozenset({"stream", "text", "notice"})


@dataclass
class PreparedTable:
    """A data file converted to Parquet, with the context a provider receives."""

    parquet: Path
    context: DatasetContext


@dataclass
class DirectReply:
    """The outcome of one turn: final text, cells run, proposals made."""

    content: str
    status: str
    cells: list[dict[str, Any]] = field(default_factory=list)
    proposals: list[dict[str, Any]] = field(default_factory=list)
    provider: str | None = None
    suggestions: list[str] = field(default_factory=list)


def prepare_table(source: Path, work_dir: Path, sample_rows: int = 200_000) -> PreparedTable:
    """Ingest and profile `source`; build its `DatasetContext` (blocking)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    parquet = work_dir / f"{source.stem}.parquet"
    ingest_to_parquet(source, parquet, work_dir=work_dir)
    profile = profile_parquet(parquet)
    columns, pii = [], {}
    for column in profile.column_profiles:
        stats = column.to_dict()
        finding = stats.pop("pii", None)
        name = stats.pop("name")
        stats.pop("position", None)
        stats.pop("sample_values", None)
        if finding:
            pii[name] = str(finding.get("kind"))
        columns.append(
            {
                "name": name,
                "data_type": stats.get("logical_type"),
                "semantic_type": stats.pop("semantic_type", None),
                "pii": finding or None,
                "statistics": stats,
            }
        )
    rows = read_rows(parquet, limit=SAMPLE_ROWS_IN_PROMPT, random=True, pii_by_column=pii).rows
    is_sample = profile.rows > sample_rows
    note = (
        f"a seeded random sample of {sample_rows:,} of {profile.rows:,} rows"
        if is_sample
        else f"the whole table, {profile.rows:,} rows"
    )
    context = DatasetContext(source.stem, profile.rows, columns, rows, is_sample, note)
    return PreparedTable(parquet, context)


async def ask_direct(
    provider: ChatProvider,
    kernels: KernelManager,
    table: PreparedTable,
    message: str,
    key: str,
    *,
    code_execution: bool = True,
) -> DirectReply:
    """Run one turn: provider calls, cells in the kernel `key`, proposals checked."""
    request = TurnRequest(
        messages=[
            {"role": "system", "content": render_system_prompt(table.context)},
            {"role": "user", "content": message},
        ],
        tools=TOOLS if code_execution else None,
        question=message,
        dataset=table.context,
    )
    reply = DirectReply(content="", status="complete", provider=provider.name)
    written: set[str] = set()

    async def ignore(_: str) -> None:
        return None

    for step in range(1, MAX_STEPS + 1):
        call = TurnRequest(request.messages, request.tools if step < MAX_STEPS else None,
                           request.question, request.dataset)  # fmt: skip
        turn = await provider.complete(call, ignore)
        if not turn.tool_calls:
            reply.content = turn.text
            reply.suggestions = list(turn.suggestions)
            return reply
        request.messages.append(_assistant_message(turn))
        for tool in turn.tool_calls:
            content = await _tool(tool, kernels, table, key, reply, written)
            request.messages.append({"role": "tool", "tool_call_id": tool.id, "content": content})
    reply.content = "I stopped before reaching an answer (step limit)."
    return reply


async def _tool(
    tool: ToolCall,
    kernels: KernelManager,
    table: PreparedTable,
    key: str,
    reply: DirectReply,
    written: set[str],
) -> str:
    try:
        arguments = json.loads(tool.arguments or "{}")
    except ValueError:
        return f"error: the arguments of {tool.name} are not valid JSON"
    if tool.name == "run_python":
        code = str(arguments.get("code", ""))
        result = await kernels.execute(key, code, datasets=[DatasetMount("data", table.parquet)])
        cell = {"code": code, **result.to_dict()}
        reply.cells.append(cell)
        written.update(str(p.get("name")) for p in result.outputs if p.get("type") == "file")
        return render_outputs(result.status, result.outputs)
    if tool.name == "propose_dataset_version":
        path = PurePosixPath(str(arguments.get("path", "")))
        if path.parent != PurePosixPath("/work/out") or path.name not in written:
            return f"error: {path} does not exist; write it in a run_python cell first."
        reply.proposals.append(arguments)
        return (
            f"Proposal '{arguments.get('title')}' is shown to the user, who will accept or "
            "reject it. Do not assume it was applied."
        )
    return f"error: there is no tool named {tool.name}"


def render_outputs(status: str, outputs: list[dict[str, Any]]) -> str:
    """The cell's outputs as text for the provider (tables and figures summarised)."""
    lines = [f"status: {status}"]
    for part in outputs:
        kind = part.get("type")
        if kind in TEXT_PARTS:
            lines.append(str(part.get("text", "")))
        elif kind == "error":
            trace = str(part.get("traceback", ""))[-2000:]
            lines.append(f"{part.get('ename')}: {part.get('evalue')}\n{trace}")
        elif kind == "table":
            lines.append(
                f"[table, {part.get('total_rows')} rows]\n{str(part.get('text', ''))[:1500]}"
            )
        elif kind in {"plotly", "image"}:
            lines.append("[a chart was shown to the user]")
        elif kind == "file":
            lines.append(f"[file written: /work/out/{part.get('name')} ({part.get('size')} bytes)]")
    return "\n".join(lines)


def _assistant_message(turn: ModelTurn) -> dict[str, Any]:
    return {
        "role": "assistant",
        "content": turn.text or None,
        "tool_calls": [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in turn.tool_calls
        ],
    }


async def prepare_tables(sources: list[Path], work_dir: Path) -> dict[str, PreparedTable]:
    """Prepare several files (in a worker thread each, one after the other)."""
    prepared = {}
    for source in sources:
        prepared[source.name] = await asyncio.to_thread(prepare_table, source, work_dir)
    return prepared
