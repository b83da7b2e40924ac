"""Code for data quality: missing values, duplicates, outliers, type conversion.

Cleaning steps never change the data in place: they write the cleaned table to
`/work/out/<name>.parquet`, which the analyst then proposes as a new version."""
# ruff: noqa: S608 - SQL text for the sandboxed kernel, never run by the server

from __future__ import annotations

import re

from chatdata.chat.llm.builtin.codegen.common import cell, col, load_frame, py
from chatdata.chat.llm.builtin.plan import Plan
from chatdata.chat.llm.builtin.schema import Schema

FILL_EXPRESSIONS = {
    "mean": "pl.col(name).mean()",
    "median": "pl.col(name).median()",
    "mode": "pl.col(name).drop_nulls().mode().sort().first()",
}


def out_path(schema: Schema, suffix: str) -> str:
    """Where a cleaning step writes its table."""
    stem = re.sub(r"[^A-Za-z0-9]+", "_", schema.name.rsplit(".", 1)[0]).strip("_").lower()
    return f"/work/out/{stem or 'data'}_{suffix}.parquet"


def missing_report_code(plan: Plan, schema: Schema) -> str:
    """Missing values per column and rows with any missing value, on all rows."""
    columns = plan.columns or [c.name for c in schema.columns]
    counts = ",\n    ".join(f"COUNT(*) - COUNT({col(c)}) AS {col(c)}" for c in columns)
    any_null = " OR ".join(f"{col(c)} IS NULL" for c in columns)
    return cell(
        f'''
# Missing values per column, counted on ALL rows with DuckDB
counts = con.sql("""
SELECT
    {counts}
FROM data
""").df().iloc[0]
total_rows = con.sql("SELECT COUNT(*) FROM data").fetchall()[0][0]
rows_with_missing = con.sql("""SELECT COUNT(*) FROM data WHERE {any_null} """).fetchall()[0][0]

missing = pd.DataFrame({{"missing": counts.astype(int)}})
missing["percent"] = (missing["missing"] / total_rows * 100).round(2)
missing = missing.sort_values("missing", ascending=False)
display(missing)
''',
        """
per_column = {name: int(n) for name, n in missing["missing"].items()}
result = {
    "intent": "missing_report",
    "rows": int(total_rows),
    "per_column": per_column,
    "percent": {name: float(p) for name, p in missing["percent"].items()},
    "total_missing": int(missing["missing"].sum()),
    "rows_with_missing": int(rows_with_missing),
    "values": {"missing": int(missing["missing"].sum()),
               "rows_with_missing": int(rows_with_missing), **per_column},
}
""",
    )


def missing_fill_code(plan: Plan, schema: Schema) -> str:
    """Fill missing values by the stated strategy; writes the filled table."""
    strategy = dict(plan.options.get("strategy") or {"name": "auto"})
    name = str(strategy.get("name"))
    columns = py(plan.columns) if plan.columns else "schema.names()"
    which = py(plan.columns) if plan.columns else "all columns"
    path = out_path(schema, "filled")
    return cell(
        f"""
# Columns to fill: those of {which} that have missing values (ALL rows, Polars)
schema = lf.collect_schema()
null_counts = lf.select(pl.all().null_count()).collect().row(0, named=True)
targets = [name for name in {columns} if null_counts[name] > 0]
""",
        _fill_block(name, strategy.get("value")),
        f"""
cleaned.sink_parquet({py(path)})  # a new file; the dataset itself is unchanged

report = pd.DataFrame({{
    "missing_before": {{name: null_counts[name] for name in filled}},
    "filled_with": {{name: fill_values.get(name, "{name}") for name in filled}},
}})
display(report)
""",
        f"""
result = {{
    "intent": "missing_fill",
    "strategy": "{name}",
    "filled": {{name: int(null_counts[name]) for name in filled}},
    "fill_values": {{name: fill_values[name] for name in filled if name in fill_values}},
    "skipped": [name for name in targets if name not in filled],
    "path": {py(path)},
    "values": {{
        "filled_count": int(sum(null_counts[name] for name in filled)),
        **({{"fill_value": fill_values[filled[0]]}}
           if len(filled) == 1 and filled[0] in fill_values else {{}}),
        **{{name: fill_values[name] for name in filled if name in fill_values}},
    }},
}}
""",
    )


