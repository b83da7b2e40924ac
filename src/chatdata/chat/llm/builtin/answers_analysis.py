"""Answer sentences for data quality, tests, models and time series."""
# ruff: noqa: RUF001 - Chinese answers use full-width punctuation on purpose

from __future__ import annotations

from typing import Any

from chatdata.chat.llm.builtin.numbers import num, pct, pval

FILL_EN = {
    "mean": "its mean", "median": "its median", "mode": "its most frequent value",
    "zero": "0", "constant": "a constant", "ffill": "the previous value (forward fill)",
    "bfill": "the next value (backward fill)", "interpolate": "linear interpolation",
    "auto": "the median (numbers) or most frequent value (other columns)",
}  # fmt: skip
FILL_ZH = {
    "mean": "均值", "median": "中位数", "mode": "众数", "zero": "0", "constant": "常数",
    "ffill": "前一个值（前向填充）", "bfill": "后一个值（后向填充）", "interpolate": "线性插值",
    "auto": "中位数（数值列）或众数（其他列）",
}  # fmt: skip


def missing_report(r: dict[str, Any], zh: bool) -> str:
    """Total, per column (non-zero), rows affected."""
    with_missing = {k: v for k, v in r["per_column"].items() if v}
    listed = ", ".join(f"{k} {num(v)} ({pct(r['percent'][k])})" for k, v in with_missing.items())
    if zh:
        if not with_missing:
            return f"这些列没有缺失值（共 {num(r['rows'])} 行）。"
        return (
            f"共有 {num(r['total_missing'])} 个缺失值，涉及 {num(r['rows_with_missing'])} 行"
            f"（共 {num(r['rows'])} 行）。各列：{listed}。"
        )
    if not with_missing:
        return f"There are no missing values in these columns ({num(r['rows'])} rows)."
    return (
        f"There are {num(r['total_missing'])} missing values in {num(r['rows_with_missing'])} of "
        f"{num(r['rows'])} rows. By column: {listed}."
    )


def missing_fill(r: dict[str, Any], zh: bool) -> str:
    """What was filled with what."""
    strategy = r["strategy"]
    fills = r.get("fill_values") or {}
    parts = [
        f"{k}: {num(v)} {'个' if zh else 'values'}"
        + (f" → {_value(fills[k])}" if k in fills else "")
        for k, v in r["filled"].items()
    ]
    skipped = ", ".join(r.get("skipped") or [])
    if zh:
        text = f"已用{FILL_ZH[strategy]}填充缺失值：{'; '.join(parts) or '无'}。"
        return text + (f"未处理的列：{skipped}。" if skipped else "")
    text = (
        f"I filled missing values with {FILL_EN[strategy]}: "
        f"{'; '.join(parts) or 'nothing to fill'}."
    )
    return text + (f" Left unchanged (not numeric): {skipped}." if skipped else "")


def _value(value: Any) -> str:
    return num(value) if isinstance(value, int | float) else str(value)


def missing_drop(r: dict[str, Any], zh: bool) -> str:
    """Rows before and after."""
    removed = r["rows_before"] - r["rows_after"]
    where = ", ".join(r.get("columns") or []) or ("任一列" if zh else "any column")
    if zh:
        return (
            f"删除在 {where} 中有缺失值的行：{num(r['rows_before'])} 行 → {num(r['rows_after'])} "
            "行（删除 "
            f"{num(removed)} 行）。"
        )
    return (
        f"Dropping rows with a missing value in {where} keeps {num(r['rows_after'])} of "
        f"{num(r['rows_before'])} rows ({num(removed)} removed)."
    )


def duplicates(r: dict[str, Any], zh: bool) -> str:
    """How many duplicates; removed on request."""
    scope = ", ".join(r.get("columns") or []) or ("所有列" if zh else "all columns")
    count, rows = num(r["duplicates"]), num(r["rows"])
    if zh:
        text = f"按{scope}判断，{rows} 行中有 {count} 行是重复的（第一次出现之外的副本）。"
        return text + (
            "已生成去重后的新版本。" if r["action"] == "remove" and r["duplicates"] else ""
        )
    text = f"Comparing {scope}, {count} of {rows} rows are duplicates (copies beyond the first)."
    if r["action"] == "remove":
        text += f" Removing them leaves {num(r['rows'] - r['duplicates'])} rows."
    return text


