"""Answer sentences for looking at the data: overview, describe, aggregates, counts, charts."""
# ruff: noqa: RUF001 - Chinese answers use full-width punctuation on purpose

from __future__ import annotations

from typing import Any

from chatdata.chat.llm.builtin.numbers import num, pct

STAT_EN = {
    "mean": "mean", "median": "median", "sum": "total", "min": "minimum", "max": "maximum",
    "std": "standard deviation", "var": "variance", "count": "number of rows", "rows": "rows",
}  # fmt: skip
STAT_ZH = {
    "mean": "平均值", "median": "中位数", "sum": "总和", "min": "最小值", "max": "最大值",
    "std": "标准差", "var": "方差", "count": "行数", "rows": "行数",
}  # fmt: skip


def _where(result: dict[str, Any], zh: bool) -> str:
    filters = result.get("filters") or []
    if not filters:
        return ""
    joined = " and ".join(filters)
    return f"（筛选条件：{joined}）" if zh else f" (rows where {joined})"


def overview(r: dict[str, Any], zh: bool) -> str:
    """Size, column kinds, missing values, duplicates."""
    numeric, other = r.get("numeric_columns", []), r.get("other_columns", [])
    missing = r.get("columns_with_missing", [])
    if zh:
        text = (
            f"数据集共有 {num(r['rows'])} 行、{r['columns']} 列：{len(numeric)} 个数值列"
            f"（{', '.join(numeric[:8])}）和 {len(other)} 个其他列（{', '.join(other[:8])}）。"
        )
        text += (
            f"共有 {num(r['missing_cells'])} 个缺失值，分布在 {', '.join(missing[:8])}。"
            if missing
            else "没有缺失值。"
        )
        return text + f"重复行：{num(r['duplicate_rows'])}。"
    text = (
        f"The dataset has {num(r['rows'])} rows and {r['columns']} columns: {len(numeric)} "
        f"numeric ({', '.join(numeric[:8])}) and {len(other)} other ({', '.join(other[:8])})."
    )
    text += (
        f" There are {num(r['missing_cells'])} missing values, in {', '.join(missing[:8])}."
        if missing
        else " There are no missing values."
    )
    text += f" Duplicate rows: {num(r['duplicate_rows'])}."
    if r.get("df_is_sample"):
        text += " (Missing values and duplicates were counted on the sample in `df`.)"
    return text


def describe(r: dict[str, Any], zh: bool) -> str:
    """One sentence per column."""
    sentences = []
    for name, stats in (r.get("summary") or {}).items():
        if "mean" in stats:
            sentences.append(
                f"{name}：均值 {num(stats['mean'])}，标准差 {num(stats.get('std'))}，中位数 "
                f"{num(stats.get('50%'))}，范围 {num(stats.get('min'))}–{num(stats.get('max'))}"
                f"（{num(stats.get('count'))} 个非空值）。"
                if zh
                else f"{name}: mean {num(stats['mean'])}, standard deviation "
                f"{num(stats.get('std'))}, median {num(stats.get('50%'))}, range "
                f"{num(stats.get('min'))} to {num(stats.get('max'))} "
                f"({num(stats.get('count'))} non-missing values)."
            )
        else:
            sentences.append(
                f"{name}：{num(stats.get('unique'))} 个不同取值，最常见的是 {stats.get('top')}"
                f"（{num(stats.get('freq'))} 次）。"
                if zh
                else f"{name}: {num(stats.get('unique'))} distinct values; the most common is "
                f"{stats.get('top')} ({num(stats.get('freq'))} rows)."
            )
    return " ".join(sentences)


def aggregate(r: dict[str, Any], zh: bool) -> str:
    """`The mean of tip is 3.26 (76 rows where day == Sun).`"""
    values = r.get("values") or {}
    if r.get("stats") == ["count"] or not r.get("columns"):
        count = num(r.get("rows"))
        return (
            f"符合条件的行数为 {count}{_where(r, zh)}。"
            if zh
            else (f"There are {count} rows{_where(r, zh) or ' in total'}.")
        )
    parts = []
    for column in r["columns"]:
        for stat in r["stats"]:
            value = values.get(f"{stat}_{column}")
            if value is None and f"{stat}_{column}" not in values:
                continue
            label = STAT_ZH[stat] if zh else STAT_EN[stat]
            parts.append(
                f"{column} 的{label}为 {num(value)}"
                if zh
                else f"the {label} of {column} is {num(value)}"
            )
    rows = num(r.get("rows"))
    if zh:
        return "，".join(parts) + f"{_where(r, zh)}，基于 {rows} 行。"
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + f"{_where(r, zh)}, over {rows} rows."


def groupby(r: dict[str, Any], zh: bool) -> str:
    """The top group(s) with their values, and how many groups there are."""
    table = r.get("table") or []
    if not table:
        return "没有符合条件的分组。" if zh else "No group matched."
    group, sort = r["group"], r["sort"]
    stat = (r.get("stats") or ["count"])[0]
    label = (STAT_ZH if zh else STAT_EN)[stat if r.get("columns") else "count"]
    column = (r.get("columns") or [""])[0]
    listed = ", ".join(f"{row[group]} ({num(row.get(sort))})" for row in table[:10])
    first = table[0]
    if zh:
        what = f"{column} 的{label}" if column else label
        order = "最高" if r.get("descending") else "最低"
        text = f"按 {group} 分组的{what}：{listed}。"
        if r.get("top_n"):
            text = f"{what}{order}的 {group} 是 {first[group]}（{num(first.get(sort))}）。" + text
        return text + _where(r, zh)
    what = f"{label} {column}".strip() if column else "number of rows"
    text = f"{what[:1].upper() + what[1:]} by {group}: {listed}."
    if r.get("top_n"):
        order = "highest" if r.get("descending") else "lowest"
        lead = f"{first[group]} has the {order} {what} ({num(first.get(sort))})."
        text = lead + " " + text
    return text + _where(r, zh)


