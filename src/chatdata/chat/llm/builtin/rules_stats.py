"""Intent rules for statistics and models: tests, correlation, regression, clustering,
time series."""

from __future__ import annotations

import re
from datetime import date

from chatdata.chat.llm.builtin.conditions import alpha, count_after
from chatdata.chat.llm.builtin.context import Question
from chatdata.chat.llm.builtin.plan import Plan
from chatdata.chat.llm.builtin.schema import Column, Schema

FREQUENCIES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("daily", "day", "days", "per day", "each day"), "day"),
    (("weekly", "week", "weeks"), "week"),
    (("monthly", "month", "months"), "month"),
    (("quarterly", "quarter", "quarters"), "quarter"),
    (("yearly", "annual", "annually", "year", "years"), "year"),
)
DEFAULT_HORIZON = {"day": 7, "week": 8, "month": 12, "quarter": 4, "year": 3}
SEASON_PERIOD = {"day": 7, "week": 52, "month": 12, "quarter": 4, "year": 1}


def _split(q: Question) -> float | None:
    """Test share from `test size 0.2`, `20% test`, `80/20 split`."""
    match = re.search(r"test(?:[ _]size)?\s*(?:of|=|:)?\s*(0?\.\d+)", q.raw, re.I)
    if match:
        return float(match.group(1))
    match = re.search(r"(\d{1,2})\s*%\s*(?:of the data )?(?:for |as )?(?:the )?test", q.raw, re.I)
    if match:
        return int(match.group(1)) / 100
    match = re.search(r"(\d{2})\s*/\s*(\d{2})\s*(?:train|split)", q.raw, re.I)
    if match:
        return int(match.group(2)) / 100
    return None


def _target_and_features(q: Question, schema: Schema) -> tuple[Column | None, list[Column]]:
    mentioned = q.mentioned()
    words = q.words
    target_name = None
    for key in ("predict", "forecast", "regress", "explain", "target", "dependent", "model", "of"):
        index = words.index(key)
        if index >= 0:
            target_name = q.resolution.column_after(index, window=3)
            if target_name:
                break
    if target_name is None and mentioned:
        target_name = mentioned[0].name
    target = schema.by_name.get(target_name) if target_name else None
    features = [c for c in mentioned if target is None or c.name != target.name]
    return target, features


def regression_rule(q: Question) -> Plan | None:
    """Linear regression (OLS) or, for a categorical target, logistic regression."""
    w = q.words
    logistic = w.has("logistic", "classifier", "classify", "classification")
    linear = w.has("regression", "regress", "linear model", "ols", "least squares")
    predicts = w.has("predict", "predicting") and w.has("from", "using", "based", "with", "on")
    if not (logistic or linear or predicts):
        return None
    target, features = _target_and_features(q, q.schema)
    if target is None:
        return Plan("regression", options={"logistic": logistic})
    logistic = logistic or not target.is_numeric
    if not features:
        features = [c for c in q.schema.numeric() if c.name != target.name]
    options = {"logistic": logistic, "test_size": _split(q)}
    intent = "logistic_regression" if logistic else "linear_regression"
    return Plan(intent, columns=[target.name] + [c.name for c in features], options=options)


def forecast_rule(q: Question) -> Plan | None:
    """Forecast a numeric series N periods ahead."""
    w = q.words
    if not (
        w.has("forecast", "forecasting", "projection", "project") or w.has("predict next", "next")
    ):
        return None
    if not w.has("forecast", "forecasting") and not q.schema.datetimes():
        return None
    return _time_plan(q, "forecast")


def decompose_rule(q: Question) -> Plan | None:
    """Seasonal decomposition of a series."""
    if not q.words.has("decompose", "decomposition", "seasonal", "seasonality", "seasonally"):
        return None
    return _time_plan(q, "decompose")


def trend_rule(q: Question) -> Plan | None:
    """Trend of a numeric column over time."""
    w = q.words
    if not w.has("trend", "trends", "over time", "changed", "evolved", "evolution", "growth"):
        return None
    if not q.schema.datetimes():
        return None
    return _time_plan(q, "trend")


