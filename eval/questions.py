"""The evaluation questions and their label code (pandas / scipy / statsmodels / sklearn).

Conventions the labels follow (stated in each question's constraints where it matters):
standard deviations are sample (ddof=1); z-scores are population (ddof=0); IQR bounds use
pandas' linear quantiles; percentages of rows use all rows; t-tests are Student's unless
Welch is named; models use random_state=42; k-means standardises its inputs.
"""
# ruff: noqa: RUF001, E501 - Chinese questions; label one-liners read best unwrapped

from __future__ import annotations

import numpy as np
import pandas as pd
from items import Item, Label, fmt, rounded
from scipy import stats

QUESTIONS: list[Item] = []


def q(
    file_name: str,
    question: str,
    answer_format: str,
    concepts: list[str],
    label: Label,
    *,
    constraints: str = "",
    level: str = "medium",
) -> None:
    """Add one question (ids are given in order)."""
    QUESTIONS.append(
        Item(
            len(QUESTIONS) + 1,
            file_name,
            question,
            constraints,
            answer_format,
            concepts,
            level,
            label,
        )
    )


def r2(places: int = 2) -> str:
    """Shorthand for the rounding sentence."""
    return rounded(places)


# ---------------------------------------------------------------- shared label helpers


def iqr_outliers(values: pd.Series, k: float = 1.5) -> int:
    """Values outside [Q1 - k*IQR, Q3 + k*IQR]."""
    clean = values.dropna()
    q1, q3 = clean.quantile(0.25), clean.quantile(0.75)
    spread = q3 - q1
    return int(((clean < q1 - k * spread) | (clean > q3 + k * spread)).sum())


def z_outliers(values: pd.Series, threshold: float = 3.0) -> int:
    """Values with |population z-score| above `threshold`."""
    clean = values.dropna()
    z = (clean - clean.mean()) / clean.std(ddof=0)
    return int((z.abs() > threshold).sum())


def ols(frame: pd.DataFrame, target: str, features: list[str]) -> object:
    """statsmodels OLS with an intercept on complete rows."""
    import statsmodels.api as sm

    rows = frame[[target, *features]].dropna()
    return sm.OLS(rows[target], sm.add_constant(rows[features])).fit()


def logistic_accuracy(frame: pd.DataFrame, target: str, features: list[str]) -> float:
    """Training accuracy of a standardised logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rows = frame[[target, *features]].dropna()
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(rows[features], rows[target].astype(str))
    return float(model.score(rows[features], rows[target].astype(str)))


def kmeans(frame: pd.DataFrame, features: list[str], k: int) -> tuple[list[int], float]:
    """Cluster sizes (largest first) and silhouette of k-means on standardised features."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import StandardScaler

    matrix = StandardScaler().fit_transform(frame[features].dropna())
    labels = KMeans(n_clusters=k, n_init=10, random_state=42).fit_predict(matrix)
    sizes = sorted(np.bincount(labels).tolist(), reverse=True)
    return sizes, float(silhouette_score(matrix, labels))


def best_k(frame: pd.DataFrame, features: list[str]) -> int:
    """k in 2..8 with the highest silhouette."""
    scores = {k: kmeans(frame, features, k)[1] for k in range(2, 9)}
    return max(scores, key=lambda k: scores[k])


def monthly(frame: pd.DataFrame, column: str, how: str = "mean") -> pd.Series:
    """`column` per calendar month (month starts), from the `date` column."""
    series = frame.assign(date=pd.to_datetime(frame["date"])).set_index("date")[column]
    return getattr(series.resample("MS"), how)()


# ---------------------------------------------------------------- penguins.csv

P = "penguins.csv"
PENGUIN_FEATURES = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]