def _fill_block(name: str, value: object) -> str:
    if name in FILL_EXPRESSIONS or name == "auto":
        if name == "auto":
            choose = (
                "# Numbers get their median, other columns their most frequent value\n"
                "expressions = {\n"
                f"    name: {FILL_EXPRESSIONS['median']} if schema[name].is_numeric()\n"
                f"    else {FILL_EXPRESSIONS['mode']}\n"
                "    for name in targets\n}"
            )
        elif name == "mode":
            choose = f"expressions = {{name: {FILL_EXPRESSIONS['mode']} for name in targets}}"
        else:
            choose = (
                f"# The {name} only makes sense for numbers; other columns are left as they are\n"
                f"expressions = {{name: {FILL_EXPRESSIONS[name]} for name in targets "
                "if schema[name].is_numeric()}"
            )
        return f"""
{choose}
fill_values = lf.select(**expressions).collect().row(0, named=True) if expressions else {{}}
filled = list(expressions)
cleaned = lf.with_columns([pl.col(name).fill_null(fill_values[name]) for name in filled])
"""
    if name in {"zero", "constant"}:
        constant = 0 if name == "zero" else value
        return f"""
filled = [name for name in targets if schema[name].is_numeric()]
fill_values = {{name: {py(constant)} for name in filled}}
cleaned = lf.with_columns([pl.col(name).fill_null({py(constant)}) for name in filled])
"""
    method = {"ffill": "forward_fill", "bfill": "backward_fill", "interpolate": "interpolate"}[name]
    numeric_only = " if schema[name].is_numeric()" if name == "interpolate" else ""
    return f"""
filled = [name for name in targets{numeric_only}]
fill_values = {{}}
cleaned = lf.with_columns([pl.col(name).{method}() for name in filled])
"""


def missing_drop_code(plan: Plan, schema: Schema) -> str:
    """Drop rows with missing values (in the named columns, or in any column)."""
    subset = plan.columns or None
    path = out_path(schema, "no_missing")
    return cell(
        f"""
# Drop rows with a missing value in {py(subset) if subset else "any column"} (ALL rows, Polars)
cleaned = lf.drop_nulls(subset={py(subset) if subset else "None"})
rows_before = lf.select(pl.len()).collect().item()
rows_after = cleaned.select(pl.len()).collect().item()
cleaned.sink_parquet({py(path)})  # a new file; the dataset itself is unchanged
print(f"{{rows_before:,}} rows -> {{rows_after:,}} rows ({{rows_before - rows_after:,}} dropped)")
""",
        f"""
result = {{
    "intent": "missing_drop",
    "columns": {py(subset or [])},
    "rows_before": int(rows_before),
    "rows_after": int(rows_after),
    "path": {py(path)},
    "values": {{"rows_removed": int(rows_before - rows_after), "rows_after": int(rows_after)}},
}}
""",
    )


def duplicates_code(plan: Plan, schema: Schema) -> str:
    """Count duplicate rows (or repeated values of the named columns); remove on request."""
    subset = plan.columns
    selected = ", ".join(col(c) for c in subset) if subset else "*"
    path = out_path(schema, "deduplicated")
    block = f'''
# Duplicates on ALL rows with DuckDB: every copy beyond the first counts as a duplicate
total_rows = con.sql("SELECT COUNT(*) FROM data").fetchall()[0][0]
distinct_rows = con.sql(
    """SELECT COUNT(*) FROM (SELECT DISTINCT {selected} FROM data)"""
).fetchall()[0][0]
duplicates = total_rows - distinct_rows
examples = con.sql("""
SELECT {selected}, COUNT(*) AS copies
FROM data
GROUP BY ALL
HAVING COUNT(*) > 1
ORDER BY copies DESC
LIMIT 10
""").df()
display(examples)
'''
    remove = plan.options.get("action") == "remove"
    if remove:
        block += f"""
# Keep the first of each set of copies (a new file; the dataset itself is unchanged)
subset = {py(subset) if subset else "None"}
deduplicated = lf.unique(subset=subset, keep="first", maintain_order=True)
deduplicated.sink_parquet({py(path)})
"""
    return cell(
        block,
        f"""
result = {{
    "intent": "duplicates",
    "action": "{"remove" if remove else "report"}",
    "columns": {py(subset)},
    "rows": int(total_rows),
    "duplicates": int(duplicates),
    "path": {py(path) if remove else "None"},
    "values": {{"duplicates": int(duplicates), "rows_after": int(distinct_rows)}},
}}
""",
    )