def resample_rule(q: Question) -> Plan | None:
    """Aggregate a series per day/week/month/quarter/year."""
    w = q.words
    if not q.schema.datetimes():
        return None
    asked = w.has("resample", "resampled", "resampling", "daily", "weekly", "monthly")
    asked = asked or w.has("quarterly", "yearly", "annual", "annually")
    asked = asked or w.has("per month", "by month", "each month", "per week", "by week")
    asked = asked or w.has("per quarter", "by quarter", "per year", "by year", "each year")
    if not asked:
        return None
    if w.has("per year", "by year", "each year") and any(
        c.words == ("year",) for c in q.schema.columns
    ):
        return None
    return _time_plan(q, "resample")


def _time_plan(q: Question, intent: str) -> Plan:
    schema = q.schema
    date_column = next((c for c in q.mentioned() if c.kind == "datetime"), None)
    date_column = date_column or (schema.datetimes()[0] if schema.datetimes() else None)
    values = [c.name for c in q.numeric_subjects()] or [c.name for c in schema.numeric()[:1]]
    frequency = _frequency(q) or _default_frequency(q, date_column)
    stats = [s for s in q.words.stats() if s in {"mean", "sum", "median", "max", "min", "count"}]
    if intent != "resample":  # the series of a model is a mean or a total, nothing else
        stats = ["sum"] if q.words.has("total", "totals", "sum") else ["mean"]
    options: dict[str, object] = {
        "date": date_column.name if date_column else None,
        "freq": frequency,
        "agg": stats[0] if stats else "mean",
        "date_text": bool(date_column and date_column.date_text),
    }
    if intent == "forecast":
        keys = {"next", "periods", "steps", "ahead", "months", "days", "weeks", "quarters", "years"}
        options["horizon"] = count_after(q.words.tokens, keys) or DEFAULT_HORIZON[frequency]
    if intent in {"decompose", "forecast"}:
        options["period"] = SEASON_PERIOD[frequency]
    return Plan(intent, columns=values[:1] if intent != "resample" else values, options=options)


def _frequency(q: Question) -> str | None:
    for words, name in FREQUENCIES:
        if q.words.has(*words):
            return name
    return None


def _default_frequency(q: Question, column: Column | None) -> str:
    """Monthly for multi-year data, weekly for months of data, else daily."""
    if column is None:
        return "month"
    span = _span_days(column)
    if span is None or span > 730:
        return "month"
    return "week" if span > 90 else "day"


def _span_days(column: Column) -> int | None:
    try:
        low = date.fromisoformat(str(column.minimum)[:10])
        high = date.fromisoformat(str(column.maximum)[:10])
    except ValueError:
        return None
    return (high - low).days


def tests_rule(q: Question) -> Plan | None:
    """t-test, chi-square, ANOVA, normality, or a 'significant difference' question."""
    w = q.words
    options: dict[str, object] = {"alpha": alpha(q.raw)}
    if w.has("normal", "normality", "normally", "shapiro", "gaussian", "kolmogorov"):
        method = "ks" if w.has("kolmogorov", "ks") else "shapiro"
        method = "normaltest" if w.has("normaltest", "agostino") else method
        columns = [c.name for c in q.numeric_subjects()]
        return Plan("normality", columns=columns, options={**options, "method": method})
    if w.has("chi square", "chi2", "chisquare", "chi squared", "contingency"):
        return _chi_square(q, options)
    if w.has("anova", "analysis of variance", "f test", "one way"):
        return _group_test(q, "anova", options)
    if w.has("t test", "ttest", "welch", "student"):
        return _group_test(q, "ttest", options)
    asked = w.has(
        "significant", "significantly", "differ", "different", "difference", "independent"
    )
    if not (asked or w.has("association", "associated", "dependent", "depend")):
        return None
    numeric = q.numeric_subjects()
    categorical = _categorical_subjects(q)
    if not numeric and len(categorical) >= 2:
        return _chi_square(q, options)
    if numeric and categorical:
        return _group_test(q, "auto", options)
    return None