q(
    P,
    "Give me an overview of this dataset. How many rows and columns does it have?",
    "@rows[row_count] @columns[column_count] where both are integers.",
    ["overview"],
    lambda d: [["rows", fmt(len(d))], ["columns", fmt(d.shape[1])]],
    level="easy",
)
q(
    P,
    "描述一下 body_mass_g 这一列的统计信息。",
    f"@mean[mean_value] @std[std_value] where both are {r2()}.",
    ["describe"],
    lambda d: [["mean", fmt(d["body_mass_g"].mean())], ["std", fmt(d["body_mass_g"].std())]],
    constraints="std 为样本标准差（ddof=1），忽略缺失值。",
    level="easy",
)
q(
    P,
    "What is the average body mass of the penguins?",
    f"@mean_body_mass[value] where value is {r2()}.",
    ["aggregate"],
    lambda d: [["mean_body_mass", fmt(d["body_mass_g"].mean())]],
    constraints="Ignore missing values.",
    level="easy",
)
q(
    P,
    "企鹅的平均鳍长是多少？",
    f"@mean_flipper_length[value] where value is {r2()}.",
    ["aggregate"],
    lambda d: [["mean_flipper_length", fmt(d["flipper_length_mm"].mean())]],
    level="easy",
)
q(
    P,
    "Which species has the highest average flipper length, and what is that average?",
    f"@species[name] @mean_flipper_length[value] where name is a species and value is {r2()}.",
    ["groupby"],
    lambda d: [
        ["species", d.groupby("species")["flipper_length_mm"].mean().idxmax()],
        ["mean_flipper_length", fmt(d.groupby("species")["flipper_length_mm"].mean().max())],
    ],
)
q(
    P,
    "按岛屿统计企鹅数量，哪个岛屿的企鹅最多？",
    "@island[name] @count[n] where n is an integer.",
    ["groupby"],
    lambda d: [
        ["island", d["island"].value_counts().idxmax()],
        ["count", fmt(d["island"].value_counts().max())],
    ],
)
q(
    P,
    "How many missing values are there in the sex column?",
    "@missing_sex[n] where n is an integer.",
    ["missing_report"],
    lambda d: [["missing_sex", fmt(d["sex"].isna().sum())]],
    level="easy",
)
q(
    P,
    "Count the missing values in the whole dataset, and the number of rows that have at least one missing value.",
    "@total_missing[n] @rows_with_missing[m] where both are integers.",
    ["missing_report"],
    lambda d: [
        ["total_missing", fmt(d.isna().sum().sum())],
        ["rows_with_missing", fmt(d.isna().any(axis=1).sum())],
    ],
)
q(
    P,
    "Fill the missing values of body_mass_g with the median of the column. What value is used, and how many values are filled?",
    f"@fill_value[value] @filled_count[n] where value is {r2()} and n an integer.",
    ["missing_fill"],
    lambda d: [
        ["fill_value", fmt(d["body_mass_g"].median())],
        ["filled_count", fmt(d["body_mass_g"].isna().sum())],
    ],
)
q(
    P,
    "删除所有含缺失值的行后还剩多少行？",
    "@rows_after[n] where n is an integer.",
    ["missing_drop"],
    lambda d: [["rows_after", fmt(len(d.dropna()))]],
)
q(
    P,
    "Fill the missing values in sex with the most frequent value (the mode). Which value is used?",
    "@fill_value[value] where value is the text used.",
    ["missing_fill"],
    lambda d: [["fill_value", str(d["sex"].mode().iloc[0])]],
)
q(
    P,
    "How many unique species are there?",
    "@unique_species[n] where n is an integer.",
    ["unique"],
    lambda d: [["unique_species", fmt(d["species"].nunique())]],
    level="easy",
)
q(
    P,
    "Show the value counts of the sex column. How many female penguins are there?",
    "@female[n] where n is an integer.",
    ["value_counts"],
    lambda d: [["female", fmt((d["sex"] == "female").sum())]],
    level="easy",
)
q(
    P,
    "What percentage of the penguins are Adelie?",
    f"@percentage[value] where value is {r2()} (0-100).",
    ["percentage"],
    lambda d: [["percentage", fmt((d["species"] == "Adelie").mean() * 100)]],
    constraints="Use all rows as the denominator.",
)
q(
    P,
    "Gentoo 企鹅占全部企鹅的百分比是多少？",
    f"@percentage[value] where value is {r2()}.",
    ["percentage"],
    lambda d: [["percentage", fmt((d["species"] == "Gentoo").mean() * 100)]],
)
q(
    P,
    "How many penguins have a body mass greater than 5000 g?",
    "@count[n] where n is an integer.",
    ["filter"],
    lambda d: [["count", fmt((d["body_mass_g"] > 5000).sum())]],
    level="easy",
)
q(
    P,
    "What is the average bill length of penguins with a flipper length above 210 mm?",
    f"@mean_bill_length[value] where value is {r2()}.",
    ["filter", "aggregate"],
    lambda d: [
        ["mean_bill_length", fmt(d.loc[d["flipper_length_mm"] > 210, "bill_length_mm"].mean())]
    ],
)
q(
    P,
    "What is the Pearson correlation coefficient between flipper length and body mass?",
    f"@correlation[value] where value is {r2(4)}.",
    ["correlation"],
    lambda d: [["correlation", fmt(d["flipper_length_mm"].corr(d["body_mass_g"]), 4)]],
)
q(
    P,
    "嘴峰长度和嘴峰深度的相关系数是多少？",
    f"@r[value] where value is {r2()}.",
    ["correlation"],
    lambda d: [["r", fmt(d["bill_length_mm"].corr(d["bill_depth_mm"]))]],
)
q(
    P,
    "Is there a significant difference in body mass between male and female penguins?",
    f'@t_statistic[t] @p_value[p] @significant[answer] where t and p are {r2(4)}, and answer is "yes" or "no".',
    ["ttest"],
    lambda d: (
        lambda t: [
            ["t_statistic", fmt(t.statistic, 4)],
            ["p_value", fmt(t.pvalue, 4)],
            ["significant", "yes" if t.pvalue < 0.05 else "no"],
        ]
    )(
        stats.ttest_ind(
            d.loc[d["sex"] == "male", "body_mass_g"].dropna(),
            d.loc[d["sex"] == "female", "body_mass_g"].dropna(),
        )
    ),
    constraints="Use an independent two-sample t-test (male minus female) at alpha 0.05.",
)
q(
    P,
    "Does flipper length differ significantly across the three species? Run a one-way ANOVA.",
    f"@f_statistic[f] @p_value[p] where f is {r2()} and p is {r2(4)}.",
    ["anova"],
    lambda d: (lambda a: [["f_statistic", fmt(a.statistic)], ["p_value", fmt(a.pvalue, 4)]])(
        stats.f_oneway(*[g.dropna() for _, g in d.groupby("species")["flipper_length_mm"]])
    ),
)
q(
    P,
    "Is there an association between species and island? Use a chi-square test of independence.",
    f"@chi2[value] @p_value[p] @dof[n] where value is {r2()}, p is {r2(4)} and n an integer.",
    ["chi_square"],
    lambda d: (lambda c: [["chi2", fmt(c[0])], ["p_value", fmt(c[1], 4)], ["dof", fmt(c[2])]])(
        stats.chi2_contingency(pd.crosstab(d["species"], d["island"]))
    ),
)
q(
    P,
    "Is bill depth normally distributed? Use the Shapiro-Wilk test.",
    f'@p_value[p] @normality[status] where p is {r2(4)} and status is "normal" or "not normal".',
    ["normality"],
    lambda d: (
        lambda s: [
            ["p_value", fmt(s.pvalue, 4)],
            ["normality", "normal" if s.pvalue > 0.05 else "not normal"],
        ]
    )(stats.shapiro(d["bill_depth_mm"].dropna())),
    constraints="alpha = 0.05",
)
q(
    P,
    "Fit a linear regression predicting body mass from flipper length. What are the slope and the R-squared?",
    f"@slope[value] @r_squared[r2] where value is {r2()} and r2 is {r2(4)}.",
    ["linear_regression"],
    lambda d: (
        lambda m: [["slope", fmt(m.params["flipper_length_mm"])], ["r_squared", fmt(m.rsquared, 4)]]
    )(ols(d, "body_mass_g", ["flipper_length_mm"])),
)
q(
    P,
    "Train a logistic regression that predicts sex from bill length, bill depth, flipper length and body mass. What is its accuracy on the training data?",
    f"@accuracy[value] where value is {r2(4)}.",
    ["logistic_regression"],
    lambda d: [["accuracy", fmt(logistic_accuracy(d, "sex", PENGUIN_FEATURES), 4)]],
    constraints="Standardise the features; drop rows with missing values.",
    level="hard",
)
q(
    P,
    "Cluster the penguins into 3 groups with k-means on bill length, bill depth, flipper length and body mass. How big are the largest and the smallest cluster?",
    "@largest_cluster[n] @smallest_cluster[m] where both are integers.",
    ["clustering"],
    lambda d: (lambda s: [["largest_cluster", fmt(s[0][0])], ["smallest_cluster", fmt(s[0][-1])]])(
        kmeans(d, PENGUIN_FEATURES, 3)
    ),
    constraints="Standardise the features; KMeans(n_init=10, random_state=42).",
    level="hard",
)
q(
    P,
    "Plot a histogram of flipper length. What is its skewness?",
    f"@skewness[value] where value is {r2(4)}.",
    ["chart"],
    lambda d: [["skewness", fmt(d["flipper_length_mm"].skew(), 4)]],
    constraints="Sample skewness as pandas computes it.",
)
q(
    P,
    "把 year 列转换为字符串类型，有多少个值转换失败？",
    "@failed_conversions[n] where n is an integer.",
    ["convert"],
    lambda d: [["failed_conversions", "0"]],
    level="easy",
)
q(
    P,
    "Are there any duplicate rows in this data? How many?",
    "@duplicates[n] where n is an integer.",
    ["duplicates"],
    lambda d: [["duplicates", fmt(d.duplicated().sum())]],
    level="easy",
)
q(
    P,
    "island 列各取值的频数是多少？Dream 有多少只？",
    "@dream[n] where n is an integer.",
    ["value_counts"],
    lambda d: [["dream", fmt((d["island"] == "Dream").sum())]],
    level="easy",
)
q(
    P,
    "体重大于 4500 的企鹅有多少只？",
    "@count[n] where n is an integer.",
    ["filter"],
    lambda d: [["count", fmt((d["body_mass_g"] > 4500).sum())]],
    level="easy",
)

