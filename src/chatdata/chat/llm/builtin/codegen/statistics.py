"""Code for correlation and hypothesis tests (scipy.stats)."""

from __future__ import annotations

from chatdata.chat.llm.builtin.codegen.common import cell, load_frame, py
from chatdata.chat.llm.builtin.plan import Plan
from chatdata.chat.llm.builtin.schema import Schema

PAIR_TESTS = {"pearson": "pearsonr", "spearman": "spearmanr", "kendall": "kendalltau"}


def correlation_code(plan: Plan, schema: Schema) -> str:
    """Two columns (r and p), one column against the rest, or the matrix and top pairs."""
    method = str(plan.options.get("method") or "pearson")
    mode = str(plan.options.get("mode"))
    if mode == "pair":
        return _pair(plan, schema, method)
    numeric = [c.name for c in schema.numeric()]
    if mode == "with":
        return _with_column(plan, schema, method, numeric)
    columns = plan.columns if len(plan.columns) > 2 else numeric
    top = plan.top_n or 5
    return cell(
        load_frame(schema, columns, plan.filters),
        f"""
# {method.title()} correlation matrix and the most strongly correlated pairs
corr = data[{py(columns)}].corr(method="{method}")
px.imshow(corr, text_auto=".2f", zmin=-1, zmax=1, color_continuous_scale="RdBu_r",
          title="{method.title()} correlation").show()
upper = corr.where(np.triu(np.ones(corr.shape, dtype=bool), k=1))
pairs = upper.stack().dropna().rename("r").rename_axis(["column_1", "column_2"]).reset_index()
pairs = pairs.reindex(pairs["r"].abs().sort_values(ascending=False).index)
display(pairs.head({top}))
""",
        f"""
best = pairs.iloc[0]
result = {{
    "intent": "correlation",
    "mode": "{mode}",
    "method": "{method}",
    "pairs": json.loads(pairs.head({top}).to_json(orient="records", double_precision=15)),
    "values": {{"r": float(best["r"]), "column_1": best["column_1"], "column_2": best["column_2"]}},
}}
""",
    )


def _pair(plan: Plan, schema: Schema, method: str) -> str:
    x, y = plan.columns[:2]
    return cell(
        load_frame(schema, [x, y], plan.filters),
        f"""
from scipy import stats

# {method.title()} correlation between {x} and {y} (rows where both are present)
pair = data[[{py(x)}, {py(y)}]].dropna()
r, p_value = stats.{PAIR_TESTS[method]}(pair[{py(x)}], pair[{py(y)}])
print(f"r = {{r:.4f}}, p = {{p_value:.3g}}, n = {{len(pair):,}}")
px.scatter(pair, x={py(x)}, y={py(y)}, title="{y} vs {x} (r = {{:.2f}})".format(r)).show()
""",
        f"""
result = {{
    "intent": "correlation",
    "mode": "pair",
    "method": "{method}",
    "columns": {py([x, y])},
    "n": int(len(pair)),
    "values": {{"r": float(r), "p_value": float(p_value)}},
}}
""",
    )


def _with_column(plan: Plan, schema: Schema, method: str, numeric: list[str]) -> str:
    target = plan.columns[0]
    return cell(
        load_frame(schema, numeric, plan.filters),
        f"""
# {method.title()} correlation of every numeric column with {target}, strongest first
corr = data[{py(numeric)}].corr(method="{method}")[{py(target)}].drop({py(target)})
corr = corr.reindex(corr.abs().sort_values(ascending=False).index)
display(corr.rename("r"))
px.bar(corr.rename("r").reset_index(), x="index", y="r",
       title="Correlation with {target}").show()
""",
        f"""
result = {{
    "intent": "correlation",
    "mode": "with",
    "method": "{method}",
    "target": {py(target)},
    "correlations": {{name: float(r) for name, r in corr.items()}},
    "values": {{"r": float(corr.iloc[0]), "column": corr.index[0],
               **{{name: float(r) for name, r in corr.items()}}}},
}}
""",
    )