def convert_code(plan: Plan, schema: Schema) -> str:
    """Convert one column to another type; writes the converted table."""
    name = plan.columns[0]
    target = str(plan.options.get("to"))
    path = out_path(schema, "converted")
    source = "df.copy()" if not schema.df_is_sample else "lf.collect().to_pandas()  # ALL rows"
    series = f"data[{py(name)}]"
    conversions = {
        "datetime": f'pd.to_datetime({series}, errors="coerce", format="mixed")',
        "int": f'pd.to_numeric({series}, errors="coerce").round().astype("Int64")',
        "float": f'pd.to_numeric({_numeric_text(series, schema, name)}, errors="coerce")'
        '.astype("float64")',
        "string": f'{series}.astype("string")',
        "category": f'{series}.astype("category")',
        "bool": f'{series}.astype(str).str.strip().str.lower().map(TRUTH).astype("boolean")',
    }
    truth = (
        'TRUTH = {"true": True, "yes": True, "y": True, "1": True, "1.0": True,\n'
        '         "false": False, "no": False, "n": False, "0": False, "0.0": False}\n'
        if target == "bool"
        else ""
    )
    ranges = {
        "datetime": 'result_range = {"min": str(new_values.min().date()), '
        '"max": str(new_values.max().date())}',
        "int": 'result_range = {"min": float(new_values.min()), "max": float(new_values.max())}',
        "float": 'result_range = {"min": float(new_values.min()), "max": float(new_values.max())}',
    }
    return cell(
        f"""
data = {source}
{truth}converted = data.copy()
converted[{py(name)}] = {conversions[target]}

# Values that could not be converted became missing
failed = int(converted[{py(name)}].isna().sum() - data[{py(name)}].isna().sum())
converted.to_parquet({py(path)}, index=False)  # a new file; the dataset itself is unchanged
display(converted[[{py(name)}]].head())
""",
        f"""
new_values = converted[{py(name)}].dropna()
{ranges.get(target, "result_range = {}")}
result = {{
    "intent": "convert",
    "column": {py(name)},
    "to": "{target}",
    "from_dtype": str(data[{py(name)}].dtype),
    "to_dtype": str(converted[{py(name)}].dtype),
    "failed": failed,
    "non_null": int(new_values.size),
    **result_range,
    "path": {py(path)},
    "values": {{"failed": failed, "non_null": int(new_values.size), **result_range}},
}}
""",
    )


def _numeric_text(series: str, schema: Schema, name: str) -> str:
    """Text columns lose currency signs, thousands separators and spaces first."""
    if schema.by_name[name].kind in {"numeric"}:
        return series
    return f'{series}.astype(str).str.replace(r"[^0-9.eE+-]", "", regex=True)'


