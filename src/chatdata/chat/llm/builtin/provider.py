"""The built-in analyst: a deterministic provider behind the `ChatProvider` interface.

First call of a turn: plan the question and ask to run ONE generated cell. After the cell:
propose the cleaned table as a new version (cleaning intents), or answer in sentences
with the numbers. After a proposal: answer. The code only ever runs in the kernel."""
# ruff: noqa: RUF001 - Chinese answers use full-width punctuation on purpose

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from chatdata.chat.llm.base import ModelTurn, TokenSink, ToolCall, TurnRequest
from chatdata.chat.llm.builtin.answers import (
    WRITERS,
    cell_failed,
    error_summary,
    parse_result,
    write_answer,
)
from chatdata.chat.llm.builtin.codegen import generate_code, is_cleaning
from chatdata.chat.llm.builtin.formats import split_message
from chatdata.chat.llm.builtin.guidance import cannot_answer, clarify, follow_ups, need_columns
from chatdata.chat.llm.builtin.intents import plan_question
from chatdata.chat.llm.builtin.plan import Plan
from chatdata.chat.llm.builtin.schema import Schema, schema_from_context
from chatdata.chat.llm.builtin.text import is_chinese

CLEANING_TITLES = {
    "missing_fill": "Fill missing values",
    "missing_drop": "Drop rows with missing values",
    "duplicates": "Remove duplicate rows",
    "outliers": "Handle outliers",
    "convert": "Convert column type",
}


@dataclass(frozen=True)
class Exchange:
    """One tool call of this turn and what it returned."""

    name: str
    arguments: dict[str, Any]
    content: str


def tool_exchanges(messages: list[dict[str, Any]]) -> list[Exchange]:
    """Tool calls made since the last user message, with their results, in order."""
    start = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=-1)
    calls: dict[str, tuple[str, dict[str, Any]]] = {}
    exchanges: list[Exchange] = []
    for message in messages[start + 1 :]:
        for call in message.get("tool_calls") or []:
            function = call.get("function") or {}
            try:
                arguments = json.loads(function.get("arguments") or "{}")
            except ValueError:
                arguments = {}
            calls[str(call.get("id"))] = (str(function.get("name")), arguments)
        if message.get("role") == "tool":
            name, arguments = calls.get(str(message.get("tool_call_id")), ("", {}))
            exchanges.append(Exchange(name, arguments, str(message.get("content") or "")))
    return exchanges


def plan_sentence(plan: Plan, zh: bool) -> str:
    """The short plan streamed before the code runs."""
    if zh:
        return f"计划：{plan.describe()}——在完整数据上运行下面的代码。\n"
    return f"Plan: {plan.describe()} — running the code below on the full data.\n"


