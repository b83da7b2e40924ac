"""The agent loop: ask the model, run the code it asks for, show it the results, repeat
until it answers (or the step/error budget runs out). Every step is emitted as an event."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from chatdata.chat.compact import compact_outputs
from chatdata.chat.llm.base import ChatProvider, ModelTurn, ToolCall, TurnRequest
from chatdata.errors import AppError

Emit = Callable[[str, dict[str, Any]], Awaitable[None]]
RunCode = Callable[[str], Awaitable[dict[str, Any]]]
Propose = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
RESULT_MARKER = "__RESULT__"


@dataclass
class LoopBudget:
    """How far one turn may go."""

    max_steps: int = 8
    max_errors: int = 3


@dataclass
class LoopResult:
    """What the turn produced."""

    text: str
    cells: list[dict[str, Any]] = field(default_factory=list)
    proposals: list[dict[str, Any]] = field(default_factory=list)
    steps: int = 0
    usage: dict[str, int] = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)


@dataclass
class AgentLoop:
    """One turn of tool-calling between a provider and the kernel."""

    provider: ChatProvider
    run_code: RunCode
    propose: Propose
    emit: Emit
    budget: LoopBudget
    result: LoopResult = field(default_factory=lambda: LoopResult(text=""))

    async def run(self, request: TurnRequest) -> LoopResult:
        """Run until the model answers without tools; the last step gets no tools.

        `self.result` holds what was done so far, also when a step raises."""
        result = self.result
        errors = 0
        for step in range(1, self.budget.max_steps + 1):
            result.steps = step
            last = step == self.budget.max_steps or errors >= self.budget.max_errors
            turn = await self._ask(request, tools_allowed=not last)
            _add_usage(result.usage, turn.usage)
            if not turn.tool_calls:
                result.text = turn.text
                result.suggestions = list(turn.suggestions)
                return result
            request.messages.append(_assistant_message(turn))
            for call in turn.tool_calls:
                content, failed = await self._tool(step, call, result)
                errors += failed
                request.messages.append(
                    {"role": "tool", "tool_call_id": call.id, "content": content}
                )
        result.text = result.text or "I stopped before reaching an answer (step limit)."
        return result

    async def _ask(self, request: TurnRequest, *, tools_allowed: bool) -> ModelTurn:
        async def on_token(text: str) -> None:
            await self.emit("token", {"text": text})

        call = TurnRequest(
            messages=request.messages,
            tools=request.tools if tools_allowed else None,
            question=request.question,
            dataset=request.dataset,
        )
        return await self.provider.complete(call, on_token)

    async def _tool(self, step: int, call: ToolCall, result: LoopResult) -> tuple[str, int]:
        """Run one tool call; returns what the model reads and 1 when it failed."""
        try:
            arguments = json.loads(call.arguments or "{}")
            if not isinstance(arguments, dict):
                raise ValueError("arguments must be an object")
        except ValueError:
            return f"error: the arguments of {call.name} are not valid JSON", 1
        if call.name == "run_python":
            return await self._run_python(step, str(arguments.get("code", "")), result)
        if call.name == "propose_dataset_version":
            return await self._propose(arguments, result)
        return f"error: there is no tool named {call.name}", 1

    async def _run_python(self, step: int, code: str, result: LoopResult) -> tuple[str, int]:
        if not code.strip():
            return "error: `code` is empty", 1
        await self.emit("code", {"step": step, "code": code})
        cell = await self.run_code(code)
        for_model = compact_outputs(cell["status"], cell["outputs"])
        cell = hide_result_lines(cell)
        result.cells.append(cell)
        await self.emit("output", {"step": step, **cell})
        return for_model, int(cell["status"] != "ok")

    async def _propose(self, arguments: dict[str, Any], result: LoopResult) -> tuple[str, int]:
        try:
            proposal = await self.propose(arguments)
        except AppError as exc:
            return f"error: {exc.message}", 1
        result.proposals.append(proposal)
        await self.emit("proposal", {"proposal": proposal})
        return (
            f"Proposal '{proposal['title']}' is shown to the user, who will accept or reject "
            "it. Do not assume it was applied.",
            0,
        )


def hide_result_lines(cell: dict[str, Any]) -> dict[str, Any]:
    """The cell as people see it: machine-readable `__RESULT__` lines (the built-in analyst
    reads them back) move from the printed output to the cell's `results`."""
    outputs, results = [], []
    for part in cell["outputs"]:
        if part.get("type") == "stream":
            lines = str(part.get("text", "")).splitlines(keepends=True)
            results += [line.rstrip("\n") for line in lines if line.startswith(RESULT_MARKER)]
            text = "".join(line for line in lines if not line.startswith(RESULT_MARKER))
            if not text:
                continue
            part = {**part, "text": text}
        outputs.append(part)
    return {**cell, "outputs": outputs, **({"results": results} if results else {})}


def _assistant_message(turn: ModelTurn) -> dict[str, Any]:
    return {
        "role": "assistant",
        "content": turn.text or None,
        "tool_calls": [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments},
            }
            for call in turn.tool_calls
        ],
    }


def _add_usage(total: dict[str, int], usage: dict[str, int]) -> None:
    for key, value in usage.items():
        total[key] = total.get(key, 0) + value
