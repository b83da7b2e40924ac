"""`cleaning_pipeline`: apply cleaning steps lazily and save the result as a new version.

The steps stream from the current version's Parquet file to a new one (Polars lazy,
`sink_parquet`), then `create_version` stores it with the steps as lineage. The version's
idempotency key is derived from the task id, so a retried task never makes a second one.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import anyio
import polars as pl
from pydantic import Field, field_validator
from sqlalchemy import select

from chatdata.analysis.cleaning import parse_steps, run_cleaning_pipeline
from chatdata.datasets.models import Dataset, DatasetVersion
from chatdata.datasets.versions import NewVersion, create_version
from chatdata.errors import AppError, NotFound
from chatdata.tasks.context import TaskContext, VersionRef
from chatdata.tasks.executor import resolve_version
from chatdata.tasks.families.common import Seed, with_version
from chatdata.tasks.registry import TaskParams, TaskResult, TaskType, register

OPERATION = "cleaning"


class CleaningParams(TaskParams):
    """The steps (`{"op": ..., ...}`), and the datasets a `join` step may name."""

    steps: list[dict[str, Any]] = Field(min_length=1, max_length=100)
    tables: dict[str, uuid.UUID] = Field(
        default_factory=dict, description="Name -> dataset id, for join steps' `right`."
    )
    seed: Seed = 0
    sample_rows: int = Field(default=200_000, ge=1_000, le=5_000_000)

    @field_validator("steps")
    @classmethod
    def _valid_steps(cls, steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
        try:
            parse_steps(steps)
        except AppError as exc:
            raise ValueError(exc.message) from exc
        return steps

    def referenced_datasets(self) -> list[uuid.UUID]:
        """Datasets joined by the steps."""
        return list(self.tables.values())


async def _tables(ctx: TaskContext, params: CleaningParams) -> dict[str, pl.LazyFrame]:
    tables = {}
    for name, dataset_id in params.tables.items():
        ref = await resolve_version(ctx.env, dataset_id)
        tables[name] = pl.scan_parquet(ref.path)
    return tables


async def _existing(ctx: TaskContext, key: str) -> DatasetVersion | None:
    async with ctx.env.sessions() as session:
        found: DatasetVersion | None = await session.scalar(
            select(DatasetVersion).where(DatasetVersion.idempotency_key == key)
        )
        return found


def _lineage(ctx: TaskContext, source: VersionRef, report: dict[str, Any]) -> dict[str, Any]:
    data = report["data"]
    return {
        "task_id": str(ctx.task_id),
        "parent_version": source.number,
        "steps": data["lineage"],
        "summary": report["summary"],
        "rows_before": data["rows_before"],
        "rows_after": data["rows_after"],
    }


async def _save(ctx: TaskContext, source: VersionRef, path: Path, report: dict[str, Any]) -> int:
    async with ctx.env.sessions() as session, session.begin():
        dataset = await session.get(Dataset, ctx.dataset_id)
        if dataset is None:
            raise NotFound("The dataset was deleted while it was being cleaned.")
        version = await create_version(
            session,
            ctx.env.store,
            dataset,
            NewVersion(
                parquet_path=path,
                operation=OPERATION,
                lineage=_lineage(ctx, source, report),
                created_by=ctx.user_id,
                parent_id=source.id,
                idempotency_key=ctx.idempotency_key(OPERATION),
            ),
        )
        return version.number


async def run_cleaning(ctx: TaskContext, params: CleaningParams) -> TaskResult:
    """Clean the current version into a new one; the result reports every step's effect."""
    key = ctx.idempotency_key(OPERATION)
    done = await _existing(ctx, key)
    if done is not None:  # a retry after the version was saved: report it, make nothing new
        lineage = done.lineage
        return {
            "kind": "cleaning_pipeline",
            "summary": lineage.get("summary", "Cleaning already applied."),
            "data": {"rows_after": done.row_count, "lineage": lineage.get("steps", [])},
            "dataset_version": lineage.get("parent_version"),
            "new_version": done.number,
        }
    source = ctx.require_version()
    tables = await _tables(ctx, params)
    ctx.progress(10, f"Applying {len(params.steps)} cleaning step(s)")
    ctx.check_cancelled()
    output = ctx.work_dir / "cleaned.parquet"
    report = await anyio.to_thread.run_sync(
        lambda: run_cleaning_pipeline(
            source.path,
            output,
            params.steps,
            tables=tables,
            seed=params.seed,
            sample_rows=params.sample_rows,
        )
    )
    ctx.check_cancelled()
    ctx.progress(80, "Saving the cleaned data as a new version")
    number = await _save(ctx, source, output, report)
    return {**with_version(ctx, report), "new_version": number}


register(
    TaskType(
        name="cleaning_pipeline",
        description="Apply cleaning steps (drop_missing, drop_columns, fill_missing, "
        "outliers, convert, deduplicate, normalize_strings, join) to the current version "
        "and save the result as a new dataset version with the steps as its lineage.",
        params=CleaningParams,
        run=run_cleaning,
        access="edit",
    )
)