def filter_rows(r: dict[str, Any], zh: bool) -> str:
    """How many rows match."""
    share = pct(r["values"].get("percent"))
    if zh:
        return (
            f"有 {num(r['rows'])} 行满足条件{_where(r, zh)}，占全部 {num(r['total_rows'])} 行的 "
            f"{share}。"
        )
    return (
        f"{num(r['rows'])} of {num(r['total_rows'])} rows ({share}) match"
        f"{_where(r, zh) or ' the condition'}; the first of them are shown above."
    )


def unique(r: dict[str, Any], zh: bool) -> str:
    """Count and examples of distinct values."""
    examples = ", ".join(str(v) for v in r.get("examples", [])[:10])
    if zh:
        return (
            f"{r['column']} 共有 {num(r['count'])} 个不同的取值（不含缺失值），例如：{examples}。"
        )
    return (
        f"{r['column']} has {num(r['count'])} distinct values (missing values not counted): "
        f"{examples}."
    )


def value_counts(r: dict[str, Any], zh: bool) -> str:
    """Most (or least) common values with counts and shares."""
    column = r["column"]
    listed = ", ".join(
        f"{row[column]} ({num(row['count'])}, {pct(row['percent'])})" for row in r["table"][:8]
    )
    first = r["table"][0]
    if zh:
        kind = "最常见" if r.get("descending") else "最少见"
        return (
            f"{column} 中{kind}的取值是 {first[column]}（{num(first['count'])} 次）。各取值："
            f"{listed}。"
        )
    kind = "most" if r.get("descending") else "least"
    return (
        f"The {kind} common {column} is {first[column]} ({num(first['count'])} rows, "
        f"{pct(first['percent'])} of non-missing values). Counts: {listed}."
    )


def percentage(r: dict[str, Any], zh: bool) -> str:
    """A share of rows (per group when asked) or each group's share of a total."""
    values, table = r.get("values") or {}, r.get("table") or []
    if r.get("mode") == "share":
        group = r["group"]
        listed = ", ".join(f"{row[group]} {pct(row['percent'])}" for row in table[:10])
        if zh:
            return f"各 {group} 在{r.get('measure')}中的占比{_where(r, zh)}：{listed}。"
        return f"Share of {r.get('measure')} by {group}{_where(r, zh)}: {listed}."
    if r.get("group"):
        group = r["group"]
        listed = ", ".join(f"{row[group]} {pct(row['percent'])}" for row in table[:10])
        return (
            f"按 {group} 分组，满足条件{_where(r, zh)}的比例：{listed}。"
            if zh
            else (f"Share of rows{_where(r, zh)} within each {group}: {listed}.")
        )
    if zh:
        return (
            f"满足条件{_where(r, zh)}的行占 {pct(values['percent'])}"
            f"（{num(values['matching'])} / {num(values['rows'])} 行）。"
        )
    return (
        f"{pct(values['percent'])} of rows match{_where(r, zh)}: "
        f"{num(values['matching'])} of {num(values['rows'])}."
    )


def ratio(r: dict[str, Any], zh: bool) -> str:
    """Ratio of two aggregates."""
    first, second = r["columns"]
    stat = r.get("stat", "sum")
    value = num(r["values"]["ratio"], 4)
    if zh:
        return f"{first} 与 {second} 的{STAT_ZH[stat]}之比为 {value}。"
    return f"The ratio of the {STAT_EN[stat]} of {first} to that of {second} is {value}."


def chart(r: dict[str, Any], zh: bool) -> str:
    """What the chart shows, with its key numbers."""
    kind, columns, values = r["kind"], r.get("columns") or [], r.get("values") or {}
    joined = ", ".join(columns)
    if kind == "histogram" and "mean" in values:
        skew = float(values.get("skewness") or 0)
        shape_en = (
            "right-skewed" if skew > 0.5 else "left-skewed" if skew < -0.5 else "roughly symmetric"
        )
        shape_zh = "右偏" if skew > 0.5 else "左偏" if skew < -0.5 else "大致对称"
        if zh:
            return (
                f"{joined} 的分布{shape_zh}（偏度 {num(skew)}）：均值 {num(values['mean'])}，"
                f"中位数 {num(values['median'])}，标准差 {num(values['std'])}，"
                f"范围 {num(values['min'])}–{num(values['max'])}。直方图见上方。"
            )
        return (
            f"The distribution of {joined} is {shape_en} (skewness {num(skew)}): mean "
            f"{num(values['mean'])}, median {num(values['median'])}, standard deviation "
            f"{num(values['std'])}, range {num(values['min'])} to {num(values['max'])}. "
            "The histogram is above."
        )
    if kind == "scatter" and "r" in values:
        return (
            f"散点图见上方；两者的 Pearson 相关系数 r = {num(values['r'], 3)}。"
            if zh
            else (
                f"The scatter plot of {joined} is above; their Pearson correlation is r = "
                f"{num(values['r'], 3)}."
            )
        )
    listed = ", ".join(f"{k}: {num(v)}" for k, v in list(values.items())[:10])
    if zh:
        return f"已绘制 {joined} 的{kind}图（{num(r.get('rows'))} 行）。{listed}"
    detail = f" Key figures: {listed}." if listed else ""
    return f"Here is a {kind} chart of {joined} ({num(r.get('rows'))} rows).{detail}"
