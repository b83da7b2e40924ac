"""Intent rules for looking at the data: overview, describe, counts, group-by aggregates,
filters, percentages and charts."""

from __future__ import annotations

from chatdata.chat.llm.builtin.conditions import top_n
from chatdata.chat.llm.builtin.context import Question
from chatdata.chat.llm.builtin.plan import Condition, Plan
from chatdata.chat.llm.builtin.schema import Column

CHART_KINDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("histogram", "histograms", "hist"), "histogram"),
    (("pie",), "pie"),
    (("scatter", "scatterplot"), "scatter"),
    (("box", "boxplot", "boxplots", "violin"), "box"),
    (("line chart", "line plot", "line graph", "lineplot"), "line"),
    (("bar", "bars", "barplot", "column chart"), "bar"),
)
CHART_WORDS = (
    "plot",
    "chart",
    "graph",
    "visualize",
    "visualise",
    "visualization",
    "draw",
    "show me a",
)


def percentage_rule(q: Question) -> Plan | None:
    """Share of rows matching a condition (overall or per group), or a ratio of two sums."""
    w = q.words
    named = w.has("percent", "percentage", "percentages", "proportion", "share", "fraction")
    if not (named or w.has("ratio") or any(token.endswith("%") for token in w.tokens)):
        return None
    group = q.group_column()
    conditions = q.all_filters({group.name} if group else None)
    if not conditions:
        conditions = _yes_flags(q, group)
    if w.has("ratio") and len(q.numeric_subjects()) >= 2 and not conditions:
        columns = [c.name for c in q.numeric_subjects()[:2]]
        stat = next((s for s in w.stats() if s in {"mean", "sum", "median"}), "sum")
        return Plan("ratio", columns=columns, stats=[stat])
    numeric = [
        c.name
        for c in q.numeric_subjects()
        if c.name not in q.filter_columns() and (group is None or c.name != group.name)
    ]
    if group is not None and (numeric or not conditions):
        options = {"mode": "share"}
        return Plan(
            "percentage", columns=numeric[:1], group=group.name, filters=conditions, options=options
        )
    if not conditions:
        return Plan("need_columns", options={"for": "percentage"})
    group_name = group.name if group else None
    return Plan("percentage", group=group_name, filters=conditions, options={"mode": "rows"})


def _yes_flags(q: Question, group: Column | None) -> list[Condition]:
    """`smokers` of a Yes/No column `smoker` means smoker == "Yes"."""
    for column in q.mentioned():
        if group is not None and column.name == group.name:
            continue
        yes = next((v for v in column.values if v.lower() in {"yes", "true", "y"}), None)
        if yes is not None and column.kind in {"categorical", "boolean"}:
            value: object = True if column.kind == "boolean" else yes
            return [Condition(column.name, "==", value)]
    return []


def unique_rule(q: Question) -> Plan | None:
    """Distinct values of a column and how many there are."""
    w = q.words
    asked = w.has("unique", "distinct", "different values", "different kinds", "nunique")
    if not (asked or w.has("how many different", "number of different")):
        return None
    columns = [c.name for c in q.subject_columns()]
    return Plan("unique", columns=columns, filters=q.all_filters(set(columns[:1])))


def value_counts_rule(q: Question) -> Plan | None:
    """How often each value occurs (most/least common, frequencies)."""
    w = q.words
    asked = w.has("value counts", "frequency", "frequencies", "breakdown", "occurrences", "mode")
    asked = asked or w.has("most common", "most frequent", "least common", "least frequent")
    asked = asked or w.has("how many of each", "count of each", "counts of each", "tally")
    if not asked:
        return None
    columns = [c.name for c in q.subject_columns() if c.kind != "numeric" or c.is_groupable]
    columns = columns or [c.name for c in q.subject_columns()]
    n, _ = top_n(w.tokens)
    descending = not w.has("least common", "least frequent", "rarest")
    return Plan("value_counts", columns=columns[:1], top_n=n, descending=descending)


