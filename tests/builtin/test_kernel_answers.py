"""Every intent end to end on real data: the analyst's code runs in a sandboxed kernel and
its numbers match pandas / scipy / statsmodels computed here independently."""
# ruff: noqa: RUF001 - Chinese questions

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from chatdata.chat.llm.builtin.text import is_chinese
from chatdata.evaluation.direct import PreparedTable
from chatdata.sandbox.manager import KernelManager
from tests.builtin.conftest import ask

TableOf = Callable[[str], PreparedTable]
FrameOf = Callable[[str], pd.DataFrame]
P, T, S, K = "penguins.csv", "tips.csv", "seattle_weather.csv", "stocks.csv"


def close(value: object, expected: float, tol: float = 1e-6) -> bool:
    return bool(np.isclose(float(value), expected, rtol=tol, atol=tol))  # type: ignore[arg-type]


async def test_overview_and_describe(
    kernels: KernelManager, table: TableOf, frame: FrameOf
) -> None:
    data = frame(P)
    answer = await ask(kernels, table(P), "Give me an overview of the data")
    assert answer.result["rows"] == 344 and answer.result["columns"] == 8
    assert answer.result["missing_cells"] == int(data.isna().sum().sum()) == 19
    assert "344 rows and 8 columns" in answer.reply.content
    answer = await ask(kernels, table(P), "describe body mass")
    assert close(answer.values["mean"], data["body_mass_g"].mean())
    assert close(answer.values["std"], data["body_mass_g"].std())
    assert close(answer.values["median"], data["body_mass_g"].median())


async def test_missing_report_fill_and_drop(
    kernels: KernelManager, table: TableOf, frame: FrameOf
) -> None:
    data = frame(P)
    answer = await ask(kernels, table(P), "How many missing values are in each column?")
    assert answer.result["per_column"] == {k: int(v) for k, v in data.isna().sum().items()}
    assert answer.result["rows_with_missing"] == int(data.isna().any(axis=1).sum()) == 11
    answer = await ask(kernels, table(P), "fill missing body mass with the median")
    assert answer.values["fill_value"] == data["body_mass_g"].median() == 4050
    assert answer.values["filled_count"] == 2
    [proposal] = answer.reply.proposals
    assert proposal["path"] == "/work/out/penguins_filled.parquet"
    assert proposal["title"] == "Fill missing values (median)"
    assert "body_mass_g: 2 values → 4,050" in proposal["description"]
    assert "proposed this as a new version" in answer.reply.content
    answer = await ask(kernels, table(P), "drop rows with missing values")
    assert answer.result["rows_after"] == len(data.dropna()) == 333
    assert [p["path"] for p in answer.reply.proposals] == ["/work/out/penguins_no_missing.parquet"]


async def test_duplicates_and_type_conversion(
    kernels: KernelManager, table: TableOf, frame: FrameOf
) -> None:
    answer = await ask(kernels, table(T), "remove duplicate rows")
    assert answer.values["duplicates"] == int(frame(T).duplicated().sum()) == 1
    assert answer.values["rows_after"] == 243
    assert answer.reply.proposals[0]["title"] == "Remove duplicate rows"
    dates = pd.to_datetime(frame(K)["date"], format="mixed")
    answer = await ask(kernels, table(K), "convert date to datetime")
    assert answer.result["failed"] == 0 and answer.result["from_dtype"] == "str"
    assert answer.result["min"] == str(dates.min().date()) == "2000-01-01"
    assert answer.reply.proposals[0]["title"] == "Convert date to datetime"


async def test_outliers_three_ways(kernels: KernelManager, table: TableOf, frame: FrameOf) -> None:
    bill = frame(T)["total_bill"]
    q1, q3 = bill.quantile(0.25), bill.quantile(0.75)
    iqr_count = int(((bill < q1 - 1.5 * (q3 - q1)) | (bill > q3 + 1.5 * (q3 - q1))).sum())
    answer = await ask(kernels, table(T), "outliers in total bill using IQR")
    assert answer.values["outliers"] == iqr_count == 9
    assert close(answer.values["upper"], q3 + 1.5 * (q3 - q1))
    z = (bill - bill.mean()) / bill.std(ddof=0)
    answer = await ask(kernels, table(T), "z-score outliers in total bill, threshold 2")
    assert answer.values["outliers"] == int((z.abs() > 2).sum())
    from sklearn.ensemble import IsolationForest

    features = frame(T)[["total_bill", "tip"]]
    flagged = int((IsolationForest(random_state=42).fit_predict(features) == -1).sum())
    answer = await ask(kernels, table(T), "isolation forest anomalies in total bill and tip")
    assert answer.values["outliers"] == flagged


