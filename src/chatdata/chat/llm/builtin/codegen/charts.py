"""Code for charts: the kind named in the question, or one chosen from the column types."""

from __future__ import annotations

from chatdata.chat.llm.builtin.codegen.common import cell, filters_json, load_frame, py
from chatdata.chat.llm.builtin.plan import Plan
from chatdata.chat.llm.builtin.schema import Schema

PLOT_ROWS = 20_000


def choose_chart(plan: Plan, schema: Schema) -> tuple[str, list[str], str | None]:
    """(kind, columns, group) for the plan; `auto` picks by column types."""
    kind = str(plan.options.get("kind") or "auto")
    columns = list(plan.columns)
    group = plan.group
    if not columns:
        dates, numeric = schema.datetimes(), schema.numeric()
        if kind in {"auto", "line"} and dates and numeric:
            columns = [dates[0].name, numeric[0].name]
        elif numeric:
            columns = [numeric[0].name]
        elif schema.categorical():
            columns = [schema.categorical()[0].name]
    kinds = {schema.by_name[c].kind for c in columns}
    numeric_columns = [c for c in columns if schema.by_name[c].is_numeric]
    if group is None and len(columns) >= 2 and kind in {"box", "auto"}:
        category = next((c for c in columns if not schema.by_name[c].is_numeric), None)
        if category and numeric_columns:
            group, columns = category, numeric_columns
    if kind == "auto":
        if "datetime" in kinds and numeric_columns:
            kind = "line"
        elif len(numeric_columns) >= 2:
            kind = "scatter"
        elif numeric_columns and group:
            kind = "box"
        elif numeric_columns:
            kind = "histogram"
        else:
            kind = "bar"
    return kind, columns, group


def chart_code(plan: Plan, schema: Schema) -> str:
    """One Plotly figure plus the numbers that describe what it shows."""
    kind, columns, group = choose_chart(plan, schema)
    builder = {
        "histogram": _histogram,
        "box": _box,
        "scatter": _scatter,
        "line": _line,
        "bar": _counts,
        "pie": _counts,
    }[kind]
    load = load_frame(schema, columns + ([group] if group else []), plan.filters)
    body, values = builder(kind, columns, group, schema)
    return cell(
        load,
        f"# Charts show at most {PLOT_ROWS:_} points\n"
        f"plot_data = data if len(data) <= {PLOT_ROWS:_} "
        f"else data.sample({PLOT_ROWS:_}, random_state=0)",
        body,
        f"""
result = {{
    "intent": "chart",
    "kind": "{kind}",
    "columns": {py(columns)},
    "group": {py(group)},
    "distribution": {bool(plan.options.get("distribution"))},
    "filters": {filters_json(plan.filters)},
    "rows": int(len(data)),
    "values": {values},
}}
""",
    )


def _histogram(kind: str, columns: list[str], group: str | None, schema: Schema) -> tuple[str, str]:
    name = columns[0]
    color = f", color={py(group)}" if group else ""
    body = f"""
# Distribution of {name}
values = data[{py(name)}].dropna()
px.histogram(plot_data, x={py(name)}{color}, nbins=30, title="Distribution of {name}").show()
shape = {{
    "mean": float(values.mean()), "median": float(values.median()), "std": float(values.std()),
    "skewness": float(values.skew()), "kurtosis": float(values.kurt()),
    "min": float(values.min()), "max": float(values.max()),
}}
display(pd.Series(shape, name={py(name)}))
"""
    return body, "shape"


def _box(kind: str, columns: list[str], group: str | None, schema: Schema) -> tuple[str, str]:
    name = columns[0]
    if group:
        body = f"""
# {name} by {group}: medians and spread
px.box(plot_data, x={py(group)}, y={py(name)}, title="{name} by {group}").show()
medians = data.groupby({py(group)})[{py(name)}].median().sort_values(ascending=False)
display(medians)
"""
        return body, '{f"median_{k}": float(v) for k, v in medians.head(50).items()}'
    body = f"""
# Spread of {py(columns)}
px.box(plot_data, y={py(columns)}, title="Spread of {", ".join(columns)}").show()
medians = data[{py(columns)}].median()
display(data[{py(columns)}].describe().T)
"""
    return body, '{f"median_{k}": float(v) for k, v in medians.items()}'


def _scatter(kind: str, columns: list[str], group: str | None, schema: Schema) -> tuple[str, str]:
    x, y = columns[0], columns[1] if len(columns) > 1 else columns[0]
    color = f", color={py(group)}" if group else ""
    body = f"""
# {y} against {x}, with the Pearson correlation
px.scatter(plot_data, x={py(x)}, y={py(y)}{color}, title="{y} vs {x}").show()
r = data[[{py(x)}, {py(y)}]].dropna().corr().iloc[0, 1]
print(f"Pearson r = {{r:.3f}}")
"""
    return body, '{"r": float(r)}'


def _line(kind: str, columns: list[str], group: str | None, schema: Schema) -> tuple[str, str]:
    date = next((c for c in columns if schema.by_name[c].kind == "datetime"), None)
    values = [c for c in columns if c != date]
    if date is None:
        body = f"""
# {values[0]} in row order
px.line(plot_data.reset_index(), x="index", y={py(values)}, title="{", ".join(values)}").show()
"""
        return body, "{}"
    body = f"""
# {", ".join(values)} over {date}
series = data.assign(**{{{py(date)}: pd.to_datetime(data[{py(date)}])}}).sort_values({py(date)})
px.line(series, x={py(date)}, y={py(values)}, title="{", ".join(values)} over time").show()
first, last = series[{py(values[0])}].dropna().iloc[[0, -1]]
"""
    return body, '{"first": float(first), "last": float(last)}'


def _counts(kind: str, columns: list[str], group: str | None, schema: Schema) -> tuple[str, str]:
    name = columns[0]
    figure = (
        f'px.pie(counts, names={py(name)}, values="count", title="{name}")'
        if kind == "pie"
        else f'px.bar(counts, x={py(name)}, y="count", title="Rows per {name}")'
    )
    body = f"""
# How many rows per {name}
counts = data[{py(name)}].value_counts().rename_axis({py(name)}).reset_index(name="count")
{figure}.show()
display(counts)
"""
    return body, "{str(k): int(n) for k, n in counts.head(50).itertuples(index=False)}"