class BuiltinAnalyst:
    """Answers questions with generated pandas/DuckDB/scipy/scikit-learn code; no model."""

    name = "builtin"
    model = "builtin-analyst"

    async def complete(self, request: TurnRequest, on_token: TokenSink) -> ModelTurn:
        """Plan and ask for a cell, propose a cleaned version, or answer."""
        schema = schema_from_context(request.dataset)
        zh = is_chinese(request.question)
        exchanges = tool_exchanges(request.messages)
        if not exchanges:
            turn = self._first(request, schema, zh)
        else:
            turn = self._after_tools(request, schema, zh, exchanges)
        if turn.text:
            await on_token(turn.text)
        return turn

    def _first(self, request: TurnRequest, schema: Schema, zh: bool) -> ModelTurn:
        question, constraints = split_message(request.question)
        plan = plan_question(question, schema, constraints)
        if plan.intent == "unknown":
            return ModelTurn(text=cannot_answer(schema, zh))
        if plan.intent == "clarify":
            return ModelTurn(text=clarify(plan.options["term"], plan.options["candidates"], zh))
        if plan.intent == "need_columns":
            kind = plan.options.get("kind")
            return ModelTurn(text=need_columns(str(plan.options.get("for")), kind, schema, zh))
        code = generate_code(plan, schema)
        if request.tools is None:
            return ModelTurn(text=_no_execution(code, zh))
        call = ToolCall(_call_id(), "run_python", json.dumps({"code": code}, ensure_ascii=False))
        return ModelTurn(text=plan_sentence(plan, zh), tool_calls=[call])

    def _after_tools(
        self, request: TurnRequest, schema: Schema, zh: bool, exchanges: list[Exchange]
    ) -> ModelTurn:
        runs = [e for e in exchanges if e.name == "run_python"]
        if not runs:
            return ModelTurn(text=cannot_answer(schema, zh))
        last_run = runs[-1]
        result = parse_result(last_run.content)
        if result is None or cell_failed(last_run.content):
            return ModelTurn(text=_failure(last_run.content, zh))
        answer = write_answer(result, request.question, zh)
        suggestions = follow_ups(result, schema, zh)
        proposed = [e for e in exchanges if e.name == "propose_dataset_version"]
        if proposed:
            text = _after_proposal(answer, proposed[-1], zh)
            return ModelTurn(text=text, suggestions=suggestions)
        if result.get("path") and request.tools is not None and _is_cleaning_result(result):
            return ModelTurn(text="", tool_calls=[_proposal_call(result)])
        return ModelTurn(text=answer, suggestions=suggestions)


def _is_cleaning_result(result: dict[str, Any]) -> bool:
    plan = Plan(str(result.get("intent")), options={"action": result.get("action")})
    return is_cleaning(plan)


def _proposal_call(result: dict[str, Any]) -> ToolCall:
    intent = str(result.get("intent"))
    title = CLEANING_TITLES.get(intent, "Cleaned data")
    if intent == "missing_fill":
        title += f" ({result.get('strategy')})"
    if intent == "convert":
        title = f"Convert {result.get('column')} to {result.get('to')}"
    if intent == "outliers":
        verb = "Remove" if result.get("action") == "remove" else "Cap"
        title = f"{verb} outliers ({result.get('method')})"
    description = _description(result)
    arguments = {"path": result["path"], "title": title, "description": description}
    return ToolCall(
        _call_id(), "propose_dataset_version", json.dumps(arguments, ensure_ascii=False)
    )


def _description(result: dict[str, Any]) -> str:
    writer = WRITERS.get(str(result.get("intent")))
    return writer(result, False) if writer else "Cleaned data."


def _after_proposal(answer: str, proposal: Exchange, zh: bool) -> str:
    failed = proposal.content.startswith("error")
    if zh:
        note = (
            f"未能创建新版本提案：{proposal.content}"
            if failed
            else "我把结果作为新的数据版本提出，原数据没有改动；请在上方接受或拒绝这个提案。"
        )
    else:
        note = (
            f"The new version could not be proposed: {proposal.content}"
            if failed
            else "I proposed this as a new version of the dataset; nothing was changed yet. "
            "Accept or reject the proposal above."
        )
    head, sep, tail = answer.partition("\n\n")
    return f"{head}\n\n{note}{sep}{tail}"


def _failure(content: str, zh: bool) -> str:
    error = error_summary(content)
    if zh:
        return f"分析代码运行失败：{error}。我没有得到结果，请检查列的类型或换一种问法。"
    return (
        f"The analysis cell failed ({error}), so I have no result to report. Check the "
        "column types, or rephrase the question; the code is shown above and can be edited."
    )


def _no_execution(code: str, zh: bool) -> str:
    if zh:
        return (
            f"代码执行已关闭，内置分析器无法计算结果。这是我会运行的代码：\n\n```python\n{code}```"
        )
    return (
        "Code execution is switched off, so the built-in analyst cannot compute an answer. "
        f"This is the code I would run:\n\n```python\n{code}```"
    )


def _call_id() -> str:
    return f"call_{uuid.uuid4().hex[:12]}"