async def test_counts_groupby_filters_percentages(
    kernels: KernelManager, table: TableOf, frame: FrameOf
) -> None:
    data = frame(T)
    answer = await ask(kernels, table(T), "how many unique days are there?")
    assert answer.values["unique"] == 4
    answer = await ask(kernels, table(T), "value counts of day")
    assert answer.values["value"] == "Sat" and answer.values["count"] == 87
    answer = await ask(kernels, table(T), "Which day has the highest average tip?")
    means = data.groupby("day")["tip"].mean()
    assert answer.values["group"] == means.idxmax() and close(answer.values["value"], means.max())
    answer = await ask(kernels, table(T), "top 2 days by sum of total bill")
    sums = data.groupby("day")["total_bill"].sum().sort_values(ascending=False)
    assert [row["day"] for row in answer.result["table"]] == list(sums.index[:2])
    answer = await ask(kernels, table(T), "average tip where total bill > 30 on Saturday")
    subset = data[(data["total_bill"] > 30) & (data["day"] == "Sat")]
    assert close(answer.values["mean_tip"], subset["tip"].mean()) and answer.result["rows"] == len(
        subset
    )
    answer = await ask(kernels, table(T), "show rows where size is at least 5")
    assert answer.values["count"] == int((data["size"] >= 5).sum())
    answer = await ask(kernels, table(T), "what percentage of parties are at dinner?")
    assert close(answer.values["percent"], (data["time"] == "Dinner").mean() * 100)
    answer = await ask(kernels, table(T), "ratio of total tip to total bill")
    assert close(answer.values["ratio"], data["tip"].sum() / data["total_bill"].sum())


async def test_correlation_and_charts(
    kernels: KernelManager, table: TableOf, frame: FrameOf
) -> None:
    data = frame(P)
    answer = await ask(kernels, table(P), "correlation between flipper length and body mass")
    r, p = stats.pearsonr(*data[["flipper_length_mm", "body_mass_g"]].dropna().T.to_numpy())
    assert close(answer.values["r"], r) and close(answer.values["p_value"], p, 1e-4)
    answer = await ask(kernels, table(P), "correlation heatmap")
    assert close(answer.values["r"], r)  # the strongest pair
    answer = await ask(kernels, table(P), "distribution of bill length")
    assert answer.result["kind"] == "histogram"
    assert close(answer.values["skewness"], data["bill_length_mm"].skew())
    plotly = [p for c in answer.reply.cells for p in c["outputs"] if p["type"] == "plotly"]
    assert plotly and plotly[0]["figure"]["data"][0]["type"] == "histogram"
    answer = await ask(kernels, table(P), "box plot of body mass by species")
    assert answer.result["kind"] == "box"
    medians = data.groupby("species")["body_mass_g"].median()
    assert answer.values == {
        f"median_{k}": v for k, v in medians.sort_values(ascending=False).items()
    }


async def test_hypothesis_tests(kernels: KernelManager, table: TableOf, frame: FrameOf) -> None:
    data = frame(T)
    answer = await ask(kernels, table(T), "t-test of tip between Lunch and Dinner")
    lunch, dinner = data.loc[data.time == "Lunch", "tip"], data.loc[data.time == "Dinner", "tip"]
    result = stats.ttest_ind(lunch, dinner)
    assert close(answer.values["t_statistic"], result.statistic)
    assert close(answer.values["p_value"], result.pvalue)
    answer = await ask(kernels, table(T), "ANOVA of total bill across days")
    f = stats.f_oneway(*[g for _, g in data.groupby("day")["total_bill"]])
    assert close(answer.values["f_statistic"], f.statistic)
    answer = await ask(kernels, table(T), "chi-square test between sex and smoker")
    chi2, _, dof, _ = stats.chi2_contingency(pd.crosstab(data["sex"], data["smoker"]))
    assert close(answer.values["chi2"], chi2) and answer.values["dof"] == dof == 1
    answer = await ask(kernels, table(T), "is the tip normally distributed?")
    assert close(answer.values["p_value"], stats.shapiro(data["tip"]).pvalue)
    assert answer.values["normal"] is False and "not normally distributed" in answer.reply.content


