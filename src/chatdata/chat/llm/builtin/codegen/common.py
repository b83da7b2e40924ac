"""Pieces every generated cell uses: literals, filters in SQL and pandas, loading the data,
and the machine-readable result line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from chatdata.chat.llm.builtin.plan import Condition
from chatdata.chat.llm.builtin.schema import Schema

RESULT_MARKER = "__RESULT__"
SQL_OPERATORS = {"==": "=", "!=": "<>", ">": ">", ">=": ">=", "<": "<", "<=": "<="}


def py(value: Any) -> str:
    """A Python literal for `value` (strings double-quoted, non-ASCII kept)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(py(item) for item in value) + "]"
    return repr(value)


def col(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def sql_value(value: Any) -> str:
    """A SQL literal."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def sql_condition(condition: Condition, schema: Schema) -> str:
    """One condition as SQL over the `data` view."""
    name = col(condition.column)
    column = schema.by_name.get(condition.column)
    if condition.op == "year":
        source = f"CAST({name} AS DATE)" if column is not None and column.date_text else name
        return f"year({source}) = {int(condition.value)}"
    if condition.op == "between":
        low, high = condition.value
        return f"{name} BETWEEN {sql_value(low)} AND {sql_value(high)}"
    if condition.op == "in":
        return f"{name} IN ({', '.join(sql_value(v) for v in condition.value)})"
    return f"{name} {SQL_OPERATORS[condition.op]} {sql_value(condition.value)}"


def sql_where(conditions: Iterable[Condition], schema: Schema, extra: Iterable[str] = ()) -> str:
    """`WHERE a AND b` (empty when there is nothing to filter)."""
    parts = [sql_condition(c, schema) for c in conditions] + list(extra)
    return ("WHERE " + " AND ".join(parts)) if parts else ""


def pandas_condition(condition: Condition, frame: str = "data") -> str:
    """One condition as a pandas boolean expression."""
    series = f"{frame}[{py(condition.column)}]"
    if condition.op == "year":
        return f"(pd.to_datetime({series}).dt.year == {int(condition.value)})"
    if condition.op == "between":
        low, high = condition.value
        return f"{series}.between({py(low)}, {py(high)})"
    if condition.op == "in":
        return f"{series}.isin({py(list(condition.value))})"
    return f"({series} {condition.op} {py(condition.value)})"


def load_frame(schema: Schema, columns: list[str], conditions: list[Condition]) -> list[str]:
    """Lines that set `data` to the needed columns of ALL rows, filtered."""
    needed = list(dict.fromkeys([*columns, *(c.column for c in conditions)]))
    if schema.df_is_sample:
        lines = [
            "# df is a sample: read the needed columns of ALL rows with Polars",
            f"data = lf.select({py(needed)}).collect().to_pandas()",
        ]
    else:
        lines = [f"data = df  # df holds all {schema.rows:,} rows"]
    if conditions:
        mask = " & ".join(pandas_condition(c) for c in conditions)
        lines.append(f"data = data[{mask}]")
    return lines


def result_line() -> str:
    """The line that hands the key numbers back to the analyst."""
    return f'print("{RESULT_MARKER}" + json.dumps(result, default=str, ensure_ascii=False))'


def cell(*blocks: str | list[str]) -> str:
    """Join blocks of code (strings or lists of lines) into one cell."""
    lines: list[str] = ["import json", ""]
    for block in blocks:
        text = "\n".join(block) if isinstance(block, list) else block
        lines.append(text.strip("\n"))
        lines.append("")
    lines.append(result_line())
    return "\n".join(lines).strip() + "\n"


def filters_json(conditions: list[Condition]) -> str:
    """The filters as a Python literal for the result dict."""
    return py([_condition_words(c) for c in conditions])


def _condition_words(condition: Condition) -> str:
    if condition.op == "between":
        low, high = condition.value
        return f"{condition.column} between {low} and {high}"
    if condition.op == "in":
        return f"{condition.column} in ({', '.join(str(v) for v in condition.value)})"
    if condition.op == "year":
        return f"year of {condition.column} = {condition.value}"
    return f"{condition.column} {condition.op} {condition.value}"