def outliers_code(plan: Plan, schema: Schema) -> str:
    """Outliers by IQR, z-score or Isolation Forest; removed or capped on request."""
    columns = plan.columns or [c.name for c in schema.numeric()]
    method = str(plan.options.get("method"))
    if method == "isolation_forest":
        return _isolation_forest_code(plan, schema, columns)
    threshold = float(plan.options.get("threshold") or (1.5 if method == "iqr" else 3.0))
    bounds = (
        "    q1, q3 = values.quantile(0.25), values.quantile(0.75)\n"
        f"    low, high = q1 - {threshold} * (q3 - q1), q3 + {threshold} * (q3 - q1)\n"
        if method == "iqr"
        else "    mean, std = values.mean(), values.std(ddof=0)  # population z-scores\n"
        f"    low, high = mean - {threshold} * std, mean + {threshold} * std\n"
    )
    label = f"{threshold} x IQR" if method == "iqr" else f"|z| > {threshold}"
    return cell(
        load_frame(schema, columns, []),
        f"""
# Outliers ({label}) in each column
rows = []
for name in {py(columns)}:
    values = data[name].dropna()
{bounds}    count = int(((values < low) | (values > high)).sum())
    rows.append({{"column": name, "lower": float(low), "upper": float(high), "outliers": count}})
bounds = pd.DataFrame(rows).set_index("column")
display(bounds)
px.box(data, y={py(columns[:6])}, title="Outliers ({label})").show()
""",
        _outlier_action(plan, schema),
        f"""
result = {{
    "intent": "outliers",
    "method": "{method}",
    "threshold": {threshold},
    "action": "{plan.options.get("action")}",
    "per_column": bounds["outliers"].astype(int).to_dict(),
    "bounds": bounds[["lower", "upper"]].to_dict("index"),
    "total": int(bounds["outliers"].sum()),
    "rows_after": rows_after,
    "path": path,
    "values": {{"outliers": int(bounds["outliers"].sum()),
               **({{"lower": float(bounds["lower"].iloc[0]),
                   "upper": float(bounds["upper"].iloc[0])}}
                  if len(bounds) == 1 else {{}})}},
}}
""",
    )


def _outlier_action(plan: Plan, schema: Schema) -> str:
    action = plan.options.get("action")
    if action == "remove":
        path = out_path(schema, "no_outliers")
        return f"""
# Keep rows inside the bounds in every column (missing values are kept), on ALL rows
keep = pl.lit(True)
for name, row in bounds.iterrows():
    keep = keep & (pl.col(name).is_null() | pl.col(name).is_between(row["lower"], row["upper"]))
cleaned = lf.filter(keep)
cleaned.sink_parquet({py(path)})  # a new file; the dataset itself is unchanged
rows_after = cleaned.select(pl.len()).collect().item()
path = {py(path)}
"""
    if action == "cap":
        path = out_path(schema, "capped")
        return f"""
# Cap values at the bounds (winsorising), on ALL rows
cleaned = lf.with_columns(
    [pl.col(name).clip(row["lower"], row["upper"]) for name, row in bounds.iterrows()]
)
cleaned.sink_parquet({py(path)})  # a new file; the dataset itself is unchanged
rows_after = cleaned.select(pl.len()).collect().item()
path = {py(path)}
"""
    return "rows_after = None\npath = None\n"


def _isolation_forest_code(plan: Plan, schema: Schema, columns: list[str]) -> str:
    remove = plan.options.get("action") == "remove"
    path = out_path(schema, "no_outliers")
    write = (
        f"""
cleaned = data.drop(index=outlier_rows.index)
cleaned.to_parquet({py(path)}, index=False)  # a new file; the dataset itself is unchanged
rows_after, path = len(cleaned), {py(path)}
"""
        if remove
        else "rows_after, path = None, None\n"
    )
    source = "df.copy()" if not schema.df_is_sample else "lf.collect().to_pandas()  # ALL rows"
    return cell(
        f"""
from sklearn.ensemble import IsolationForest

data = {source}
# Isolation Forest on the rows complete in {py(columns)}
features = data[{py(columns)}].dropna()
model = IsolationForest(random_state=42)
flags = model.fit_predict(features)
outlier_rows = data.loc[features.index[flags == -1]]
print(f"{{len(outlier_rows):,}} of {{len(features):,}} rows look anomalous")
display(outlier_rows.head(20))
""",
        write,
        f"""
result = {{
    "intent": "outliers",
    "method": "isolation_forest",
    "action": "{plan.options.get("action")}",
    "columns": {py(columns)},
    "total": int(len(outlier_rows)),
    "checked_rows": int(len(features)),
    "rows_after": rows_after,
    "path": path,
    "values": {{"outliers": int(len(outlier_rows))}},
}}
""",
    )