# ---------------------------------------------------------------- tips.csv

T = "tips.csv"
q(
    T,
    "What is the average tip?",
    f"@mean_tip[value] where value is {r2()}.",
    ["aggregate"],
    lambda d: [["mean_tip", fmt(d["tip"].mean())]],
    level="easy",
)
q(
    T,
    "What is the average tip on Sundays?",
    f"@mean_tip[value] where value is {r2()}.",
    ["aggregate", "filter"],
    lambda d: [["mean_tip", fmt(d.loc[d["day"] == "Sun", "tip"].mean())]],
)
q(
    T,
    "晚餐（Dinner）时段的总账单平均是多少？",
    f"@mean_total_bill[value] where value is {r2()}.",
    ["aggregate", "filter"],
    lambda d: [["mean_total_bill", fmt(d.loc[d["time"] == "Dinner", "total_bill"].mean())]],
)
q(
    T,
    "What is the total tip amount for each day? Which day has the highest total?",
    f"@day[name] @total_tip[value] where value is {r2()}.",
    ["groupby"],
    lambda d: [
        ["day", d.groupby("day")["tip"].sum().idxmax()],
        ["total_tip", fmt(d.groupby("day")["tip"].sum().max())],
    ],
)
q(
    T,
    "Which day of the week has the lowest average total bill?",
    "@day[name]",
    ["groupby"],
    lambda d: [["day", d.groupby("day")["total_bill"].mean().idxmin()]],
)
q(
    T,
    "What percentage of the parties are smokers?",
    f"@percentage[value] where value is {r2()}.",
    ["percentage"],
    lambda d: [["percentage", fmt((d["smoker"] == "Yes").mean() * 100)]],
)
q(
    T,
    "What is the ratio of the total tip to the total bill across all rows?",
    f"@ratio[value] where value is {r2(4)}.",
    ["percentage"],
    lambda d: [["ratio", fmt(d["tip"].sum() / d["total_bill"].sum(), 4)]],
)
q(
    T,
    "Do smokers tip differently from non-smokers? Run a t-test of tip between the smoker groups.",
    f"@p_value[p] where p is {r2(4)}.",
    ["ttest"],
    lambda d: [
        [
            "p_value",
            fmt(
                stats.ttest_ind(
                    d.loc[d["smoker"] == "Yes", "tip"], d.loc[d["smoker"] == "No", "tip"]
                ).pvalue,
                4,
            ),
        ]
    ],
)
q(
    T,
    "性别和是否吸烟之间有关联吗？请使用卡方检验。",
    f"@p_value[p] where p is {r2(4)}.",
    ["chi_square"],
    lambda d: [["p_value", fmt(stats.chi2_contingency(pd.crosstab(d["sex"], d["smoker"]))[1], 4)]],
)
q(
    T,
    "Does the tip amount differ across days? Use a one-way ANOVA.",
    f"@f_statistic[f] @p_value[p] where f is {r2()} and p is {r2(4)}.",
    ["anova"],
    lambda d: (lambda a: [["f_statistic", fmt(a.statistic)], ["p_value", fmt(a.pvalue, 4)]])(
        stats.f_oneway(*[g for _, g in d.groupby("day")["tip"]])
    ),
)
q(
    T,
    "How many duplicated rows are in the tips data?",
    "@duplicates[n] where n is an integer.",
    ["duplicates"],
    lambda d: [["duplicates", fmt(d.duplicated().sum())]],
    level="easy",
)
q(
    T,
    "删除重复行后还剩多少行？",
    "@rows_after[n] where n is an integer.",
    ["duplicates"],
    lambda d: [["rows_after", fmt(len(d.drop_duplicates()))]],
)
q(
    T,
    "How many parties of each size are there? What is the most common party size?",
    "@most_common_size[value] @count[n] where both are integers.",
    ["value_counts"],
    lambda d: [
        ["most_common_size", fmt(d["size"].value_counts().idxmax())],
        ["count", fmt(d["size"].value_counts().max())],
    ],
)
q(
    T,
    "What is the correlation between total bill and tip?",
    f"@r[value] where value is {r2()}.",
    ["correlation"],
    lambda d: [["r", fmt(d["total_bill"].corr(d["tip"]))]],
    level="easy",
)
q(
    T,
    "Regress tip on total_bill and size. What is the R-squared?",
    f"@r_squared[value] where value is {r2(4)}.",
    ["linear_regression"],
    lambda d: [["r_squared", fmt(ols(d, "tip", ["total_bill", "size"]).rsquared, 4)]],
)
q(
    T,
    "Draw a bar chart of the number of parties per day. How many parties are there on Saturday?",
    "@sat_count[n] where n is an integer.",
    ["chart", "groupby"],
    lambda d: [["sat_count", fmt((d["day"] == "Sat").sum())]],
    level="easy",
)
q(
    T,
    "Make a box plot of tip by time. What is the median tip at dinner?",
    f"@median_dinner[value] where value is {r2()}.",
    ["chart"],
    lambda d: [["median_dinner", fmt(d.loc[d["time"] == "Dinner", "tip"].median())]],
)
q(
    T,
    "小费是否服从正态分布？请用 Shapiro-Wilk 检验。",
    f"@p_value[p] where p is {r2(4)}.",
    ["normality"],
    lambda d: [["p_value", fmt(stats.shapiro(d["tip"]).pvalue, 4)]],
)
q(
    T,
    "How many outliers are in total_bill according to the IQR method?",
    "@outliers[n] where n is an integer.",
    ["outliers"],
    lambda d: [["outliers", fmt(iqr_outliers(d["total_bill"]))]],
    constraints="1.5 x IQR rule.",
)
q(
    T,
    "Using z-scores with a threshold of 3, how many outliers does tip have?",
    "@outliers[n] where n is an integer.",
    ["outliers"],
    lambda d: [["outliers", fmt(z_outliers(d["tip"]))]],
    constraints="Population standard deviation.",
)
q(
    T,
    "Does the tips data have any missing values? Report the total count.",
    "@missing[n] where n is an integer.",
    ["missing_report"],
    lambda d: [["missing", fmt(d.isna().sum().sum())]],
    level="easy",
)
q(
    T,
    "介绍一下这个数据集，有多少行多少列？",
    "@rows[n] @columns[m] where both are integers.",
    ["overview"],
    lambda d: [["rows", fmt(len(d))], ["columns", fmt(d.shape[1])]],
    level="easy",
)
q(
    T,
    "用 IQR 方法检测 total_bill 的异常值有多少个？",
    "@outliers[n] where n is an integer.",
    ["outliers"],
    lambda d: [["outliers", fmt(iqr_outliers(d["total_bill"]))]],
)
q(
    T,
    "吸烟者占比是多少？",
    f"@percentage[value] where value is {r2()}.",
    ["percentage"],
    lambda d: [["percentage", fmt((d["smoker"] == "Yes").mean() * 100)]],
)

