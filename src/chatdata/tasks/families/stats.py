"""Statistics task types: `describe`, `correlation` and `hypothesis_test` (incl. the A/B test)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from chatdata.analysis import stats
from chatdata.analysis.result import AnalysisResult
from chatdata.errors import BadRequest
from chatdata.tasks.context import TaskContext
from chatdata.tasks.families.common import (
    Alpha,
    Alternative,
    ColumnName,
    MaxRows,
    Seed,
    columns_of,
    run_analysis,
)
from chatdata.tasks.registry import TaskParams, TaskResult, TaskType, register


class DescribeParams(TaskParams):
    """Descriptive statistics of some or all columns."""

    columns: list[ColumnName] | None = Field(default=None, description="All columns if omitted.")
    bins: int = Field(default=30, ge=2, le=200, description="Histogram bins.")

    def referenced_columns(self) -> list[str]:
        """The described columns."""
        return columns_of(self.columns)


class CorrelationParams(TaskParams):
    """A correlation matrix of numeric columns."""

    columns: list[ColumnName] | None = Field(default=None, min_length=2)
    method: Literal["pearson", "spearman", "kendall"] = "pearson"
    max_rows: MaxRows | None = None
    seed: Seed = 0

    def referenced_columns(self) -> list[str]:
        """The correlated columns."""
        return columns_of(self.columns)


class TTestParams(TaskParams):
    """t-test: one sample (`column` vs `popmean`), two groups (`value` by `group`), or paired."""

    test: Literal["ttest"]
    kind: Literal["one_sample", "two_sample", "paired"] = "two_sample"
    column: ColumnName | None = None
    popmean: float = 0.0
    value: ColumnName | None = None
    group: ColumnName | None = None
    groups: list[str] | None = Field(default=None, min_length=2, max_length=2)
    equal_var: bool = False
    before: ColumnName | None = None
    after: ColumnName | None = None
    alternative: Alternative = "two-sided"
    alpha: Alpha = 0.05

    @model_validator(mode="after")
    def _fields_of_kind(self) -> TTestParams:
        needed = {"one_sample": ("column",), "two_sample": ("value", "group")}
        missing = [f for f in needed.get(self.kind, ("before", "after")) if not getattr(self, f)]
        if missing:
            raise ValueError(f"a {self.kind} t-test needs {', '.join(missing)}")
        return self

    def referenced_columns(self) -> list[str]:
        """The tested columns."""
        return columns_of(self.column, self.value, self.group, self.before, self.after)


class GroupTestParams(TaskParams):
    """Tests comparing a numeric `value` across the levels of `group`."""

    value: ColumnName
    group: ColumnName
    alpha: Alpha = 0.05

    def referenced_columns(self) -> list[str]:
        """The value and group columns."""
        return [self.value, self.group]


class MannWhitneyParams(GroupTestParams):
    """Mann-Whitney U between two groups."""

    test: Literal["mann_whitney"]
    groups: list[str] | None = Field(default=None, min_length=2, max_length=2)
    alternative: Alternative = "two-sided"
    max_rows: MaxRows = 500_000
    seed: Seed = 0


class AnovaParams(GroupTestParams):
    """One-way ANOVA across groups."""

    test: Literal["anova"]
    groups: list[str] | None = Field(default=None, min_length=2)


class KruskalParams(GroupTestParams):
    """Kruskal-Wallis H across groups."""

    test: Literal["kruskal"]
    groups: list[str] | None = Field(default=None, min_length=2)
    max_rows: MaxRows = 500_000
    seed: Seed = 0


class ChiSquareParams(TaskParams):
    """Chi-square test of independence of two categorical columns."""

    test: Literal["chi_square"]
    row: ColumnName
    column: ColumnName
    alpha: Alpha = 0.05
    correction: bool = False

    def referenced_columns(self) -> list[str]:
        """The two categorical columns."""
        return [self.row, self.column]


class NormalityParams(TaskParams):
    """Normality tests of one numeric column."""

    test: Literal["normality"]
    column: ColumnName
    alpha: Alpha = 0.05
    max_rows: MaxRows = 500_000
    seed: Seed = 0

    def referenced_columns(self) -> list[str]:
        """The tested column."""
        return [self.column]


class ABTestParams(TaskParams):
    """A/B test of `metric` between the `control` and `treatment` levels of `group`."""

    test: Literal["ab_test"]
    group: ColumnName
    metric: ColumnName
    control: str
    treatment: str
    kind: Literal["auto", "conversion", "mean"] = "auto"
    alpha: Alpha = 0.05

    def referenced_columns(self) -> list[str]:
        """The group and metric columns."""
        return [self.group, self.metric]


HypothesisTestParams = Annotated[
    TTestParams
    | MannWhitneyParams
    | AnovaParams
    | KruskalParams
    | ChiSquareParams
    | NormalityParams
    | ABTestParams,
    Field(discriminator="test"),
]


def run_describe(ctx: TaskContext, params: DescribeParams) -> TaskResult:
    """Descriptive statistics over the full data (streaming aggregates)."""
    return run_analysis(
        ctx,
        "descriptive statistics",
        lambda lf: stats.describe(lf, columns=params.columns, bins=params.bins),
    )


def run_correlation(ctx: TaskContext, params: CorrelationParams) -> TaskResult:
    """Correlation matrix (a seeded sample above `max_rows`)."""
    return run_analysis(
        ctx,
        "correlations",
        lambda lf: stats.correlation(
            lf,
            columns=params.columns,
            method=params.method,
            max_rows=params.max_rows,
            seed=params.seed,
        ),
    )


def _ttest(lf: object, p: TTestParams) -> AnalysisResult:
    if p.kind == "one_sample" and p.column:
        return stats.one_sample_ttest(
            lf, column=p.column, popmean=p.popmean, alternative=p.alternative, alpha=p.alpha
        )
    if p.kind == "two_sample" and p.value and p.group:
        return stats.two_sample_ttest(
            lf,
            value=p.value,
            group=p.group,
            groups=p.groups,
            equal_var=p.equal_var,
            alternative=p.alternative,
            alpha=p.alpha,
        )
    if p.before and p.after:
        return stats.paired_ttest(
            lf, before=p.before, after=p.after, alternative=p.alternative, alpha=p.alpha
        )
    raise BadRequest("The t-test parameters are incomplete.")  # pragma: no cover - validated


def _hypothesis(lf: object, p: TaskParams) -> AnalysisResult:
    if isinstance(p, TTestParams):
        return _ttest(lf, p)
    if isinstance(p, MannWhitneyParams):
        return stats.mann_whitney(
            lf,
            value=p.value,
            group=p.group,
            groups=p.groups,
            alternative=p.alternative,
            alpha=p.alpha,
            max_rows=p.max_rows,
            seed=p.seed,
        )
    if isinstance(p, AnovaParams):
        return stats.one_way_anova(lf, value=p.value, group=p.group, groups=p.groups, alpha=p.alpha)
    if isinstance(p, KruskalParams):
        return stats.kruskal_wallis(
            lf,
            value=p.value,
            group=p.group,
            groups=p.groups,
            alpha=p.alpha,
            max_rows=p.max_rows,
            seed=p.seed,
        )
    if isinstance(p, ChiSquareParams):
        return stats.chi_square(
            lf, row=p.row, column=p.column, alpha=p.alpha, correction=p.correction
        )
    if isinstance(p, NormalityParams):
        return stats.normality(lf, column=p.column, alpha=p.alpha, max_rows=p.max_rows, seed=p.seed)
    if isinstance(p, ABTestParams):
        return stats.ab_test(
            lf,
            group=p.group,
            metric=p.metric,
            control=p.control,
            treatment=p.treatment,
            kind=p.kind,
            alpha=p.alpha,
        )
    raise BadRequest(f"Unsupported test parameters: {type(p).__name__}")  # pragma: no cover


def run_hypothesis_test(ctx: TaskContext, params: TaskParams) -> TaskResult:
    """One hypothesis test, chosen by `test`."""
    return run_analysis(ctx, "the test", lambda lf: _hypothesis(lf, params))


register(
    TaskType(
        name="describe",
        description="Descriptive statistics per column: counts, missing, mean, spread, "
        "quantiles, top values and histograms, computed over the full data.",
        params=DescribeParams,
        run=run_describe,
    )
)
register(
    TaskType(
        name="correlation",
        description="Pearson, Spearman or Kendall correlation matrix of numeric columns, "
        "with the strongest pairs.",
        params=CorrelationParams,
        run=run_correlation,
    )
)
register(
    TaskType(
        name="hypothesis_test",
        description="A hypothesis test chosen by `test`: ttest (one_sample, two_sample, "
        "paired), mann_whitney, anova, kruskal, chi_square, normality, or ab_test (effect "
        "size and confidence interval).",
        params=HypothesisTestParams,
        run=run_hypothesis_test,
    )
)
