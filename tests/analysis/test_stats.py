"""Statistics checked against scipy/numpy called directly and hand-computed tables."""

from __future__ import annotations

import json
import math

import numpy as np
import polars as pl
import pytest
from scipy import stats as sps

from chatdata.analysis import stats
from chatdata.errors import BadRequest


def column(frame: pl.DataFrame, name: str, group: str | None = None) -> np.ndarray:
    rows = frame if group is None else frame.filter(pl.col("group") == group)
    return rows.get_column(name).to_numpy()


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_one_sample_ttest_matches_scipy(groups_frame: pl.DataFrame, alternative: str) -> None:
    result = stats.one_sample_ttest(groups_frame, "value", popmean=11.0, alternative=alternative)
    expected = sps.ttest_1samp(column(groups_frame, "value"), 11.0, alternative=alternative)
    assert result.data["t"] == pytest.approx(expected.statistic, rel=1e-10)
    assert result.data["p_value"] == pytest.approx(expected.pvalue, rel=1e-9)
    if alternative == "two-sided":
        assert result.data["ci"] == pytest.approx(
            list(expected.confidence_interval(0.95)), rel=1e-10
        )


@pytest.mark.parametrize("equal_var", [False, True])
def test_two_sample_ttest_matches_scipy(groups_frame: pl.DataFrame, equal_var: bool) -> None:
    result = stats.two_sample_ttest(
        groups_frame, "value", "group", groups=["a", "b"], equal_var=equal_var
    )
    a, b = column(groups_frame, "value", "a"), column(groups_frame, "value", "b")
    expected = sps.ttest_ind(a, b, equal_var=equal_var)
    assert result.data["t"] == pytest.approx(expected.statistic, rel=1e-10)
    assert result.data["p_value"] == pytest.approx(expected.pvalue, rel=1e-9)
    assert result.data["df"] == pytest.approx(expected.df, rel=1e-10)
    assert result.data["ci"] == pytest.approx(list(expected.confidence_interval(0.95)), rel=1e-9)
    pooled = math.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
    assert result.data["cohens_d"] == pytest.approx((a.mean() - b.mean()) / pooled, rel=1e-10)
    assert f"t = {expected.statistic:.3f}" in result.summary
    assert f"p = {expected.pvalue:.4g}" in result.summary
    assert result.summary.startswith("Student" if equal_var else "Welch")


def test_two_sample_ttest_needs_two_groups(groups_frame: pl.DataFrame) -> None:
    with pytest.raises(BadRequest, match="has 3 groups; name the two to compare"):
        stats.two_sample_ttest(groups_frame, "value", "group")


def test_paired_ttest_matches_scipy(groups_frame: pl.DataFrame) -> None:
    result = stats.paired_ttest(groups_frame, "value", "later")
    expected = sps.ttest_rel(column(groups_frame, "later"), column(groups_frame, "value"))
    assert result.data["t"] == pytest.approx(expected.statistic, rel=1e-10)
    assert result.data["p_value"] == pytest.approx(expected.pvalue, rel=1e-6)
    assert result.data["n"] == 120
    assert "significant at alpha = 0.05" in result.summary


def test_mann_whitney_matches_scipy(groups_frame: pl.DataFrame) -> None:
    result = stats.mann_whitney(groups_frame, "value", "group", groups=["a", "c"])
    a, c = column(groups_frame, "value", "a"), column(groups_frame, "value", "c")
    expected = sps.mannwhitneyu(a, c)
    assert result.data["u"] == expected.statistic
    assert result.data["p_value"] == pytest.approx(expected.pvalue, rel=1e-12)
    assert result.data["rank_biserial"] == pytest.approx(2 * expected.statistic / (40 * 40) - 1)
    assert result.sample_note is None


def test_rank_test_on_a_sample_says_so(groups_frame: pl.DataFrame) -> None:
    result = stats.mann_whitney(groups_frame, "value", "group", groups=["a", "b"], max_rows=50)
    assert result.sample_note == "computed on a random sample of 50 of 80 rows (seed 0)"
    assert sum(result.data["n"]) == 50