# ---------------------------------------------------------------- iris.csv

IRIS = "iris.csv"
IRIS_FEATURES = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]
q(
    IRIS,
    "Give summary statistics for petal length.",
    f"@mean[value] @std[s] where both are {r2()}.",
    ["describe"],
    lambda d: [
        ["mean", fmt(d["petal length (cm)"].mean())],
        ["std", fmt(d["petal length (cm)"].std())],
    ],
    level="easy",
)
q(
    IRIS,
    "What is the mean sepal width for each species? Which species has the largest?",
    f"@species[name] @mean_sepal_width[value] where value is {r2()}.",
    ["groupby"],
    lambda d: [
        ["species", d.groupby("species")["sepal width (cm)"].mean().idxmax()],
        ["mean_sepal_width", fmt(d.groupby("species")["sepal width (cm)"].mean().max())],
    ],
)
q(
    IRIS,
    "Which two measurements are most strongly correlated? Show a correlation heatmap.",
    f"@r[value] where value is {r2(4)}.",
    ["correlation", "chart"],
    lambda d: [
        ["r", fmt(d[IRIS_FEATURES].corr().where(~np.eye(4, dtype=bool)).abs().max().max(), 4)]
    ],
)
q(
    IRIS,
    "用逻辑回归根据花萼长度、花萼宽度、花瓣长度和花瓣宽度预测 species，准确率是多少？",
    f"@accuracy[value] where value is {r2(4)}.",
    ["logistic_regression"],
    lambda d: [["accuracy", fmt(logistic_accuracy(d, "species", IRIS_FEATURES), 4)]],
    constraints="特征标准化；在全部数据上训练并计算准确率。",
    level="hard",
)
q(
    IRIS,
    "Run k-means with 3 clusters on the four measurements. What is the silhouette score?",
    f"@silhouette[value] where value is {r2(4)}.",
    ["clustering"],
    lambda d: [["silhouette", fmt(kmeans(d, IRIS_FEATURES, 3)[1], 4)]],
    constraints="Standardise the features; KMeans(n_init=10, random_state=42).",
    level="hard",
)
q(
    IRIS,
    "How many duplicate rows does the iris data contain?",
    "@duplicates[n] where n is an integer.",
    ["duplicates"],
    lambda d: [["duplicates", fmt(d.duplicated().sum())]],
    level="easy",
)
q(
    IRIS,
    "不同 species 的花瓣长度有显著差异吗？请用方差分析。",
    f"@f_statistic[f] where f is {r2()}.",
    ["anova"],
    lambda d: [
        [
            "f_statistic",
            fmt(
                stats.f_oneway(*[g for _, g in d.groupby("species")["petal length (cm)"]]).statistic
            ),
        ]
    ],
)
q(
    IRIS,
    "List the distinct species. How many are there?",
    "@count[n] where n is an integer.",
    ["unique"],
    lambda d: [["count", fmt(d["species"].nunique())]],
    level="easy",
)
q(
    IRIS,
    "How many flowers have a petal length greater than 5 cm?",
    "@count[n] where n is an integer.",
    ["filter"],
    lambda d: [["count", fmt((d["petal length (cm)"] > 5).sum())]],
    level="easy",
)
q(
    IRIS,
    "用 KMeans 把四个测量值聚成 3 类，最大的一类有多少个样本？",
    "@largest_cluster[n] where n is an integer.",
    ["clustering"],
    lambda d: [["largest_cluster", fmt(kmeans(d, IRIS_FEATURES, 3)[0][0])]],
    constraints="特征标准化，KMeans(n_init=10, random_state=42)。",
    level="hard",
)

