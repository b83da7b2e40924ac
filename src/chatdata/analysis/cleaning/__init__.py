"""Cleaning operations as lazy Polars steps, a pipeline runner, and join helpers.

Steps are dicts (`{"op": "fill_missing", "column": "x", "strategy": "median"}`); see
`specs.py` for the vocabulary. `apply_pipeline` builds a lazy query, `clean_frame` runs it on
a small frame, `run_cleaning_pipeline` streams one Parquet file into another.
"""

from chatdata.analysis.cleaning.join import join_tables, suggest_join_keys
from chatdata.analysis.cleaning.pipeline import (
    StepReport,
    apply_pipeline,
    clean_frame,
    run_cleaning_pipeline,
)
from chatdata.analysis.cleaning.reports import outlier_report, suggest_missing_strategies
from chatdata.analysis.cleaning.specs import STEP_MODELS, parse_steps

__all__ = [
    "STEP_MODELS",
    "StepReport",
    "apply_pipeline",
    "clean_frame",
    "join_tables",
    "outlier_report",
    "parse_steps",
    "run_cleaning_pipeline",
    "suggest_join_keys",
    "suggest_missing_strategies",
]