def outliers(r: dict[str, Any], zh: bool) -> str:
    """Counts per column with bounds; removed or capped on request."""
    method = {"iqr": f"{r.get('threshold')} × IQR", "zscore": f"|z| > {r.get('threshold')}"}.get(
        r["method"], "Isolation Forest"
    )
    if r["method"] == "isolation_forest":
        lead = (
            f"Isolation Forest 在 {num(r['checked_rows'])} 行中标记了 {num(r['total'])} 行异常。"
            if zh
            else f"Isolation Forest flags {num(r['total'])} of {num(r['checked_rows'])} rows "
            "as anomalies."
        )
    else:
        bounds = r.get("bounds") or {}
        parts = [
            f"{k}: {num(v)} ({num(bounds[k]['lower'])} – {num(bounds[k]['upper'])})"
            for k, v in r["per_column"].items()
        ]
        lead = (
            f"按 {method} 规则共发现 {num(r['total'])} 个异常值。各列（正常范围）："
            f"{'; '.join(parts)}。"
            if zh
            else f"Using the {method} rule there are {num(r['total'])} outliers. "
            f"By column (normal range): {'; '.join(parts)}."
        )
    if r.get("action") in {"remove", "cap"} and r.get("rows_after") is not None:
        done = (
            ("删除" if r["action"] == "remove" else "截断")
            if zh
            else ("Removing" if r["action"] == "remove" else "Capping")
        )
        lead += (
            f"{done}后剩余 {num(r['rows_after'])} 行。"
            if zh
            else f" {done} them leaves {num(r['rows_after'])} rows."
        )
    return lead


def convert(r: dict[str, Any], zh: bool) -> str:
    """Old and new type, failures, range."""
    span = f" ({r['min']} – {r['max']})" if r.get("min") is not None else ""
    if zh:
        return (
            f"已将 {r['column']} 从 {r['from_dtype']} 转换为 {r['to_dtype']}："
            f"{num(r['non_null'])} 个值转换成功"
            f"{span}，{num(r['failed'])} 个值无法转换（变为缺失值）。"
        )
    return (
        f"{r['column']} converts from {r['from_dtype']} to {r['to_dtype']}: {num(r['non_null'])} "
        f"values converted{span}, {num(r['failed'])} could not be converted (now missing)."
    )


def correlation(r: dict[str, Any], zh: bool) -> str:
    """r (and p) for a pair; ranking otherwise."""
    values, method = r["values"], r["method"].title()
    if r["mode"] == "pair":
        x, y = r["columns"]
        rv = float(values["r"])
        strength = _strength(rv, zh)
        if zh:
            return (
                f"{x} 与 {y} 的 {method} 相关系数 r = {num(rv, 4)}（{strength}），p = "
                f"{pval(values['p_value'])}，n = {num(r['n'])}。"
            )
        return (
            f"The {method} correlation between {x} and {y} is r = {num(rv, 4)} ({strength}), "
            f"p = {pval(values['p_value'])}, n = {num(r['n'])}."
        )
    if r["mode"] == "with":
        listed = ", ".join(f"{k} {num(v, 3)}" for k, v in list(r["correlations"].items())[:8])
        if zh:
            return (
                f"与 {r['target']} 相关性最强的是 {values['column']}（r = "
                f"{num(values['r'], 4)}）。全部："
                f"{listed}。"
            )
        return (
            f"The column most correlated with {r['target']} is {values['column']} "
            f"(r = {num(values['r'], 4)}). All: {listed}."
        )
    listed = ", ".join(f"{p['column_1']}–{p['column_2']} {num(p['r'], 3)}" for p in r["pairs"])
    if zh:
        return (
            f"相关性最强的一对是 {values['column_1']} 与 {values['column_2']}（r = "
            f"{num(values['r'], 4)}）。"
            f"前几对：{listed}。热力图见上方。"
        )
    return (
        f"The strongest correlation is between {values['column_1']} and {values['column_2']} "
        f"(r = {num(values['r'], 4)}). Top pairs: {listed}. The heatmap is above."
    )


def _strength(r: float, zh: bool) -> str:
    size = abs(r)
    level = 3 if size >= 0.7 else 2 if size >= 0.4 else 1 if size >= 0.2 else 0
    if zh:
        words = ["几乎无相关", "弱", "中等", "强"][level]
        return words if level == 0 else f"{words}{'正' if r > 0 else '负'}相关"
    words = ["little or no", "weak", "moderate", "strong"][level]
    return (
        f"{words} correlation" if level == 0 else f"{words} {'positive' if r > 0 else 'negative'}"
    )