# ---------------------------------------------------------------- wine.csv

W = "wine.csv"
q(
    W,
    "What is the maximum alcohol content?",
    f"@max_alcohol[value] where value is {r2()}.",
    ["aggregate"],
    lambda d: [["max_alcohol", fmt(d["alcohol"].max())]],
    level="easy",
)
q(
    W,
    "What is the average proline per class?",
    f"@mean_proline_class_0[a] @mean_proline_class_2[b] where both are {r2()}.",
    ["groupby"],
    lambda d: [
        ["mean_proline_class_0", fmt(d.groupby("class")["proline"].mean()[0])],
        ["mean_proline_class_2", fmt(d.groupby("class")["proline"].mean()[2])],
    ],
)
q(
    W,
    "Which feature is most correlated with alcohol?",
    f"@feature[name] @r[value] where value is {r2()}.",
    ["correlation"],
    lambda d: (lambda c: [["feature", c.abs().idxmax()], ["r", fmt(c[c.abs().idxmax()])]])(
        d.corr()["alcohol"].drop("alcohol")
    ),
)
q(
    W,
    "How many outliers are there in magnesium using the IQR rule?",
    "@outliers[n] where n is an integer.",
    ["outliers"],
    lambda d: [["outliers", fmt(iqr_outliers(d["magnesium"]))]],
    constraints="1.5 x IQR.",
)
q(
    W,
    "Use an Isolation Forest on alcohol, malic_acid, magnesium and proline. How many rows are flagged as anomalies?",
    "@anomalies[n] where n is an integer.",
    ["outliers"],
    lambda d: [
        ["anomalies", fmt(_isolation(d, ["alcohol", "malic_acid", "magnesium", "proline"]))]
    ],
    constraints="IsolationForest(random_state=42), default contamination.",
    level="hard",
)
q(
    W,
    "Test whether color intensity is normally distributed (Shapiro-Wilk).",
    f"@statistic[w] @p_value[p] where both are {r2(4)}.",
    ["normality"],
    lambda d: (lambda s: [["statistic", fmt(s.statistic, 4)], ["p_value", fmt(s.pvalue, 4)]])(
        stats.shapiro(d["color_intensity"])
    ),
)
q(
    W,
    "酒精含量（alcohol）的中位数是多少？",
    f"@median_alcohol[value] where value is {r2()}.",
    ["aggregate"],
    lambda d: [["median_alcohol", fmt(d["alcohol"].median())]],
    level="easy",
)
q(
    W,
    "Cluster the wines with k-means on alcohol, flavanoids and color intensity, choosing the number of clusters by silhouette score. How many clusters are chosen?",
    "@k[n] where n is an integer.",
    ["clustering"],
    lambda d: [["k", fmt(best_k(d, ["alcohol", "flavanoids", "color_intensity"]))]],
    constraints="Try k = 2..8; standardised features; KMeans(n_init=10, random_state=42).",
    level="hard",
)
q(
    W,
    "What percentage of wines have an alcohol content above 13?",
    f"@percentage[value] where value is {r2()}.",
    ["percentage"],
    lambda d: [["percentage", fmt((d["alcohol"] > 13).mean() * 100)]],
)


def _isolation(frame: pd.DataFrame, columns: list[str]) -> int:
    from sklearn.ensemble import IsolationForest

    rows = frame[columns].dropna()
    return int((IsolationForest(random_state=42).fit_predict(rows) == -1).sum())


# ---------------------------------------------------------------- diabetes.csv

D = "diabetes.csv"
q(
    D,
    "Fit an OLS regression of progression on bmi, bp and s5. Report the R-squared and the coefficient of bmi.",
    f"@r_squared[r2] @coef_bmi[value] where r2 is {r2(4)} and value is {r2()}.",
    ["linear_regression"],
    lambda d: (lambda m: [["r_squared", fmt(m.rsquared, 4)], ["coef_bmi", fmt(m.params["bmi"])]])(
        ols(d, "progression", ["bmi", "bp", "s5"])
    ),
)
q(
    D,
    "Predict progression from bmi and bp with a linear regression using a 20% test split. What is the test R-squared?",
    f"@r_squared[value] where value is {r2(4)}.",
    ["linear_regression"],
    lambda d: [["r_squared", fmt(_split_r2(d, "progression", ["bmi", "bp"]), 4)]],
    constraints="train_test_split(test_size=0.2, random_state=42).",
    level="hard",
)
q(
    D,
    "bmi 和 progression 之间的相关系数是多少？",
    f"@r[value] where value is {r2()}.",
    ["correlation"],
    lambda d: [["r", fmt(d["bmi"].corr(d["progression"]))]],
    level="easy",
)
q(
    D,
    "What is the mean progression by sex?",
    f"@mean_progression_sex_1[a] @mean_progression_sex_2[b] where both are {r2()}.",
    ["groupby"],
    lambda d: [
        ["mean_progression_sex_1", fmt(d.groupby("sex")["progression"].mean()[1.0])],
        ["mean_progression_sex_2", fmt(d.groupby("sex")["progression"].mean()[2.0])],
    ],
)
q(
    D,
    "Is progression significantly different between the two sex groups? Use a t-test.",
    f"@p_value[p] where p is {r2(4)}.",
    ["ttest"],
    lambda d: [
        [
            "p_value",
            fmt(
                stats.ttest_ind(
                    d.loc[d["sex"] == 1, "progression"], d.loc[d["sex"] == 2, "progression"]
                ).pvalue,
                4,
            ),
        ]
    ],
)
q(
    D,
    "Describe the age column.",
    f"@mean[value] @max[m] where both are {r2()}.",
    ["describe"],
    lambda d: [["mean", fmt(d["age"].mean())], ["max", fmt(d["age"].max())]],
    level="easy",
)
q(
    D,
    "How many bmi values are more than 3 standard deviations from the mean?",
    "@outliers[n] where n is an integer.",
    ["outliers"],
    lambda d: [["outliers", fmt(z_outliers(d["bmi"]))]],
    constraints="Population z-scores.",
)
q(
    D,
    "What is the standard deviation of blood pressure (bp)?",
    f"@std_bp[value] where value is {r2()}.",
    ["aggregate"],
    lambda d: [["std_bp", fmt(d["bp"].std())]],
    level="easy",
)
q(
    D,
    "How many patients are in each sex group?",
    "@sex_1_count[a] @sex_2_count[b] where both are integers.",
    ["groupby", "value_counts"],
    lambda d: [
        ["sex_1_count", fmt((d["sex"] == 1).sum())],
        ["sex_2_count", fmt((d["sex"] == 2).sum())],
    ],
    level="easy",
)


