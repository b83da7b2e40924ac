"""Assemble one `ColumnProfile` from the passes, the sample, PII and semantic typing.

A PII column's sample values, top values and min/max are masked here, and its numeric
summaries (mean, std, quantiles, histogram) are left out, so no raw value of it ever
reaches the profile.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from chatdata.datasets.masking import mask_value
from chatdata.datasets.pii import MAX_SAMPLE_VALUES, PiiFinding, detect_pii
from chatdata.datasets.profile_distribution import ColumnDistribution
from chatdata.datasets.profile_duckdb import ColumnSpec
from chatdata.datasets.profile_models import ColumnProfile
from chatdata.datasets.profile_scan import ColumnScan
from chatdata.datasets.profile_semantic import SemanticEvidence, infer_semantic_type
from chatdata.datasets.profile_types import json_value

SAMPLE_VALUE_COUNT = 5
PII_CHECKED_TYPES = frozenset({"string", "integer", "float"})


@dataclass(frozen=True)
class ColumnInputs:
    """Everything computed for one column before assembly."""

    spec: ColumnSpec
    scan: ColumnScan
    distribution: ColumnDistribution


def build_column_profile(inputs: ColumnInputs, rows: int, sampled: pl.Series) -> ColumnProfile:
    """The finished, JSON-ready and PII-masked profile of one column."""
    spec, scan, dist = inputs.spec, inputs.scan, inputs.distribution
    values = _spread_values(sampled, MAX_SAMPLE_VALUES)
    pii = detect_pii(spec.name, values) if spec.logical in PII_CHECKED_TYPES else None
    distinct = dist.counted_distinct if dist.counted_distinct is not None else scan.distinct
    null_count = rows - scan.non_null
    profile = ColumnProfile(
        name=spec.name,
        position=spec.position,
        dtype=str(spec.dtype),
        logical_type=spec.logical,
        semantic_type=_semantic_type(inputs, distinct, values, pii),
        nullable=null_count > 0,
        null_count=null_count,
        null_share=null_count / rows if rows else 0.0,
        distinct_count=distinct,
        min=json_value(scan.minimum),
        max=json_value(scan.maximum),
        mean=scan.mean,
        std=scan.std,
        quantiles=dist.quantiles,
        histogram=dist.histogram,
        top_values=[{"value": json_value(v), "count": n} for v, n in dist.top_values],
        sample_values=[json_value(value) for value in _first_distinct(values)],
        pii=pii,
    )
    return _masked(profile, scan, dist, values, pii) if pii else profile


def _semantic_type(
    inputs: ColumnInputs, distinct: int | None, values: list[object], pii: PiiFinding | None
) -> str | None:
    scan = inputs.scan
    evidence = SemanticEvidence(
        name=inputs.spec.name,
        logical=inputs.spec.logical,
        non_null=scan.non_null,
        distinct=distinct,
        minimum=scan.minimum,
        maximum=scan.maximum,
        avg_bytes=_average_bytes(scan),
        sample=values,
        pii_kind=pii.kind if pii else None,
    )
    return infer_semantic_type(evidence)


def _average_bytes(scan: ColumnScan) -> float | None:
    if scan.string_bytes is None or scan.non_null == 0:
        return None
    return scan.string_bytes / scan.non_null


def _spread_values(sampled: pl.Series, limit: int) -> list[object]:
    """Up to `limit` non-null (and finite) sampled values, spread over the sample."""
    values = sampled.drop_nulls()
    if values.dtype.is_float():
        values = values.filter(values.is_finite())
    if values.len() > limit:
        values = values.gather_every(values.len() // limit).head(limit)
    return values.to_list()


def _first_distinct(values: list[object]) -> list[object]:
    seen: list[object] = []
    for value in values:
        if value not in seen:
            seen.append(value)
            if len(seen) == SAMPLE_VALUE_COUNT:
                break
    return seen


def _masked(
    profile: ColumnProfile,
    scan: ColumnScan,
    dist: ColumnDistribution,
    values: list[object],
    pii: PiiFinding,
) -> ColumnProfile:
    """Mask every value-bearing field of a PII column."""

    def mask(value: object) -> object:
        return None if value is None else mask_value(value, pii.kind)

    profile.min, profile.max = mask(scan.minimum), mask(scan.maximum)
    profile.mean = profile.std = None
    profile.quantiles = profile.histogram = None
    profile.top_values = [{"value": mask(v), "count": n} for v, n in dist.top_values]
    profile.sample_values = [mask(value) for value in _first_distinct(values)]
    return profile