def ttest_code(plan: Plan, schema: Schema) -> str:
    """Two-sample t-test (Student, or Welch on request), or paired over two columns."""
    alpha = float(plan.options.get("alpha") or 0.05)
    if plan.options.get("paired") or plan.options.get("two_columns") or plan.group is None:
        return _two_column_ttest(plan, schema, alpha)
    value, group = plan.columns[0], plan.group
    levels = list(plan.options.get("levels") or [])
    welch = bool(plan.options.get("welch"))
    pick = (
        f"levels = {py(levels[:2])}"
        if len(levels) >= 2
        else "# the two largest groups\n"
        f"levels = data[{py(group)}].value_counts().index[:2].tolist()"
    )
    return cell(
        load_frame(schema, [value, group], plan.filters),
        f"""
from scipy import stats

{pick}
a = data.loc[data[{py(group)}] == levels[0], {py(value)}].dropna()
b = data.loc[data[{py(group)}] == levels[1], {py(value)}].dropna()
# {"Welch's" if welch else "Student's"} two-sample t-test
t_stat, p_value = stats.ttest_ind(a, b, equal_var={not welch})
summary = pd.DataFrame({{"mean": [a.mean(), b.mean()], "n": [len(a), len(b)]}}, index=levels)
display(summary)
px.box(data[data[{py(group)}].isin(levels)], x={py(group)}, y={py(value)},
       title="{value} by {group}").show()
""",
        f"""
result = {{
    "intent": "ttest",
    "value": {py(value)},
    "group": {py(group)},
    "levels": [str(level) for level in levels],
    "welch": {welch},
    "alpha": {alpha},
    "means": {{str(level): float(m) for level, m in zip(levels, [a.mean(), b.mean()])}},
    "values": {{"t_statistic": float(t_stat), "p_value": float(p_value),
               "significant": bool(p_value < {alpha}),
               **{{f"mean_{{level}}": float(m)
                  for level, m in zip(levels, [a.mean(), b.mean()])}}}},
}}
""",
    )


def _two_column_ttest(plan: Plan, schema: Schema, alpha: float) -> str:
    if len(plan.columns) < 2:
        return _one_sample_ttest(plan, schema, alpha)
    x, y = plan.columns[:2]
    paired = bool(plan.options.get("paired"))
    test = (
        f"pair = data[[{py(x)}, {py(y)}]].dropna()\n"
        f"t_stat, p_value = stats.ttest_rel(pair[{py(x)}], pair[{py(y)}])  # paired t-test"
        if paired
        else f"t_stat, p_value = stats.ttest_ind(data[{py(x)}].dropna(), data[{py(y)}].dropna())"
    )
    return cell(
        load_frame(schema, [x, y], plan.filters),
        f"""
from scipy import stats

{test}
display(data[[{py(x)}, {py(y)}]].describe().T)
""",
        f"""
result = {{
    "intent": "ttest",
    "columns": {py([x, y])},
    "paired": {paired},
    "alpha": {alpha},
    "means": {{{py(x)}: float(data[{py(x)}].mean()), {py(y)}: float(data[{py(y)}].mean())}},
    "values": {{"t_statistic": float(t_stat), "p_value": float(p_value),
               "significant": bool(p_value < {alpha})}},
}}
""",
    )


def _one_sample_ttest(plan: Plan, schema: Schema, alpha: float) -> str:
    name = plan.columns[0]
    mu = float(plan.options.get("mu") or 0.0)
    return cell(
        load_frame(schema, [name], plan.filters),
        f"""
from scipy import stats

values = data[{py(name)}].dropna()
# One-sample t-test against {mu}
t_stat, p_value = stats.ttest_1samp(values, {mu})
print(f"mean = {{values.mean():.4f}}, t = {{t_stat:.4f}}, p = {{p_value:.3g}}")
""",
        f"""
result = {{
    "intent": "ttest",
    "columns": [{py(name)}],
    "mu": {mu},
    "alpha": {alpha},
    "means": {{{py(name)}: float(values.mean())}},
    "values": {{"t_statistic": float(t_stat), "p_value": float(p_value),
               "significant": bool(p_value < {alpha})}},
}}
""",
    )