def _split_r2(frame: pd.DataFrame, target: str, features: list[str]) -> float:
    from sklearn.linear_model import LinearRegression
    from sklearn.metrics import r2_score
    from sklearn.model_selection import train_test_split

    rows = frame[[target, *features]].dropna()
    x_train, x_test, y_train, y_test = train_test_split(
        rows[features], rows[target], test_size=0.2, random_state=42
    )
    return float(r2_score(y_test, LinearRegression().fit(x_train, y_train).predict(x_test)))


# ---------------------------------------------------------------- gapminder.csv

G = "gapminder.csv"
q(
    G,
    "What was the average life expectancy in 2007?",
    f"@mean_life_expectancy[value] where value is {r2()}.",
    ["aggregate", "filter"],
    lambda d: [["mean_life_expectancy", fmt(d.loc[d["year"] == 2007, "lifeExp"].mean())]],
)
q(
    G,
    "2007年各大洲的平均预期寿命是多少？哪个洲最高？",
    f"@continent[name] @mean[value] where value is {r2()}.",
    ["groupby", "filter"],
    lambda d: (lambda s: [["continent", s.idxmax()], ["mean", fmt(s.max())]])(
        d[d["year"] == 2007].groupby("continent")["lifeExp"].mean()
    ),
)
q(
    G,
    "Which country had the largest population in 2007?",
    "@country[name]",
    ["groupby", "filter"],
    lambda d: [["country", d.loc[d["year"] == 2007].set_index("country")["pop"].idxmax()]],
)
q(
    G,
    "How many distinct countries are in the data?",
    "@countries[n] where n is an integer.",
    ["unique"],
    lambda d: [["countries", fmt(d["country"].nunique())]],
    level="easy",
)
q(
    G,
    "What share of the total population in 2007 does each continent have? Report Asia's share.",
    f"@asia_share[value] where value is a percentage (0-100) {r2()[2:]}.",
    ["percentage"],
    lambda d: (lambda s: [["asia_share", fmt(s["Asia"] / s.sum() * 100)]])(
        d[d["year"] == 2007].groupby("continent")["pop"].sum()
    ),
)
q(
    G,
    "What is the mean life expectancy per year? Which year has the highest?",
    "@year[value] where value is an integer.",
    ["groupby"],
    lambda d: [["year", fmt(d.groupby("year")["lifeExp"].mean().idxmax())]],
)
q(
    G,
    "What is the Spearman correlation between GDP per capita and life expectancy?",
    f"@r[value] where value is {r2(4)}.",
    ["correlation"],
    lambda d: [["r", fmt(d["gdpPercap"].corr(d["lifeExp"], method="spearman"), 4)]],
)
q(
    G,
    "In 1952, which continent had the lowest median GDP per capita?",
    "@continent[name]",
    ["groupby", "filter"],
    lambda d: [
        ["continent", d[d["year"] == 1952].groupby("continent")["gdpPercap"].median().idxmin()]
    ],
)

# ---------------------------------------------------------------- seattle_weather.csv

S = "seattle_weather.csv"
q(
    S,
    "What is the monthly average of temp_max? Which month has the highest average, and what is it?",
    f"@highest_month[date] @highest_value[value] where date is YYYY-MM-DD (month start) and value is {r2()}.",
    ["resample"],
    lambda d: (
        lambda m: [["highest_month", str(m.idxmax().date())], ["highest_value", fmt(m.max())]]
    )(monthly(d, "temp_max")),
)
q(
    S,
    "What is the trend of the maximum temperature over time?",
    f"@slope[value] where value is the slope of a linear fit to the monthly means, per month, {r2(4)}.",
    ["trend"],
    lambda d: [
        [
            "slope",
            fmt(
                float(
                    np.polyfit(
                        np.arange(len(m := monthly(d, "temp_max").dropna())), m.to_numpy(), 1
                    )[0]
                ),
                4,
            ),
        ]
    ],
)
q(
    S,
    "对 temp_max 做季节性分解（按月），季节波动幅度（季节分量最大值减最小值）是多少？",
    f"@seasonal_amplitude[value] where value is {r2()}.",
    ["decompose"],
    lambda d: [
        [
            "seasonal_amplitude",
            fmt(_seasonal(monthly(d, "temp_max"), 12).pipe(lambda s: s.max() - s.min())),
        ]
    ],
    constraints="加法模型，周期 12。",
    level="hard",
)
q(
    S,
    "Forecast the monthly average temp_max for the next 6 months with Holt-Winters exponential smoothing. What is the forecast for the first month?",
    f"@next_month[value] where value is {r2()}.",
    ["forecast"],
    lambda d: [["next_month", fmt(_holt_winters(monthly(d, "temp_max"), 12, 6).iloc[0])]],
    constraints="Additive trend and additive seasonality with period 12.",
    level="hard",
)
q(
    S,
    "What is the most frequent weather type?",
    "@weather[value]",
    ["value_counts"],
    lambda d: [["weather", d["weather"].value_counts().idxmax()]],
    level="easy",
)
q(
    S,
    "What was the total precipitation in 2015?",
    f"@total_precipitation[value] where value is {r2()}.",
    ["aggregate", "filter"],
    lambda d: [
        ["total_precipitation", fmt(d.loc[d["date"].str.startswith("2015"), "precipitation"].sum())]
    ],
)
q(
    S,
    "按周计算降水量总和，最多的是哪一周？",
    "@max_week[date] where date is the week's last day, YYYY-MM-DD.",
    ["resample"],
    lambda d: [
        [
            "max_week",
            str(
                d.assign(date=pd.to_datetime(d["date"]))
                .set_index("date")["precipitation"]
                .resample("W")
                .sum()
                .idxmax()
                .date()
            ),
        ]
    ],
)
q(
    S,
    "On what percentage of days did it rain (weather is rain)?",
    f"@percentage[value] where value is {r2()}.",
    ["percentage"],
    lambda d: [["percentage", fmt((d["weather"] == "rain").mean() * 100)]],
)
q(
    S,
    "What is the correlation between temp_max and temp_min?",
    f"@r[value] where value is {r2(4)}.",
    ["correlation"],
    lambda d: [["r", fmt(d["temp_max"].corr(d["temp_min"]), 4)]],
    level="easy",
)