def test_kruskal_and_anova_match_scipy(groups_frame: pl.DataFrame) -> None:
    samples = [column(groups_frame, "value", g) for g in "abc"]
    kruskal = stats.kruskal_wallis(groups_frame, "value", "group")
    expected_h = sps.kruskal(*samples)
    assert kruskal.data["h"] == pytest.approx(expected_h.statistic, rel=1e-12)
    assert kruskal.data["p_value"] == pytest.approx(expected_h.pvalue, rel=1e-9)
    anova = stats.one_way_anova(groups_frame, "value", "group")
    expected_f = sps.f_oneway(*samples)
    assert anova.data["f"] == pytest.approx(expected_f.statistic, rel=1e-10)
    assert anova.data["p_value"] == pytest.approx(expected_f.pvalue, rel=1e-8)
    assert (anova.data["df_between"], anova.data["df_within"]) == (2, 117)
    assert f"F(2, 117) = {expected_f.statistic:.3f}" in anova.summary


def test_chi_square_against_hand_computed_expected_table() -> None:
    observed = {("m", "yes"): 30, ("m", "no"): 10, ("f", "yes"): 20, ("f", "no"): 40}
    rows = [(s, a) for (s, a), n in observed.items() for _ in range(n)]
    frame = pl.DataFrame({"sex": [r[0] for r in rows], "answer": [r[1] for r in rows]})
    result = stats.chi_square(frame, "sex", "answer")
    # sorted labels: rows f, m; columns no, yes. Totals: f 60, m 40; no 50, yes 50; n 100.
    expected = [[60 * 50 / 100, 60 * 50 / 100], [40 * 50 / 100, 40 * 50 / 100]]
    assert result.data["observed"] == [[40, 20], [10, 30]]
    assert result.data["expected"] == expected
    chi2 = sum((o - e) ** 2 / e for o, e in zip([40, 20, 10, 30], [30, 30, 20, 20], strict=True))
    assert result.data["chi2"] == pytest.approx(chi2)
    assert result.data["dof"] == 1
    assert result.data["p_value"] == pytest.approx(sps.chi2.sf(chi2, 1))
    assert result.data["cramers_v"] == pytest.approx(math.sqrt(chi2 / 100))
    assert f"chi² = {chi2:.3f}" in result.summary


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
def test_correlation_matrix_matches_numpy_and_scipy(rng: np.random.Generator, method: str) -> None:
    x = rng.normal(size=200)
    frame = pl.DataFrame({"x": x, "y": 2 * x + rng.normal(size=200), "z": rng.normal(size=200)})
    result = stats.correlation(frame, method=method)
    values = frame.to_numpy()
    if method == "pearson":
        expected = np.corrcoef(values, rowvar=False)
    elif method == "spearman":
        expected = sps.spearmanr(values).statistic
    else:
        expected = np.array(
            [
                [sps.kendalltau(values[:, i], values[:, j]).statistic for j in range(3)]
                for i in range(3)
            ]
        )
    assert np.asarray(result.data["matrix"]) == pytest.approx(expected, rel=1e-10)
    strongest = result.data["pairs"][0]
    assert (strongest["a"], strongest["b"]) == ("x", "y")
    assert f"r = {expected[0, 1]:.3f}" in result.summary
    assert result.figures[0]["data"][0]["type"] == "heatmap"


def test_correlation_drops_incomplete_rows_listwise() -> None:
    frame = pl.DataFrame({"a": [1.0, 2.0, 3.0, None, 5.0], "b": [2.0, 4.1, 5.9, 8.0, None]})
    result = stats.correlation(frame)
    expected = np.corrcoef([1.0, 2.0, 3.0], [2.0, 4.1, 5.9])[0, 1]
    assert result.data["n"] == 3 and result.data["matrix"][0][1] == pytest.approx(expected)


def test_normality_uses_at_most_5000_values_for_shapiro(rng: np.random.Generator) -> None:
    frame = pl.DataFrame({"x": rng.normal(size=6000)})
    result = stats.normality(frame, "x")
    assert result.data["shapiro_n"] == 5000 and result.data["n"] == 6000
    assert result.data["k2_p"] == pytest.approx(
        sps.normaltest(frame.get_column("x").to_numpy()).pvalue
    )
    assert (
        result.sample_note
        == "Shapiro-Wilk computed on a random sample of 5,000 of 6,000 rows (seed 0)"
    )
    values = rng.exponential(size=300)
    skewed = stats.normality(pl.DataFrame({"x": values}), "x")
    expected = sps.shapiro(values)
    assert skewed.data["shapiro_w"] == pytest.approx(expected.statistic)
    assert skewed.data["shapiro_p"] == pytest.approx(expected.pvalue)
    assert skewed.data["normal"] is False and "does not look normal" in skewed.summary
    assert f"W = {expected.statistic:.4f}" in skewed.summary