def _verdict(significant: bool, alpha: float, zh: bool) -> str:
    if zh:
        return f"在 α = {alpha} 水平下{'显著' if significant else '不显著'}"
    return f"{'significant' if significant else 'not significant'} at α = {alpha}"


def ttest(r: dict[str, Any], zh: bool) -> str:
    """t, p, the means, and the verdict."""
    values = r["values"]
    means = ", ".join(f"{k} {num(v)}" for k, v in r["means"].items())
    verdict = _verdict(bool(values["significant"]), r["alpha"], zh)
    kind = "Welch" if r.get("welch") else ("paired" if r.get("paired") else "Student")
    if zh:
        return (
            f"t 检验（{kind}）：t = {num(values['t_statistic'], 4)}，p = "
            f"{pval(values['p_value'])}，"
            f"{verdict}。均值：{means}。"
        )
    return (
        f"{kind} t-test: t = {num(values['t_statistic'], 4)}, p = {pval(values['p_value'])}, "
        f"so the difference is {verdict}. Means: {means}."
    )


def anova(r: dict[str, Any], zh: bool) -> str:
    """F, p, group means."""
    values = r["values"]
    means = ", ".join(f"{k} {num(v)}" for k, v in list(r["means"].items())[:10])
    verdict = _verdict(bool(values["significant"]), r["alpha"], zh)
    if zh:
        return (
            f"单因素方差分析：F = {num(values['f_statistic'], 4)}，p = {pval(values['p_value'])}，"
            f"{r['value']} 在 {r['group']} 各组间的差异{verdict}。均值：{means}。"
        )
    return (
        f"One-way ANOVA of {r['value']} across {r['groups']} {r['group']} groups: "
        f"F = {num(values['f_statistic'], 4)}, p = {pval(values['p_value'])}, {verdict}. Means: "
        f"{means}."
    )


def chi_square(r: dict[str, Any], zh: bool) -> str:
    """chi2, dof, p, verdict."""
    values = r["values"]
    first, second = r["columns"]
    verdict = _verdict(bool(values["significant"]), r["alpha"], zh)
    if zh:
        return (
            f"{first} 与 {second} 的卡方独立性检验：χ² = {num(values['chi2'], 4)}，自由度 "
            f"{values['dof']}，p = "
            f"{pval(values['p_value'])}，关联{verdict}。"
        )
    return (
        f"Chi-square test of independence between {first} and {second}: χ² = "
        f"{num(values['chi2'], 4)}, dof = {values['dof']}, p = {pval(values['p_value'])}; "
        f"the association is {verdict}."
    )


def normality(r: dict[str, Any], zh: bool) -> str:
    """Per column: test, statistic, p, verdict."""
    parts = []
    for test in r["tests"]:
        normal = bool(test["normal"])
        if zh:
            parts.append(
                f"{test['column']}：{test['test']} 统计量 {num(test['statistic'], 4)}，p = "
                f"{pval(test['p_value'])}，"
                f"{'可以认为服从' if normal else '不服从'}正态分布（α = {r['alpha']}）。"
            )
        else:
            parts.append(
                f"{test['column']}: {test['test']} statistic {num(test['statistic'], 4)}, "
                f"p = {pval(test['p_value'])}, so it {'looks' if normal else 'is not'} normally "
                f"distributed (α = {r['alpha']})."
            )
    return " ".join(parts)


def linear_regression(r: dict[str, Any], zh: bool) -> str:
    """R², coefficients."""
    values = r["values"]
    coefs = ", ".join(f"{k} {num(v, 4)}" for k, v in r["coefficients"].items() if k != "const")
    split = f"（测试集占 {r['test_size']}）" if zh and r.get("test_size") else ""
    if zh:
        return (
            f"以 {r['target']} 为因变量的线性回归{split}：R² = {num(values['r_squared'], 4)}，截距 "
            f"{num(values['intercept'], 4)}，系数：{coefs}（n = {num(r['n'])}）。"
        )
    where = f" on a {r['test_size']} test split" if r.get("test_size") else ""
    return (
        f"Linear regression of {r['target']}: R² = {num(values['r_squared'], 4)}{where}, "
        f"intercept {num(values['intercept'], 4)}, coefficients: {coefs} (n = {num(r['n'])})."
    )


