"""The cleaning step vocabulary: one pydantic model per `op`, and validation naming the bad step.

A step is a plain dict such as `{"op": "fill_missing", "column": "x", "strategy": "median"}`.
`parse_steps` checks the list's shape (unknown ops, missing or wrong parameters) and raises
`ValidationFailed` whose message names the step number and op; data-dependent checks (columns
that do not exist, a mean of a text column) happen when the step is planned against a schema.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from chatdata.analysis.result import json_safe
from chatdata.errors import ValidationFailed


class _Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DropMissing(_Step):
    """Drop rows with missing values in `columns` (all columns when omitted)."""

    op: Literal["drop_missing"]
    columns: list[str] | None = None
    how: Literal["any", "all"] = "any"


class DropColumns(_Step):
    """Drop whole columns (e.g. a column that is mostly missing)."""

    op: Literal["drop_columns"]
    columns: list[str] = Field(min_length=1)


FillStrategy = Literal["mean", "median", "mode", "constant", "forward", "backward", "interpolate"]


class FillMissing(_Step):
    """Fill missing values of one column by a strategy; `value` is the constant to use."""

    op: Literal["fill_missing"]
    column: str
    strategy: FillStrategy
    value: str | int | float | bool | None = None

    @model_validator(mode="after")
    def _constant_needs_value(self) -> FillMissing:
        if self.strategy == "constant" and self.value is None:
            raise ValueError("strategy 'constant' needs a 'value'")
        return self


class Outliers(_Step):
    """Detect outliers by IQR, z-score or Isolation Forest and cap them or remove their rows.

    `threshold` is the IQR multiplier (default 1.5) or the z-score limit (default 3);
    `contamination` is the expected outlier share for Isolation Forest (default "auto").
    """

    op: Literal["outliers"]
    columns: list[str] = Field(min_length=1)
    method: Literal["iqr", "zscore", "isolation_forest"] = "iqr"
    action: Literal["cap", "remove"] = "cap"
    threshold: float | None = Field(default=None, gt=0)
    contamination: float | Literal["auto"] = "auto"

    @model_validator(mode="after")
    def _contamination_range(self) -> Outliers:
        if self.contamination != "auto" and not 0 < float(self.contamination) <= 0.5:
            raise ValueError("contamination must be 'auto' or in (0, 0.5]")
        return self


class Convert(_Step):
    """Convert a column's type; values that do not parse become missing and are reported."""

    op: Literal["convert"]
    column: str
    to: Literal["int", "float", "str", "bool", "date", "datetime"]
    format: str | None = None


class Deduplicate(_Step):
    """Remove duplicate rows: exact (all columns) or on key `columns`, keeping first or last."""

    op: Literal["deduplicate"]
    columns: list[str] | None = None
    keep: Literal["first", "last"] = "first"


class NormalizeStrings(_Step):
    """Normalise text columns: trim, change case, collapse whitespace, Unicode NFKC."""

    op: Literal["normalize_strings"]
    columns: list[str] = Field(min_length=1)
    trim: bool = True
    case: Literal["lower", "upper", "title"] | None = None
    collapse_whitespace: bool = True
    unicode_nfkc: bool = True


class Join(_Step):
    """Join another table, named in the pipeline's `tables`, on key columns."""

    op: Literal["join"]
    right: str
    left_on: list[str] = Field(min_length=1)
    right_on: list[str] | None = None
    how: Literal["inner", "left", "right", "full", "semi", "anti"] = "left"
    suffix: str = "_right"

    @model_validator(mode="after")
    def _same_key_count(self) -> Join:
        if self.right_on is not None and len(self.right_on) != len(self.left_on):
            raise ValueError("left_on and right_on must name the same number of columns")
        return self


CleaningStep = Annotated[
    DropMissing
    | DropColumns
    | FillMissing
    | Outliers
    | Convert
    | Deduplicate
    | NormalizeStrings
    | Join,
    Field(discriminator="op"),
]
STEP_MODELS: dict[str, type[_Step]] = {
    "drop_missing": DropMissing,
    "drop_columns": DropColumns,
    "fill_missing": FillMissing,
    "outliers": Outliers,
    "convert": Convert,
    "deduplicate": Deduplicate,
    "normalize_strings": NormalizeStrings,
    "join": Join,
}
_ADAPTER: TypeAdapter[CleaningStep] = TypeAdapter(CleaningStep)


def _problem_text(error: ValidationError) -> str:
    parts = []
    for problem in error.errors():
        location = ".".join(str(p) for p in problem["loc"][1:])
        message = str(problem["msg"]).removeprefix("Value error, ")
        parts.append(f"{location}: {message}" if location else message)
    return "; ".join(parts)


def parse_step(index: int, raw: Any) -> CleaningStep:
    """Validate one step dict (1-based `index`), raising ValidationFailed naming the step."""
    if not isinstance(raw, dict):
        raise ValidationFailed(
            f"step {index}: expected an object with an 'op'", details={"step": index}
        )
    op = raw.get("op")
    if op not in STEP_MODELS:
        raise ValidationFailed(
            f"step {index}: unknown op {op!r}; available ops: {', '.join(STEP_MODELS)}",
            details={"step": index, "op": op, "available": list(STEP_MODELS)},
        )
    try:
        return _ADAPTER.validate_python(raw)
    except ValidationError as error:
        raise ValidationFailed(
            f"step {index} ({op}): {_problem_text(error)}",
            details={"step": index, "op": op, "errors": json_safe(error.errors(include_url=False))},
        ) from error


def parse_steps(raw_steps: Any) -> list[CleaningStep]:
    """Validate a list of step dicts; the first bad step raises ValidationFailed."""
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ValidationFailed("steps must be a non-empty list of step objects")
    return [parse_step(index, raw) for index, raw in enumerate(raw_steps, start=1)]