def test_ab_test_conversion_against_hand_computation() -> None:
    control = [1] * 100 + [0] * 900
    treatment = [1] * 130 + [0] * 870
    frame = pl.DataFrame({"variant": ["A"] * 1000 + ["B"] * 1000, "converted": control + treatment})
    result = stats.ab_test(frame, "variant", "converted", control="A", treatment="B")
    p_c, p_t, pooled = 0.10, 0.13, 0.115
    z = (p_t - p_c) / math.sqrt(pooled * (1 - pooled) * (2 / 1000))
    se = math.sqrt(p_c * (1 - p_c) / 1000 + p_t * (1 - p_t) / 1000)
    data = result.data
    assert data["kind"] == "conversion" and data["rates"] == [0.10, 0.13]
    assert data["z"] == pytest.approx(z)
    assert data["p_value"] == pytest.approx(2 * sps.norm.sf(z))
    assert data["ci"] == pytest.approx([0.03 - 1.959964 * se, 0.03 + 1.959964 * se], rel=1e-6)
    assert data["relative_lift"] == pytest.approx(0.3)
    assert data["cohens_h"] == pytest.approx(
        2 * math.asin(math.sqrt(0.13)) - 2 * math.asin(math.sqrt(0.10))
    )
    assert data["significant"] is True
    assert "13.00% (130/1000)" in result.summary and "relative lift 30.00%" in result.summary
    assert result.summary.endswith("treatment is significantly higher at alpha = 0.05.")


def test_ab_test_on_means_uses_welch_and_cohens_d(groups_frame: pl.DataFrame) -> None:
    result = stats.ab_test(groups_frame, "group", "value", control="a", treatment="c")
    a, c = column(groups_frame, "value", "a"), column(groups_frame, "value", "c")
    expected = sps.ttest_ind(c, a, equal_var=False)
    assert result.data["kind"] == "mean"
    assert result.data["p_value"] == pytest.approx(expected.pvalue, rel=1e-9)
    assert result.data["ci"] == pytest.approx(list(expected.confidence_interval(0.95)), rel=1e-9)
    assert result.data["relative_lift"] == pytest.approx((c.mean() - a.mean()) / a.mean())


def test_describe_matches_direct_computation(rng: np.random.Generator) -> None:
    x = rng.normal(5, 2, 500)
    frame = pl.DataFrame(
        {
            "x": np.where(np.arange(500) % 50 == 0, np.nan, x),
            "city": rng.choice(["paris", "lyon", "nice"], 500, p=[0.6, 0.3, 0.1]),
        }
    )
    frame = frame.with_columns(pl.col("x").fill_nan(None))
    result = stats.describe(frame)
    present = frame.get_column("x").drop_nulls().to_numpy()
    numeric = result.data["numeric"]["x"]
    assert numeric["missing"] == 10 and numeric["count"] == 490
    assert numeric["mean"] == pytest.approx(present.mean())
    assert numeric["std"] == pytest.approx(present.std(ddof=1))
    assert numeric["q25"] == pytest.approx(np.percentile(present, 25))
    top = result.data["other"]["city"]["top"][0]
    assert top == {"value": "paris", "count": int((frame.get_column("city") == "paris").sum())}
    histogram = result.figures[0]["data"][0]
    assert sum(histogram["y"]) == 490
    assert f"mean {present.mean():.4g}" in result.summary and result.summary.startswith(
        "500 rows, 2 columns"
    )
    json.dumps(result.to_dict())


def test_moment_tests_read_a_lazy_parquet_scan(tmp_path, groups_frame: pl.DataFrame) -> None:
    path = tmp_path / "g.parquet"
    groups_frame.write_parquet(path)
    lazy = stats.one_way_anova(pl.scan_parquet(path), "value", "group")
    eager = stats.one_way_anova(groups_frame.to_pandas(), "value", "group")
    assert lazy.data["f"] == pytest.approx(eager.data["f"], rel=1e-12)