def chart_rule(q: Question) -> Plan | None:
    """A named chart kind, or a chart chosen from the column types."""
    w = q.words
    kind = next((name for words, name in CHART_KINDS if w.has(*words)), None)
    distribution = w.has("distribution", "distributed", "spread", "skew", "skewness", "skewed")
    if kind is None and not w.has(*CHART_WORDS) and not distribution:
        return None
    group = q.group_column()
    stats = [s for s in w.stats() if s != "count"]
    columns = [c.name for c in q.subject_columns() if group is None or c.name != group.name]
    if group is not None and kind in {None, "bar", "line", "pie"} and not distribution:
        stat = stats[0] if stats else ("mean" if columns else "count")
        numeric = [c for c in columns if q.schema.by_name[c].is_numeric]
        return Plan(
            "groupby",
            columns=numeric[:1],
            group=group.name,
            stats=[stat],
            filters=q.all_filters({group.name}),
            options={"chart": kind or "bar"},
        )
    return Plan(
        "chart",
        columns=columns,
        group=group.name if group else None,
        filters=q.all_filters(),
        options={"kind": kind or "auto", "distribution": distribution and kind is None},
    )


def groupby_rule(q: Question) -> Plan | None:
    """Aggregates per group, sorted, optionally top/bottom N (`which X has the highest Y`)."""
    group = q.group_column()
    if group is None:
        return None
    w = q.words
    stats = [s for s in w.stats() if s not in {"max", "min"} or len(w.stats()) == 1]
    values = [c for c in q.subject_columns() if c.name != group.name and c.is_numeric]
    if len(stats) > 1:
        stats = [s for s in stats if s != "count"]
    if not stats:
        stats = ["mean"] if values else ["count"]
    if stats == ["count"] or not values:
        values = []
        stats = ["count"]
    n, descending = top_n(w.tokens)
    order = w.descending()
    if w.has("which", "what") and n is None and order is not None:
        n = 1
    return Plan(
        "groupby",
        columns=[c.name for c in values],
        group=group.name,
        stats=stats,
        filters=q.all_filters({group.name}),
        top_n=n,
        descending=order if order is not None else descending,
    )


def aggregate_rule(q: Question) -> Plan | None:
    """One number over (filtered) rows: mean, sum, median, min, max, std, var, count."""
    w = q.words
    stats = w.stats()
    order = w.descending()
    numeric = [c for c in q.subject_columns() if c.is_numeric]
    if not stats and order is not None and numeric:
        stats = ["max"] if order else ["min"]
    if not stats:
        return None
    if stats == ["count"] or (not numeric and "count" in stats):
        columns: list[Column] = []
        stats = ["count"]
    else:
        columns = numeric
        stats = [s for s in stats if s != "count"] or ["mean"]
    return Plan(
        "aggregate",
        columns=[c.name for c in columns],
        stats=stats,
        filters=q.all_filters(),
    )


def filter_rule(q: Question) -> Plan | None:
    """Rows matching conditions: how many, and the first of them."""
    conditions = q.all_filters()
    if not conditions:
        return None
    return Plan("filter", filters=conditions)


def overview_rule(q: Question) -> Plan | None:
    """Explicit overview/describe requests win over the counts they mention."""
    w = q.words
    if w.has("overview", "describe", "description", "summary statistics", "descriptive"):
        return describe_rule(q)
    return None


def describe_rule(q: Question) -> Plan | None:
    """Summary statistics of named columns, or the dataset overview."""
    w = q.words
    asked = w.has("describe", "description", "summary", "summarize", "summarise", "statistics")
    asked = asked or w.has("stats", "profile", "summary statistics", "descriptive")
    mentioned = q.mentioned()
    if asked and mentioned:
        return Plan("describe", columns=[c.name for c in mentioned])
    about = w.has("about the data", "about this data", "about the dataset", "about this dataset")
    if asked or about or w.has("overview", "explore", "shape", "dimensions", "columns"):
        return Plan("overview")
    if w.has("how many rows", "how many records", "how many entries", "size of"):
        return Plan("overview")
    return None


def bare_columns_rule(q: Question) -> Plan | None:
    """A question that only names columns (`body mass?`) gets their summary."""
    mentioned = q.mentioned()
    content = [
        t for t in q.words.tokens if t not in {"the", "a", "of", "and", "what", "about", "<col>"}
    ]
    if mentioned and len(content) <= 2 * len(mentioned) + 1:
        return Plan("describe", columns=[c.name for c in mentioned])
    return None
