"""Follow-up suggestions, example questions built from the dataset's own columns, and the
replies for questions the analyst cannot map."""
# ruff: noqa: RUF001 - Chinese answers use full-width punctuation on purpose

from __future__ import annotations

from typing import Any

from chatdata.chat.llm.builtin.schema import Schema


def _names(schema: Schema) -> tuple[str, str, str, str | None]:
    numeric = [c.name for c in schema.numeric()] or [c.name for c in schema.columns[:1]]
    groupable = [c.name for c in schema.numeric() if c.is_groupable and c.name != numeric[0]]
    categories = [c.name for c in schema.categorical()] or groupable or numeric[-1:]
    measures = [c.name for c in schema.numeric() if not c.is_groupable and c.name != numeric[0]]
    second = (measures or numeric[1:] or numeric)[0]
    date = schema.datetimes()[0].name if schema.datetimes() else None
    return numeric[0], second, categories[0], date


def example_questions(schema: Schema, zh: bool) -> list[str]:
    """Four to six questions this dataset can answer, with its real column names."""
    first, second, category, date = _names(schema)
    if zh:
        examples = [
            "给我一个数据概览",
            f"按 {category} 分组计算 {first} 的平均值",
            "每一列有多少缺失值？",
            f"{first} 和 {second} 的相关性是多少？",
            f"{first} 的分布是怎样的？",
        ]
        if date:
            examples.append(f"{first} 随时间的趋势如何？")
        return examples
    examples = [
        "Give me an overview of the data",
        f"What is the average {first} by {category}?",
        "How many missing values are in each column?",
        f"What is the correlation between {first} and {second}?",
        f"Show the distribution of {first}",
    ]
    examples.append(
        f"What is the monthly trend of {first}?"
        if date
        else f"Is there a significant difference in {first} between {category} groups?"
    )
    return examples


CAPABILITIES_EN = (
    "overviews and summary statistics; missing values (report, fill, drop); duplicates; "
    "outliers (IQR, z-score, Isolation Forest); type conversion; value counts and unique "
    "values; group-by aggregates with filters and top/bottom N; percentages and ratios; "
    "correlation; charts; trends, resampling, seasonal decomposition and forecasts; t-tests, "
    "chi-square, ANOVA and normality tests; linear and logistic regression; clustering"
)
CAPABILITIES_ZH = (
    "数据概览与描述统计；缺失值（统计、填充、删除）；重复值；异常值（IQR、Z 分数、孤立森林）；"
    "类型转换；"
    "频数与唯一值；分组聚合（可加筛选条件和前/后 N 名）；百分比与比率；相关性；图表；趋势、重采样、"
    "季节性分解与预测；t 检验、卡方检验、方差分析与正态性检验；线性回归与逻辑回归；聚类"
)


def cannot_answer(schema: Schema, zh: bool) -> str:
    """A plain reply for a question the analyst could not map, with what it can do."""
    examples = "\n".join(f"- {q}" for q in example_questions(schema, zh))
    if zh:
        return (
            "抱歉，我（内置离线分析器，未连接大模型）无法理解这个问题，所以没有运行任何计算。"
            f"我可以对 {schema.name} 做：{CAPABILITIES_ZH}。例如可以这样问：\n{examples}"
        )
    return (
        "I'm the built-in offline analyst (no language model is configured) and I could not "
        "map this question to an analysis, so I did not compute anything. With "
        f"{schema.name} I can do {CAPABILITIES_EN}. For example, ask:\n{examples}"
    )


def clarify(term: str, candidates: list[str], zh: bool) -> str:
    """Ask which column an ambiguous word means."""
    listed = ", ".join(f"`{c}`" for c in candidates)
    if zh:
        return f"“{term}”可能指多个列：{listed}。请告诉我你指的是哪一列。"
    return f"“{term}” could mean several columns: {listed}. Which one do you mean?"


def need_columns(intent: str, kind: str | None, schema: Schema, zh: bool) -> str:
    """Say what the analysis needs that the question did not name."""
    if kind == "datetime":
        return (
            f"这个分析（{intent}）需要日期列，但 {schema.name} 中没有日期或时间列。"
            if zh
            else f"This analysis ({intent}) needs a date column, and {schema.name} has none."
        )
    if kind == "type":
        return (
            "请说明要转换成的类型：datetime、integer、float、string、category 或 boolean。"
            if zh
            else "Which type should it become: datetime, integer, float, string, category or "
            "boolean?"
        )
    numeric = ", ".join(c.name for c in schema.numeric()[:10])
    categories = ", ".join(c.name for c in schema.categorical()[:10])
    if zh:
        return f"请指明这个分析（{intent}）要用的列。数值列：{numeric}；分类列：{categories}。"
    return (
        f"Please name the columns for this analysis ({intent.replace('_', ' ')}). Numeric "
        f"columns: {numeric or 'none'}; categorical columns: {categories or 'none'}."
    )


def follow_ups(result: dict[str, Any], schema: Schema, zh: bool) -> list[str]:
    """Two follow-up questions that fit what was just computed."""
    first, _, category, _ = _names(schema)
    intent = result.get("intent")
    columns = result.get("columns")
    listed = columns[0] if isinstance(columns, list) and columns else None
    subject = str(
        result.get("value") or listed or result.get("column") or result.get("target") or first
    )
    group = str(result.get("group") or category)
    kind = FOLLOW_UP_KIND.get(str(intent), "other")
    templates = FOLLOW_UPS_ZH[kind] if zh else FOLLOW_UPS_EN[kind]
    return [
        t.format(subject=subject, group=group, first=first, category=category) for t in templates
    ]


FOLLOW_UP_KIND = {
    "groupby": "explore", "aggregate": "explore", "describe": "explore", "chart": "explore",
    "value_counts": "explore", "missing_report": "quality", "missing_fill": "quality",
    "missing_drop": "quality", "duplicates": "quality", "outliers": "quality",
    "trend": "time", "resample": "time", "decompose": "time", "forecast": "time",
}  # fmt: skip
FOLLOW_UPS_EN = {
    "explore": (
        "Is the difference in {subject} between {group} groups significant?",
        "Which columns correlate most with {subject}?",
    ),
    "quality": ("Give me an overview of the data", "Show the distribution of {first}"),
    "time": ("Forecast {subject} for the next 12 months", "Seasonal decomposition of {subject}"),
    "other": ("What is the average {first} by {category}?", "How many missing values are there?"),
}
FOLLOW_UPS_ZH = {
    "explore": ("{subject} 在各 {group} 之间的差异显著吗？", "哪些列与 {subject} 的相关性最强？"),
    "quality": ("给我一个数据概览", "{first} 的分布是怎样的？"),
    "time": ("预测未来 12 个月的 {subject}", "对 {subject} 做季节性分解"),
    "other": ("按 {category} 分组计算 {first} 的平均值", "每一列有多少缺失值？"),
}