def _seasonal(series: pd.Series, period: int) -> pd.Series:
    from statsmodels.tsa.seasonal import seasonal_decompose

    return seasonal_decompose(
        series.interpolate().dropna(), model="additive", period=period
    ).seasonal


def _holt_winters(series: pd.Series, period: int, horizon: int) -> pd.Series:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    history = series.interpolate().dropna()
    model = ExponentialSmoothing(history, trend="add", seasonal="add", seasonal_periods=period)
    return model.fit().forecast(horizon)


# ---------------------------------------------------------------- co2.csv

C = "co2.csv"
q(
    C,
    "How many co2 readings are missing?",
    "@missing[n] where n is an integer.",
    ["missing_report"],
    lambda d: [["missing", fmt(d["co2"].isna().sum())]],
    level="easy",
)
q(
    C,
    "Fill the missing co2 values by linear interpolation. How many values are filled?",
    "@filled[n] where n is an integer.",
    ["missing_fill"],
    lambda d: [["filled", fmt(d["co2"].isna().sum() - d["co2"].interpolate().isna().sum())]],
)
q(
    C,
    "What was the average co2 concentration in 1990?",
    f"@mean_co2[value] where value is {r2()}.",
    ["aggregate", "filter"],
    lambda d: [["mean_co2", fmt(d.loc[d["date"].str.startswith("1990"), "co2"].mean())]],
)
q(
    C,
    "Do a seasonal decomposition of the monthly co2 series. In which calendar month is the seasonal component highest?",
    "@peak_month[m] where m is the month number 1-12.",
    ["decompose"],
    lambda d: [["peak_month", fmt(_seasonal(monthly(d, "co2"), 12).idxmax().month)]],
    constraints="Monthly means; additive model with period 12.",
    level="hard",
)
q(
    C,
    "用指数平滑预测未来12个月的月均 co2，第12个月的预测值是多少？",
    f"@forecast_12[value] where value is {r2()}.",
    ["forecast"],
    lambda d: [["forecast_12", fmt(_holt_winters(monthly(d, "co2"), 12, 12).iloc[-1])]],
    constraints="Holt-Winters：加法趋势、加法季节性，周期 12。",
    level="hard",
)
q(
    C,
    "How has co2 changed over time? Give the linear trend slope per month.",
    f"@slope[value] where value is {r2(4)}.",
    ["trend"],
    lambda d: [
        [
            "slope",
            fmt(
                float(
                    np.polyfit(np.arange(len(m := monthly(d, "co2").dropna())), m.to_numpy(), 1)[0]
                ),
                4,
            ),
        ]
    ],
)

# ---------------------------------------------------------------- stocks.csv (dates are text)

K = "stocks.csv"
q(
    K,
    "Convert the date column to datetime. What is the earliest date?",
    "@earliest_date[date] where date is YYYY-MM-DD.",
    ["convert"],
    lambda d: [["earliest_date", str(pd.to_datetime(d["date"], format="mixed").min().date())]],
)
q(
    K,
    "每个 symbol 的平均价格是多少？哪个最高？",
    f"@symbol[name] @mean_price[value] where value is {r2()}.",
    ["groupby"],
    lambda d: (lambda s: [["symbol", s.idxmax()], ["mean_price", fmt(s.max())]])(
        d.groupby("symbol")["price"].mean()
    ),
)
q(
    K,
    "How many different stock symbols are there?",
    "@symbols[n] where n is an integer.",
    ["unique"],
    lambda d: [["symbols", fmt(d["symbol"].nunique())]],
    level="easy",
)
q(
    K,
    "What is the highest price of AAPL?",
    f"@max_price[value] where value is {r2()}.",
    ["aggregate", "filter"],
    lambda d: [["max_price", fmt(d.loc[d["symbol"] == "AAPL", "price"].max())]],
)


# ---------------------------------------------------------------- more wording per intent

