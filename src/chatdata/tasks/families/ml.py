"""`train_model`: decision tree, random forest or gradient boosting (scikit-learn)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from chatdata.analysis import models
from chatdata.tasks.context import TaskContext
from chatdata.tasks.families.common import ColumnName, MaxRows, MissingPolicy, Seed, run_analysis
from chatdata.tasks.registry import TaskParams, TaskResult, TaskType, register


class TrainModelParams(TaskParams):
    """A supervised model of `target` from `features` with a train/test split."""

    target: ColumnName
    features: list[ColumnName] = Field(min_length=1, max_length=200)
    algorithm: Literal["decision_tree", "random_forest", "gradient_boosting"] = "random_forest"
    task: Literal["auto", "classification", "regression"] = "auto"
    test_size: float = Field(default=0.25, gt=0.0, lt=0.9)
    hyperparameters: dict[str, Any] | None = Field(
        default=None, description="Passed to the scikit-learn estimator (e.g. max_depth)."
    )
    max_rows: MaxRows = 200_000
    seed: Seed = 0
    missing: MissingPolicy = "drop"

    def referenced_columns(self) -> list[str]:
        """Target and features."""
        return [self.target, *self.features]


def run_train_model(ctx: TaskContext, params: TrainModelParams) -> TaskResult:
    """Train and evaluate the model; metrics on the held-out split and feature importance."""
    return run_analysis(
        ctx,
        f"a {params.algorithm.replace('_', ' ')} model",
        lambda lf: models.train_model(
            lf,
            params.target,
            params.features,
            params.algorithm,
            task=params.task,
            test_size=params.test_size,
            params=params.hyperparameters,
            max_rows=params.max_rows,
            seed=params.seed,
            missing=params.missing,
        ),
    )


register(
    TaskType(
        name="train_model",
        description="Classification or regression with a decision tree, random forest or "
        "gradient boosting: train/test split, metrics and feature importance; trained on a "
        "seeded sample of at most `max_rows` rows.",
        params=TrainModelParams,
        run=run_train_model,
    )
)
