"""Code for aggregates, group-by, filters, counts and percentages: DuckDB SQL over ALL rows."""
# ruff: noqa: S608 - SQL text for the sandboxed kernel, never run by the server

from __future__ import annotations

from chatdata.chat.llm.builtin.codegen.common import cell, col, filters_json, py, sql_where
from chatdata.chat.llm.builtin.plan import Plan
from chatdata.chat.llm.builtin.schema import Schema

SQL_STATS = {
    "mean": "AVG", "median": "MEDIAN", "sum": "SUM", "min": "MIN", "max": "MAX",
    "std": "STDDEV_SAMP", "var": "VAR_SAMP", "count": "COUNT",
}  # fmt: skip
STAT_NAMES = {
    "mean": "mean", "median": "median", "sum": "total", "min": "minimum", "max": "maximum",
    "std": "standard deviation", "var": "variance", "count": "count",
}  # fmt: skip


def alias(stat: str, column: str | None) -> str:
    """Result column name of an aggregate (`mean_body_mass_g`, `rows`)."""
    return f"{stat}_{column}" if column else "rows"


def _select(stats: list[str], columns: list[str]) -> list[str]:
    if not columns:
        return ['COUNT(*) AS "rows"']
    return [
        f"{SQL_STATS[s]}({col(c)}) AS {col(alias(s, c))}"
        for c in columns
        for s in stats
        if s != "count"
    ] + ['COUNT(*) AS "rows"']


def _sql(lines: list[str]) -> str:
    return "\n".join(line for line in lines if line)


def aggregate_code(plan: Plan, schema: Schema) -> str:
    """One row of aggregates over the (filtered) rows."""
    select = ",\n    ".join(_select(plan.stats, plan.columns))
    where = sql_where(plan.filters, schema)
    names = [alias(s, c) for c in plan.columns for s in plan.stats if s != "count"] or ["rows"]
    what = ", ".join(STAT_NAMES[s] for s in plan.stats) + (
        f" of {', '.join(plan.columns)}" if plan.columns else " of rows"
    )
    return cell(
        f'''
# {what[0].upper() + what[1:]}, computed on ALL rows with DuckDB
answer = con.sql("""
SELECT
    {select}
FROM data
{where}
""").df()
display(answer)
''',
        f"""
row = answer.iloc[0]
result = {{
    "intent": "aggregate",
    "stats": {py(plan.stats)},
    "columns": {py(plan.columns)},
    "filters": {filters_json(plan.filters)},
    "rows": int(row["rows"]),
    "values": {{name: (None if pd.isna(row[name]) else float(row[name])) for name in {py(names)}}},
}}
""",
    )


def groupby_code(plan: Plan, schema: Schema) -> str:
    """Aggregates per group, sorted; top/bottom N; a bar (or line/pie) chart."""
    group = plan.group or ""
    stats = plan.stats or ["count"]
    select = ",\n    ".join([col(group), *_select(stats, plan.columns)])
    where = sql_where(plan.filters, schema, [f"{col(group)} IS NOT NULL"])
    names = [alias(s, c) for c in plan.columns for s in stats if s != "count"] or ["rows"]
    sort = names[0]
    ordered = plan.top_n is not None or "chart" not in plan.options
    direction = "DESC" if plan.descending else "ASC"
    order = (
        f"ORDER BY {col(sort)} {direction}, {col(group)}" if ordered else f"ORDER BY {col(group)}"
    )
    limit = f"LIMIT {plan.top_n}" if plan.top_n else ""
    chart = str(plan.options.get("chart") or "bar")
    figure = (
        f'px.pie(table, names={py(group)}, values={py(sort)}, title="{sort} by {group}")'
        if chart == "pie"
        else f"px.{'line' if chart == 'line' else 'bar'}(table, x={py(group)}, y={py(sort)}, "
        f'title="{sort} by {group}")'
    )
    return cell(
        f'''
# {", ".join(stats)} per {group}, computed on ALL rows with DuckDB
table = con.sql("""
SELECT
    {select}
FROM data
{where}
GROUP BY {col(group)}
{order}
{limit}
""").df()
display(table)
{figure}.show()
''',
        f"""
top = table.iloc[0]
result = {{
    "intent": "groupby",
    "group": {py(group)},
    "stats": {py(stats)},
    "columns": {py(plan.columns)},
    "sort": {py(sort)},
    "descending": {plan.descending},
    "top_n": {plan.top_n},
    "filters": {filters_json(plan.filters)},
    "groups": int(len(table)),
    "table": json.loads(table.head(20).to_json(orient="records", double_precision=15)),
    "values": {{
        "group": str(top[{py(group)}]),
        "value": float(top[{py(sort)}]),
        **{{f"{sort}_{{key}}": float(v)
           for key, v in zip(table[{py(group)}].head(50), table[{py(sort)}].head(50))}},
    }},
}}
""",
    )


