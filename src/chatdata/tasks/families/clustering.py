"""`clustering` task type: k-means (chosen or searched k) or DBSCAN, with silhouette."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from chatdata.analysis import models
from chatdata.analysis.result import AnalysisResult
from chatdata.tasks.context import TaskContext
from chatdata.tasks.families.common import ColumnName, MaxRows, MissingPolicy, Seed, run_analysis
from chatdata.tasks.registry import TaskParams, TaskResult, TaskType, register


class _ClusteringBase(TaskParams):
    features: list[ColumnName] = Field(min_length=1, max_length=100)
    scale: bool = True
    seed: Seed = 0
    missing: MissingPolicy = "drop"

    def referenced_columns(self) -> list[str]:
        """The clustered features."""
        return list(self.features)


class KMeansParams(_ClusteringBase):
    """k-means with a given `k`, or the best silhouette for k in [k_min, k_max]."""

    method: Literal["kmeans"]
    k: int | None = Field(default=None, ge=2, le=100)
    k_min: int = Field(default=2, ge=2, le=100)
    k_max: int = Field(default=8, ge=2, le=100)
    max_rows: MaxRows = 200_000

    @model_validator(mode="after")
    def _range(self) -> KMeansParams:
        if self.k_min > self.k_max:
            raise ValueError("k_min must not exceed k_max")
        return self


class DBSCANParams(_ClusteringBase):
    """DBSCAN; `eps` is estimated from the data when omitted."""

    method: Literal["dbscan"]
    eps: float | None = Field(default=None, gt=0)
    min_samples: int = Field(default=5, ge=1, le=10_000)
    max_rows: MaxRows = 20_000


ClusteringParams = Annotated[KMeansParams | DBSCANParams, Field(discriminator="method")]


def _cluster(lf: object, p: KMeansParams | DBSCANParams) -> AnalysisResult:
    if isinstance(p, KMeansParams):
        return models.kmeans(
            lf,
            p.features,
            p.k,
            k_range=(p.k_min, p.k_max),
            scale=p.scale,
            max_rows=p.max_rows,
            seed=p.seed,
            missing=p.missing,
        )
    return models.dbscan(
        lf,
        p.features,
        p.eps,
        min_samples=p.min_samples,
        scale=p.scale,
        max_rows=p.max_rows,
        seed=p.seed,
        missing=p.missing,
    )


def run_clustering(ctx: TaskContext, params: KMeansParams | DBSCANParams) -> TaskResult:
    """Cluster the rows (a seeded sample above `max_rows`) and describe the clusters."""
    return run_analysis(ctx, "clusters", lambda lf: _cluster(lf, params))


register(
    TaskType(
        name="clustering",
        description="k-means (given k, or the best silhouette over a range) or DBSCAN on "
        "numeric features, with cluster sizes, centres and silhouette.",
        params=ClusteringParams,
        run=run_clustering,
    )
)