q(
    P,
    "Drop the rows where sex is missing. How many rows remain?",
    "@rows_remaining[n] where n is an integer.",
    ["missing_drop"],
    lambda d: [["rows_remaining", fmt(len(d.dropna(subset=["sex"])))]],
)
q(
    C,
    "去掉 co2 缺失的行，还剩多少行？",
    "@rows_after[n] where n is an integer.",
    ["missing_drop"],
    lambda d: [["rows_after", fmt(int(d["co2"].notna().sum()))]],
)
q(
    T,
    "Cast the size column to float. How many values fail to convert?",
    "@failed[n] where n is an integer.",
    ["convert"],
    lambda d: [["failed", "0"]],
    level="easy",
)
q(
    K,
    "把 date 列转成日期类型，最晚的日期是哪天？",
    "@latest_date[date] where date is YYYY-MM-DD.",
    ["convert"],
    lambda d: [["latest_date", str(pd.to_datetime(d["date"], format="mixed").max().date())]],
)
q(
    T,
    "Are day and time independent? Run a chi-squared test.",
    f"@chi2[value] @p_value[p] where value is {r2()} and p is {r2(4)}.",
    ["chi_square"],
    lambda d: (lambda c: [["chi2", fmt(c[0])], ["p_value", fmt(c[1], 4)]])(
        stats.chi2_contingency(pd.crosstab(d["day"], d["time"]))
    ),
)
q(
    S,
    "Decompose the monthly precipitation totals into trend and seasonality. How large is the seasonal swing?",
    f"@seasonal_amplitude[value] where value is {r2()}.",
    ["decompose"],
    lambda d: [
        [
            "seasonal_amplitude",
            fmt(
                _seasonal(monthly(d, "precipitation", "sum"), 12).pipe(lambda s: s.max() - s.min())
            ),
        ]
    ],
    constraints="Monthly sums; additive model with period 12.",
    level="hard",
)
q(
    C,
    "Project monthly average co2 3 months ahead. What is the forecast for the third month?",
    f"@forecast_3[value] where value is {r2()}.",
    ["forecast"],
    lambda d: [["forecast_3", fmt(_holt_winters(monthly(d, "co2"), 12, 3).iloc[-1])]],
    constraints="Holt-Winters with additive trend and additive seasonality, period 12.",
    level="hard",
)
q(
    S,
    "How did the minimum temperature evolve over time? Report the slope of the monthly trend.",
    f"@slope[value] where value is {r2(4)}.",
    ["trend"],
    lambda d: [
        [
            "slope",
            fmt(
                float(
                    np.polyfit(
                        np.arange(len(m := monthly(d, "temp_min").dropna())), m.to_numpy(), 1
                    )[0]
                ),
                4,
            ),
        ]
    ],
)
q(
    S,
    "Resample wind to yearly means. Which year was the windiest?",
    "@max_year[date] where date is YYYY-01-01.",
    ["resample"],
    lambda d: [
        [
            "max_year",
            str(
                d.assign(date=pd.to_datetime(d["date"]))
                .set_index("date")["wind"]
                .resample("YS")
                .mean()
                .idxmax()
                .date()
            ),
        ]
    ],
)
q(
    C,
    "What was the highest quarterly average co2, and in which quarter?",
    f"@max_quarter[date] @max_value[v] where date is YYYY-MM-DD and v is {r2()}.",
    ["resample"],
    lambda d: (lambda s: [["max_quarter", str(s.idxmax().date())], ["max_value", fmt(s.max())]])(
        d.assign(date=pd.to_datetime(d["date"])).set_index("date")["co2"].resample("QS").mean()
    ),
)
q(
    W,
    "Give me a quick overview of the wine data: rows and columns?",
    "@rows[n] @columns[m] where both are integers.",
    ["overview"],
    lambda d: [["rows", fmt(len(d))], ["columns", fmt(d.shape[1])]],
    level="easy",
)
q(
    T,
    "Fit a logistic regression predicting smoker from total_bill, tip and size. Training accuracy?",
    f"@accuracy[value] where value is {r2(4)}.",
    ["logistic_regression"],
    lambda d: [["accuracy", fmt(logistic_accuracy(d, "smoker", ["total_bill", "tip", "size"]), 4)]],
    constraints="Standardise the features.",
    level="hard",
)
q(
    T,
    "Calculate the mean and standard deviation of the tip amount.",
    f"@mean_tip[a] @std_tip[b] where both are {r2()}.",
    ["aggregate"],
    lambda d: [["mean_tip", fmt(d["tip"].mean())], ["std_tip", fmt(d["tip"].std())]],
    level="easy",
)
q(
    T,
    "Identify the day with the highest number of customers served.",
    "@day[name]",
    ["groupby"],
    lambda d: [["day", d["day"].value_counts().idxmax()]],
    constraints="Count rows per day.",
)
q(
    W,
    "What is the mean color intensity for wines of class 1?",
    f"@mean_color_intensity[v] where v is {r2()}.",
    ["aggregate", "filter"],
    lambda d: [["mean_color_intensity", fmt(d.loc[d["class"] == 1, "color_intensity"].mean())]],
)
q(
    D,
    "What is the average BMI of patients older than 60?",
    f"@mean_bmi[v] where v is {r2()}.",
    ["aggregate", "filter"],
    lambda d: [["mean_bmi", fmt(d.loc[d["age"] > 60, "bmi"].mean())]],
)
q(
    T,
    "午餐和晚餐的小费有显著差异吗？用 t 检验。",
    "@p_value[p] 保留4位小数",
    ["ttest"],
    lambda d: [
        [
            "p_value",
            fmt(
                stats.ttest_ind(
                    d.loc[d["time"] == "Lunch", "tip"], d.loc[d["time"] == "Dinner", "tip"]
                ).pvalue,
                4,
            ),
        ]
    ],
)
q(
    G,
    "What was the total world population in 1952?",
    f"@total_population[v] where v is {r2()}.",
    ["aggregate", "filter"],
    lambda d: [["total_population", fmt(d.loc[d["year"] == 1952, "pop"].sum())]],
)
q(
    D,
    "Which feature is most strongly correlated with progression?",
    "@feature[name]",
    ["correlation"],
    lambda d: [["feature", d.corr()["progression"].drop("progression").abs().idxmax()]],
)
q(
    P,
    "What's the heaviest penguin's body mass?",
    "@max_mass[v]",
    ["aggregate"],
    lambda d: [["max_mass", fmt(d["body_mass_g"].max())]],
    level="easy",
)
q(
    G,
    "How many distinct countries are in Africa?",
    "@n[v] where v is an integer.",
    ["unique", "filter"],
    lambda d: [["n", fmt(d.loc[d["continent"] == "Africa", "country"].nunique())]],
)
q(
    IRIS,
    "versicolor 的平均花瓣宽度是多少？",
    f"@mean[v] where v is {r2()}.",
    ["aggregate", "filter"],
    lambda d: [["mean", fmt(d.loc[d["species"] == "versicolor", "petal width (cm)"].mean())]],
)
