"""Regression task type: linear, polynomial or logistic (statsmodels), on a seeded sample."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from chatdata.analysis import models
from chatdata.analysis.result import AnalysisResult
from chatdata.errors import BadRequest
from chatdata.tasks.context import TaskContext
from chatdata.tasks.families.common import (
    Alpha,
    ColumnName,
    MaxRows,
    MissingPolicy,
    Seed,
    run_analysis,
)
from chatdata.tasks.registry import TaskParams, TaskResult, TaskType, register


class _RegressionBase(TaskParams):
    target: ColumnName
    alpha: Alpha = 0.05
    max_rows: MaxRows = 200_000
    seed: Seed = 0
    missing: MissingPolicy = "drop"


class LinearParams(_RegressionBase):
    """Ordinary least squares of `target` on `features`."""

    model: Literal["linear"]
    features: list[ColumnName] = Field(min_length=1, max_length=200)

    def referenced_columns(self) -> list[str]:
        """Target and features."""
        return [self.target, *self.features]


class PolynomialParams(_RegressionBase):
    """Polynomial of one `feature` up to `degree`."""

    model: Literal["polynomial"]
    feature: ColumnName
    degree: int = Field(default=2, ge=1, le=10)

    def referenced_columns(self) -> list[str]:
        """Target and the feature."""
        return [self.target, self.feature]


class LogisticParams(_RegressionBase):
    """Logistic regression of a binary `target` (`positive` names the positive class)."""

    model: Literal["logistic"]
    features: list[ColumnName] = Field(min_length=1, max_length=200)
    positive: str | None = None

    def referenced_columns(self) -> list[str]:
        """Target and features."""
        return [self.target, *self.features]


RegressionParams = Annotated[
    LinearParams | PolynomialParams | LogisticParams, Field(discriminator="model")
]


def _fit(lf: object, p: TaskParams) -> AnalysisResult:
    if isinstance(p, LinearParams):
        return models.linear_regression(
            lf,
            p.target,
            p.features,
            alpha=p.alpha,
            max_rows=p.max_rows,
            seed=p.seed,
            missing=p.missing,
        )
    if isinstance(p, PolynomialParams):
        return models.polynomial_regression(
            lf,
            p.target,
            p.feature,
            p.degree,
            alpha=p.alpha,
            max_rows=p.max_rows,
            seed=p.seed,
            missing=p.missing,
        )
    if isinstance(p, LogisticParams):
        return models.logistic_regression(
            lf,
            p.target,
            p.features,
            positive=p.positive,
            alpha=p.alpha,
            max_rows=p.max_rows,
            seed=p.seed,
            missing=p.missing,
        )
    raise BadRequest(f"Unsupported regression parameters: {type(p).__name__}")  # pragma: no cover


def run_regression(ctx: TaskContext, params: TaskParams) -> TaskResult:
    """Fit the chosen regression model and return coefficients, fit statistics and charts."""
    return run_analysis(ctx, "the regression", lambda lf: _fit(lf, params))


register(
    TaskType(
        name="regression",
        description="Linear, polynomial or logistic regression (statsmodels) with "
        "coefficients, confidence intervals and fit statistics; fitted on a seeded sample "
        "of at most `max_rows` rows.",
        params=RegressionParams,
        run=run_regression,
    )
)