def filter_code(plan: Plan, schema: Schema) -> str:
    """How many rows match, and the first of them."""
    where = sql_where(plan.filters, schema)
    return cell(
        f'''
# Rows where {" and ".join(filter(None, [where.removeprefix("WHERE ")]))}, on ALL rows (DuckDB)
matching = con.sql("""
SELECT *
FROM data
{where}
""")
count = matching.aggregate("COUNT(*)").fetchall()[0][0]
total_rows = con.sql("SELECT COUNT(*) FROM data").fetchall()[0][0]
display(matching.limit(20).df())
''',
        f"""
result = {{
    "intent": "filter",
    "filters": {filters_json(plan.filters)},
    "rows": int(count),
    "total_rows": int(total_rows),
    "values": {{"count": int(count), "percent": 100 * count / total_rows if total_rows else None}},
}}
""",
    )


def unique_code(plan: Plan, schema: Schema) -> str:
    """Distinct values of a column and how many there are."""
    name = plan.columns[0]
    where = sql_where(plan.filters, schema, [f"{col(name)} IS NOT NULL"])
    return cell(
        f'''
# Distinct values of {name} on ALL rows (DuckDB); missing values are not counted
distinct = con.sql("""
SELECT DISTINCT {col(name)}
FROM data
{where}
ORDER BY 1
""").df()[{py(name)}]
print(f"{{len(distinct):,}} distinct values")
display(distinct.head(50))
''',
        f"""
result = {{
    "intent": "unique",
    "column": {py(name)},
    "count": int(len(distinct)),
    "examples": [str(v) for v in distinct.head(30)],
    "values": {{"unique": int(len(distinct))}},
}}
""",
    )


def value_counts_code(plan: Plan, schema: Schema) -> str:
    """Frequency of each value (share among non-missing values), most common first."""
    name = plan.columns[0]
    direction = "DESC" if plan.descending else "ASC"
    limit = f"LIMIT {plan.top_n}" if plan.top_n else ""
    where = sql_where(plan.filters, schema, [f"{col(name)} IS NOT NULL"])
    return cell(
        f'''
# How often each value of {name} occurs, on ALL rows (DuckDB)
counts = con.sql("""
SELECT
    {col(name)},
    COUNT(*) AS "count",
    100.0 * COUNT(*) / SUM(COUNT(*)) OVER () AS "percent"
FROM data
{where}
GROUP BY {col(name)}
ORDER BY "count" {direction}, {col(name)}
{limit}
""").df()
display(counts)
px.bar(counts.head(30), x={py(name)}, y="count", title="Rows per {name}").show()
''',
        f"""
first = counts.iloc[0]
result = {{
    "intent": "value_counts",
    "column": {py(name)},
    "descending": {plan.descending},
    "table": json.loads(counts.head(20).to_json(orient="records", double_precision=15)),
    "values": {{
        "value": str(first[{py(name)}]),
        "count": int(first["count"]),
        "percent": float(first["percent"]),
        **{{str(k): int(n) for k, n in zip(counts[{py(name)}].head(50), counts["count"].head(50))}},
    }},
}}
""",
    )