async def test_regressions_and_clustering(
    kernels: KernelManager, table: TableOf, frame: FrameOf
) -> None:
    import statsmodels.api as sm

    data = frame(P)
    answer = await ask(kernels, table(P), "linear regression of body mass on flipper length")
    rows = data[["body_mass_g", "flipper_length_mm"]].dropna()
    ols = sm.OLS(rows["body_mass_g"], sm.add_constant(rows["flipper_length_mm"])).fit()
    assert close(answer.values["r_squared"], ols.rsquared)
    assert close(answer.values["coef_flipper_length_mm"], ols.params["flipper_length_mm"])
    answer = await ask(kernels, table(P), "logistic regression predicting sex from body mass")
    assert answer.result["classes"] == ["female", "male"] and answer.result["n"] == 333
    assert 0.5 < answer.values["accuracy"] < 1
    answer = await ask(
        kernels, table(P), "k-means with 2 clusters on bill length and flipper length"
    )
    assert answer.values["k"] == 2 and sum(answer.result["sizes"]) == 342


async def test_time_series(kernels: KernelManager, table: TableOf, frame: FrameOf) -> None:
    weather = frame(S).assign(date=lambda d: pd.to_datetime(d["date"])).set_index("date")
    monthly = weather["temp_max"].resample("MS").mean()
    answer = await ask(kernels, table(S), "monthly average temp_max")
    assert answer.values["periods"] == 48 and answer.values["max_period"] == "2015-07-01"
    assert close(answer.values["max"], monthly.max())
    answer = await ask(kernels, table(S), "trend of temp_max over time")
    slope = np.polyfit(np.arange(48), monthly.to_numpy(), 1)[0]
    assert close(answer.values["slope"], slope)
    answer = await ask(kernels, table(S), "seasonal decomposition of temp_max")
    from statsmodels.tsa.seasonal import seasonal_decompose

    seasonal = seasonal_decompose(monthly, model="additive", period=12).seasonal
    assert close(answer.values["seasonal_amplitude"], seasonal.max() - seasonal.min())
    assert answer.values["peak_month"] == seasonal.idxmax().month
    answer = await ask(kernels, table(S), "forecast temp_max for the next 3 months")
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    model = ExponentialSmoothing(monthly, trend="add", seasonal="add", seasonal_periods=12)
    expected = model.fit().forecast(3)
    assert list(answer.result["forecast"]) == ["2016-01-01", "2016-02-01", "2016-03-01"]
    assert close(answer.values["next"], expected.iloc[0], 1e-4)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("小费的平均值是多少？", "tip 的平均值为 3"),
        ("按星期几统计小费总和", "按 day 分组的tip 的总和"),
    ],
)
async def test_chinese_answers(
    kernels: KernelManager, table: TableOf, question: str, expected: str
) -> None:
    answer = await ask(kernels, table(T), question)
    assert answer.reply.content.startswith(expected)
    assert len(answer.reply.suggestions) >= 1
    assert all(is_chinese(s) for s in answer.reply.suggestions)


async def test_figures_use_all_rows_when_df_is_a_sample(
    tmp_path_factory: pytest.TempPathFactory, frame: FrameOf
) -> None:
    """With `df` a 50-row sample, the generated code reads every row through lf/con."""
    from chatdata.evaluation.direct import prepare_table
    from chatdata.sandbox.limits import SandboxLimits
    from tests.builtin.conftest import TABLES

    work = tmp_path_factory.mktemp("sampled")
    sampled = prepare_table(TABLES / T, work, sample_rows=50)
    assert sampled.context.df_is_sample
    manager = KernelManager(runtime_dir=work / "kernels", limits=SandboxLimits(sample_rows=50))
    data = frame(T)
    try:
        answer = await ask(manager, sampled, "mean tip by day")
        means = data.groupby("day")["tip"].mean()
        assert {r["day"]: r["mean_tip"] for r in answer.result["table"]} == pytest.approx(
            means.to_dict()
        )
        answer = await ask(manager, sampled, "correlation between total bill and tip")
        assert close(answer.values["r"], data["total_bill"].corr(data["tip"]))
        code = answer.reply.cells[0]["code"]
        assert 'lf.select(["total_bill", "tip"]).collect().to_pandas()' in code
        answer = await ask(manager, sampled, "convert size to float")
        assert answer.result["non_null"] == 244
        answer = await ask(manager, sampled, "drop duplicate rows")
        assert answer.values["rows_after"] == 243
    finally:
        await manager.shutdown()