def logistic_regression(r: dict[str, Any], zh: bool) -> str:
    """Accuracy and classes."""
    accuracy = float(r["values"]["accuracy"])
    where = (
        ("测试集" if r.get("test_size") else "训练数据")
        if zh
        else ("held-out test rows" if r.get("test_size") else "the rows it was fitted on")
    )
    classes = ", ".join(r["classes"][:10])
    if zh:
        return (
            f"逻辑回归预测 {r['target']}（类别：{classes}），在{where}上的准确率为 "
            f"{pct(accuracy * 100)}（n = "
            f"{num(r['n'])}）。"
        )
    return (
        f"A logistic regression predicting {r['target']} ({classes}) from "
        f"{', '.join(r['features'][:8])} reaches {pct(accuracy * 100)} accuracy on {where} "
        f"(n = {num(r['n'])})."
    )


def clustering(r: dict[str, Any], zh: bool) -> str:
    """k, sizes, silhouette."""
    values = r["values"]
    sizes = ", ".join(num(s) for s in r["sizes"])
    if zh:
        return (
            f"K-means 把 {num(r['rows'])} 行分成 {r['k']} 个簇，大小为 {sizes}，轮廓系数 "
            f"{num(values['silhouette'], 4)}。各簇均值见上表。"
        )
    return (
        f"K-means splits {num(r['rows'])} rows into {r['k']} clusters of sizes {sizes} "
        f"(silhouette {num(values['silhouette'], 4)}). The cluster profiles are above."
    )


def resample(r: dict[str, Any], zh: bool) -> str:
    """Periods, highest and lowest period."""
    v = r["values"]
    if zh:
        return (
            f"{r['value']} 的{r['freq']}度{r['agg']}共 {v['periods']} 期；最高为 "
            f"{v['max_period']}（{num(v['max'])}），最低为 {v['min_period']}（{num(v['min'])}）。"
        )
    return (
        f"{r['value']} per {r['freq']} ({r['agg']}) over {v['periods']} periods: highest in "
        f"{v['max_period']} ({num(v['max'])}), lowest in {v['min_period']} ({num(v['min'])}); "
        f"first {num(v['first'])}, last {num(v['last'])}."
    )


def trend(r: dict[str, Any], zh: bool) -> str:
    """Direction, slope, change."""
    v = r["values"]
    slope = float(v["slope"])
    change = "" if v.get("percent_change") is None else f" ({num(v['percent_change'])}%)"
    if zh:
        direction = "上升" if slope > 0 else "下降"
        return (
            f"{r['value']} 从 {r['start']} 的 {num(v['first'])} 变为 {r['end']} 的 "
            f"{num(v['last'])}{change}，整体呈{direction}趋势，线性斜率为每期 {num(slope, 4)}。"
        )
    direction = "upward" if slope > 0 else "downward"
    return (
        f"{r['value']} went from {num(v['first'])} ({r['start']}) to {num(v['last'])} "
        f"({r['end']}){change}; the linear trend is {direction} at {num(slope, 4)} per {r['freq']}."
    )


def decompose(r: dict[str, Any], zh: bool) -> str:
    """Seasonal amplitude, peak and trough."""
    v = r["values"]
    if zh:
        return (
            f"季节性分解（周期 {r['period']}）：季节波动幅度 {num(v['seasonal_amplitude'])}，"
            f"季节高点在 {v['peak']}，低点在 "
            f"{v['trough']}；趋势变化 {num(v['trend_change'])}。"
        )
    return (
        f"Seasonal decomposition (period {r['period']}): the seasonal swing is "
        f"{num(v['seasonal_amplitude'])}, peaking around {v['peak']} and lowest around "
        f"{v['trough']}; the trend changed by {num(v['trend_change'])}."
    )


def forecast(r: dict[str, Any], zh: bool) -> str:
    """Next value and the horizon's end."""
    v = r["values"]
    periods = list(r["forecast"])
    kind = "Holt-Winters (trend + seasonality)" if r.get("seasonal") else "Holt's linear trend"
    if zh:
        return (
            f"用指数平滑预测 {r['value']} 未来 {r['horizon']} 期：下一期 {periods[0]} 约为 "
            f"{num(v['next'])}，第 "
            f"{r['horizon']} 期 {periods[-1]} 约为 {num(v['last'])}。"
        )
    return (
        f"{kind} forecast of {r['value']} for the next {r['horizon']} periods: "
        f"{num(v['next'])} for {periods[0]}, reaching {num(v['last'])} by {periods[-1]}."
    )