def percentage_code(plan: Plan, schema: Schema) -> str:
    """Share of rows matching conditions (per group when asked), or each group's share."""
    if plan.options.get("mode") == "share":
        return _share_code(plan, schema)
    condition = sql_where(plan.filters, schema).removeprefix("WHERE ")
    group = plan.group
    select = f"{col(group)},\n    " if group else ""
    tail = (
        f"WHERE {col(group)} IS NOT NULL\nGROUP BY {col(group)}\nORDER BY {col(group)}"
        if group
        else ""
    )
    return cell(
        f'''
# Share of rows where {condition}, among ALL rows (DuckDB)
shares = con.sql("""
SELECT
    {select}COUNT(*) FILTER (WHERE {condition}) AS "matching",
    COUNT(*) AS "rows",
    100.0 * COUNT(*) FILTER (WHERE {condition}) / COUNT(*) AS "percent"
FROM data
{tail}
""").df()
display(shares)
''',
        f"""
first = shares.iloc[0]
result = {{
    "intent": "percentage",
    "mode": "rows",
    "group": {py(group)},
    "filters": {filters_json(plan.filters)},
    "table": json.loads(shares.head(20).to_json(orient="records", double_precision=15)),
    "values": {{"percent": float(first["percent"]), "matching": int(first["matching"]),
               "rows": int(first["rows"])}},
}}
""",
    )


def _share_code(plan: Plan, schema: Schema) -> str:
    group = plan.group or (plan.columns[0] if plan.columns else "")
    value = plan.columns[0] if plan.columns and plan.columns[0] != group else None
    measure = f"SUM({col(value)})" if value else "COUNT(*)"
    what = f"total {value}" if value else "rows"
    where = sql_where(plan.filters, schema, [f"{col(group)} IS NOT NULL"])
    return cell(
        f'''
# Each {group}'s share of {what}, on ALL rows (DuckDB)
shares = con.sql("""
SELECT
    {col(group)},
    {measure} AS "amount",
    100.0 * {measure} / SUM({measure}) OVER () AS "percent"
FROM data
{where}
GROUP BY {col(group)}
ORDER BY "percent" DESC, {col(group)}
""").df()
display(shares)
px.pie(shares, names={py(group)}, values="amount", title="Share of {what} by {group}").show()
''',
        f"""
first = shares.iloc[0]
result = {{
    "intent": "percentage",
    "mode": "share",
    "group": {py(group)},
    "measure": {py(what)},
    "filters": {filters_json(plan.filters)},
    "table": json.loads(shares.head(20).to_json(orient="records", double_precision=15)),
    "values": {{
        "group": str(first[{py(group)}]),
        "percent": float(first["percent"]),
        **{{f"percent_{{k}}": float(p)
           for k, p in zip(shares[{py(group)}].head(50), shares["percent"].head(50))}},
    }},
}}
""",
    )


def ratio_code(plan: Plan, schema: Schema) -> str:
    """Ratio of two aggregates (`total tip to total bill`)."""
    first, second = plan.columns[:2]
    stat = plan.stats[0] if plan.stats else "sum"
    function = SQL_STATS[stat]
    return cell(
        f'''
# Ratio of the {STAT_NAMES[stat]} of {first} to the {STAT_NAMES[stat]} of {second}, ALL rows
answer = con.sql("""
SELECT
    {function}({col(first)}) AS "{stat}_{first}",
    {function}({col(second)}) AS "{stat}_{second}",
    {function}({col(first)}) / {function}({col(second)}) AS "ratio"
FROM data
""").df()
display(answer)
''',
        f"""
row = answer.iloc[0]
result = {{
    "intent": "ratio",
    "columns": {py([first, second])},
    "stat": "{stat}",
    "values": {{"ratio": float(row["ratio"]), "{stat}_{first}": float(row["{stat}_{first}"]),
               "{stat}_{second}": float(row["{stat}_{second}"])}},
}}
""",
    )