def _categorical_subjects(q: Question) -> list[Column]:
    """Categorical columns named, or whose values are named (`Male and Female` -> sex)."""
    found = [c for c in q.subject_columns() if c.kind in {"categorical", "boolean"}]
    for value in q.resolution.values:
        column = q.schema.by_name[value.column]
        if column not in found:
            found.append(column)
    return found


def _chi_square(q: Question, options: dict[str, object]) -> Plan:
    columns = [c.name for c in q.mentioned() if c.is_groupable]
    return Plan("chi_square", columns=columns[:2], options=options)


def _group_test(q: Question, test: str, options: dict[str, object]) -> Plan:
    numeric = [c for c in q.numeric_subjects() if not c.is_groupable or c.kind != "numeric"]
    numeric = numeric or q.numeric_subjects()
    group = next(iter(_categorical_subjects(q)), None)
    if group is None:
        group = next(
            (
                c
                for c in q.mentioned()
                if c.is_groupable and c.name not in {n.name for n in numeric[:1]}
            ),
            None,
        )
    mentions = sorted(q.resolution.values, key=lambda v: v.start)
    values = list(
        dict.fromkeys(v.value for v in mentions if group is not None and v.column == group.name)
    )
    paired = q.words.has("paired")
    if test == "auto":
        two = len(values) == 2 or (group is not None and group.distinct == 2)
        test = "ttest" if two else "anova"
    if test == "ttest" and paired and len(q.numeric_subjects()) >= 2:
        columns = [c.name for c in q.numeric_subjects()[:2]]
        return Plan("ttest", columns=columns, options={**options, "paired": True})
    if test == "ttest" and group is None and len(q.numeric_subjects()) >= 2:
        columns = [c.name for c in q.numeric_subjects()[:2]]
        return Plan("ttest", columns=columns, options={**options, "two_columns": True})
    options = {**options, "welch": q.words.has("welch", "unequal"), "levels": values}
    return Plan(
        test if test in {"ttest", "anova"} else "anova",
        columns=[c.name for c in numeric[:1]],
        group=group.name if group else None,
        options=options,
    )


def correlation_rule(q: Question) -> Plan | None:
    """Correlation between two columns, of one column with the rest, matrix, or top pairs."""
    w = q.words
    asked = w.starts("correlat") or w.has("corr", "heatmap", "relationship between", "related")
    if not asked:
        return None
    method = (
        "spearman" if w.has("spearman", "rank") else "kendall" if w.has("kendall") else "pearson"
    )
    numeric = [c.name for c in q.numeric_subjects()]
    strongest = w.has("strongest", "most correlated", "highest", "top", "strongly", "pairs", "pair")
    if len(numeric) >= 2 and not (len(numeric) > 2 and w.has("matrix", "heatmap")):
        mode = "pair" if len(numeric) == 2 else "matrix"
    elif len(numeric) == 1 and not w.has("matrix", "heatmap"):
        mode = "with"
    else:
        mode = "strongest" if strongest else "matrix"
    n_top = count_after(w.tokens, {"top", "strongest", "pairs"}) if mode == "strongest" else None
    return Plan(
        "correlation",
        columns=numeric,
        top_n=n_top,
        options={"method": method, "mode": mode, "heatmap": w.has("heatmap") or mode == "matrix"},
    )


def clustering_rule(q: Question) -> Plan | None:
    """K-means on standardised numeric columns."""
    w = q.words
    if not w.starts("cluster", "kmeans", "segment") and not w.has("k means"):
        return None
    k = count_after(w.tokens, {"clusters", "cluster", "groups", "segments", "k"})
    if w.has("optimal", "best", "choose", "choosing", "elbow", "automatically"):
        k = None
    columns = [c.name for c in q.numeric_subjects()] or [c.name for c in q.schema.numeric()]
    return Plan("clustering", columns=columns, options={"k": k, "auto_k": k is None})
