"""The provider's turn protocol: plan + one cell, answers, the paths that compute nothing,
failures, and that no analysis runs in the server process."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from pathlib import Path

from chatdata.chat.llm.base import ModelTurn, TurnRequest
from chatdata.chat.llm.builtin import BuiltinAnalyst
from chatdata.chat.prompt import TOOLS
from chatdata.evaluation.direct import PreparedTable

TableOf = Callable[[str], PreparedTable]
PACKAGE = Path(__file__).resolve().parents[2] / "src" / "chatdata" / "chat" / "llm" / "builtin"
DATA_LIBRARIES = {"pandas", "numpy", "polars", "duckdb", "scipy", "sklearn", "statsmodels"}


async def call(
    table: PreparedTable, question: str, messages: list[dict[str, object]] | None = None
) -> tuple[ModelTurn, list[str]]:
    streamed: list[str] = []

    async def sink(text: str) -> None:
        streamed.append(text)

    request = TurnRequest(
        messages=messages or [{"role": "user", "content": question}],
        tools=TOOLS,
        question=question,
        dataset=table.context,
    )
    return await BuiltinAnalyst().complete(request, sink), streamed


async def test_first_call_streams_a_plan_and_asks_for_one_cell(table: TableOf) -> None:
    turn, streamed = await call(table("penguins.csv"), "average body mass by species")
    assert streamed == [turn.text]
    assert turn.text.startswith("Plan: groupby mean of body_mass_g by species")
    [tool] = turn.tool_calls
    code = json.loads(tool.arguments)["code"]
    assert tool.name == "run_python"
    assert 'AVG("body_mass_g") AS "mean_body_mass_g"' in code
    assert 'GROUP BY "species"' in code and "px.bar(" in code
    assert code.rstrip().endswith(
        'print("__RESULT__" + json.dumps(result, default=str, ensure_ascii=False))'
    )
    compile(code, "<cell>", "exec")  # valid Python, ready for the notebook export


async def test_unmappable_question_lists_what_it_can_do(table: TableOf) -> None:
    turn, _ = await call(table("penguins.csv"), "Write me a poem about the sea")
    assert turn.tool_calls == []
    assert "could not map this question" in turn.text
    assert "- What is the average bill_length_mm by species?" in turn.text
    assert "- What is the correlation between bill_length_mm and bill_depth_mm?" in turn.text
    turn, _ = await call(table("tips.csv"), "给我讲个笑话")
    assert "无法理解这个问题" in turn.text and "按 sex 分组计算 total_bill 的平均值" in turn.text


async def test_ambiguous_column_and_missing_date(table: TableOf) -> None:
    turn, _ = await call(table("penguins.csv"), "median length")
    assert turn.tool_calls == []
    assert turn.text == (
        "“length” could mean several columns: `bill_length_mm`, `flipper_length_mm`. "
        "Which one do you mean?"
    )
    turn, _ = await call(table("penguins.csv"), "forecast body mass for next year")
    assert turn.text == "This analysis (forecast) needs a date column, and penguins has none."


async def test_without_code_execution_it_shows_the_code(table: TableOf) -> None:
    request = TurnRequest(
        messages=[{"role": "user", "content": "mean tip"}],
        tools=None,
        question="mean tip",
        dataset=table("tips.csv").context,
    )

    async def sink(_: str) -> None:
        return None

    turn = await BuiltinAnalyst().complete(request, sink)
    assert turn.tool_calls == []
    assert turn.text.startswith("Code execution is switched off")
    assert 'AVG("tip") AS "mean_tip"' in turn.text


async def test_a_failed_cell_is_reported_plainly(table: TableOf) -> None:
    messages: list[dict[str, object]] = [
        {"role": "user", "content": "mean tip"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "run_python", "arguments": '{"code": "1/0"}'},
                }
            ],
        },
        {
            "role": "tool",
            "tool_call_id": "c1",
            "content": "status: error\nZeroDivisionError: division by zero\nTraceback...",
        },
    ]
    turn, _ = await call(table("tips.csv"), "mean tip", messages)
    assert turn.tool_calls == []
    assert turn.text.startswith(
        "The analysis cell failed (ZeroDivisionError: division by zero), so I have no result"
    )


async def test_the_answer_uses_the_requested_format(table: TableOf) -> None:
    result = {"intent": "aggregate", "stats": ["mean"], "columns": ["tip"], "filters": [],
              "rows": 244, "values": {"mean_tip": 2.99827868852459}}  # fmt: skip
    question = "Mean tip?\n\nAnswer format: @mean_tip[value] rounded to 3 decimal places."
    messages: list[dict[str, object]] = [
        {"role": "user", "content": question},
        {"role": "assistant", "content": "Plan", "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "run_python", "arguments": "{}"}}
        ]},
        {"role": "tool", "tool_call_id": "c1",
         "content": "status: ok\n__RESULT__" + json.dumps(result)},
    ]  # fmt: skip
    turn, _ = await call(table("tips.csv"), question, messages)
    assert turn.text == "The mean of tip is 3.00, over 244 rows.\n\n@mean_tip[2.998]"
    assert "Is the difference in tip between sex groups significant?" in turn.suggestions
    assert "You could also ask" not in turn.text


def test_the_analyst_imports_no_data_library() -> None:
    """The analyst only writes code; numbers are computed in the kernel, never here."""
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in DATA_LIBRARIES, (path.name, name)
