"""Code for the dataset overview and for summary statistics of named columns."""
# ruff: noqa: S608 - SQL text for the sandboxed kernel, never run by the server

from __future__ import annotations

from chatdata.chat.llm.builtin.codegen.common import cell, load_frame, py
from chatdata.chat.llm.builtin.plan import Plan
from chatdata.chat.llm.builtin.schema import Schema


def overview_code(plan: Plan, schema: Schema) -> str:
    """Rows, columns, types, missing values and duplicates of the dataset."""
    note = "df is a sample" if schema.df_is_sample else "df holds every row"
    return cell(
        f"""
# One line per column: type, missing values, distinct values ({note})
summary = pd.DataFrame({{
    "type": df.dtypes.astype(str),
    "missing": df.isna().sum(),
    "distinct": df.nunique(),
}})
display(summary)

# Numeric columns at a glance
numeric = df.select_dtypes("number")
if not numeric.empty:
    display(numeric.describe().T)

n_rows = con.sql("SELECT COUNT(*) FROM data").fetchall()[0][0]  # all rows, not just df
""",
        """
result = {
    "intent": "overview",
    "rows": int(n_rows),
    "columns": int(df.shape[1]),
    "numeric_columns": numeric.columns.tolist(),
    "other_columns": [c for c in df.columns if c not in numeric.columns],
    "missing_cells": int(df.isna().sum().sum()),
    "columns_with_missing": summary.index[summary["missing"] > 0].tolist(),
    "duplicate_rows": int(df.duplicated().sum()),
    "df_is_sample": bool(df_is_sample),
    "values": {"rows": int(n_rows), "columns": int(df.shape[1])},
}
""",
    )


def describe_code(plan: Plan, schema: Schema) -> str:
    """Count, mean, std, quartiles (numbers) or count, unique, top (categories)."""
    columns = plan.columns
    numeric = [c for c in columns if schema.by_name[c].is_numeric]
    load = load_frame(schema, columns, plan.filters)
    first = numeric[0] if numeric else None
    values = (
        f"""
column = data[{py(first)}]
values = {{
    "count": int(column.count()), "mean": float(column.mean()), "std": float(column.std()),
    "min": float(column.min()), "q1": float(column.quantile(0.25)),
    "median": float(column.median()), "q3": float(column.quantile(0.75)),
    "max": float(column.max()),
}}
"""
        if first
        else "values = {}\n"
    )
    return cell(
        load,
        f"""
# Summary statistics of {", ".join(columns)}
summary = data[{py(columns)}].describe(include="all").T
display(summary)
""",
        values,
        """
result = {
    "intent": "describe",
    "summary": {
        name: {stat: value for stat, value in row.items() if pd.notna(value)}
        for name, row in summary.to_dict("index").items()
    },
    "values": values,
}
""",
    )