def anova_code(plan: Plan, schema: Schema) -> str:
    """One-way ANOVA of a numeric column across the groups of another."""
    value, group = plan.columns[0], plan.group or ""
    alpha = float(plan.options.get("alpha") or 0.05)
    return cell(
        load_frame(schema, [value, group], plan.filters),
        f"""
from scipy import stats

# One-way ANOVA: does the mean {value} differ between {group} groups?
samples = [values.dropna() for _, values in data.groupby({py(group)})[{py(value)}]]
f_stat, p_value = stats.f_oneway(*samples)
means = data.groupby({py(group)})[{py(value)}].agg(["mean", "count"])
display(means)
px.box(data, x={py(group)}, y={py(value)}, title="{value} by {group}").show()
""",
        f"""
result = {{
    "intent": "anova",
    "value": {py(value)},
    "group": {py(group)},
    "alpha": {alpha},
    "groups": int(len(samples)),
    "means": {{str(k): float(v) for k, v in means["mean"].items()}},
    "values": {{"f_statistic": float(f_stat), "p_value": float(p_value),
               "significant": bool(p_value < {alpha})}},
}}
""",
    )


def chi_square_code(plan: Plan, schema: Schema) -> str:
    """Chi-square test of independence between two categorical columns."""
    first, second = plan.columns[:2]
    alpha = float(plan.options.get("alpha") or 0.05)
    return cell(
        load_frame(schema, [first, second], plan.filters),
        f"""
from scipy import stats

# Chi-square test of independence between {first} and {second}
table = pd.crosstab(data[{py(first)}], data[{py(second)}])
display(table)
chi2, p_value, dof, expected = stats.chi2_contingency(table)
print(f"chi2 = {{chi2:.4f}}, dof = {{dof}}, p = {{p_value:.3g}}")
""",
        f"""
result = {{
    "intent": "chi_square",
    "columns": {py([first, second])},
    "alpha": {alpha},
    "values": {{"chi2": float(chi2), "p_value": float(p_value), "dof": int(dof),
               "significant": bool(p_value < {alpha})}},
}}
""",
    )


def normality_code(plan: Plan, schema: Schema) -> str:
    """Shapiro-Wilk (D'Agostino above 5,000 values, or Kolmogorov-Smirnov on request)."""
    columns = plan.columns
    alpha = float(plan.options.get("alpha") or 0.05)
    method = str(plan.options.get("method") or "shapiro")
    tests = {
        "shapiro": (
            "stats.shapiro(values) if len(values) <= 5000 else stats.normaltest(values)",
            '"Shapiro-Wilk" if len(values) <= 5000 else "D\'Agostino-Pearson"',
        ),
        "normaltest": ("stats.normaltest(values)", '"D\'Agostino-Pearson"'),
        "ks": (
            'stats.kstest((values - values.mean()) / values.std(), "norm")',
            '"Kolmogorov-Smirnov"',
        ),
    }
    call, label = tests[method]
    return cell(
        load_frame(schema, columns, plan.filters),
        f"""
from scipy import stats

rows = []
for name in {py(columns)}:
    values = data[name].dropna()
    statistic, p_value = {call}
    rows.append({{"column": name, "test": {label}, "statistic": float(statistic),
                 "p_value": float(p_value), "normal": bool(p_value > {alpha}),
                 "skewness": float(values.skew())}})
tests = pd.DataFrame(rows).set_index("column")
display(tests)
px.histogram(data, x={py(columns[0])}, nbins=30, title="Distribution of {columns[0]}").show()
""",
        f"""
first = tests.iloc[0]
result = {{
    "intent": "normality",
    "alpha": {alpha},
    "tests": tests.reset_index().to_dict("records"),
    "values": {{"statistic": float(first["statistic"]), "p_value": float(first["p_value"]),
               "normal": bool(first["normal"])}},
}}
""",
    )
