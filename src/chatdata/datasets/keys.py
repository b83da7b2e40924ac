"""Where a dataset's files live in the object store (seed design 5.2 layout)."""

from __future__ import annotations

import re
import uuid

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def dataset_prefix(team_id: uuid.UUID, dataset_id: uuid.UUID) -> str:
    """Everything of one dataset lives under this prefix."""
    return f"{team_id}/datasets/{dataset_id}/"


def original_key(team_id: uuid.UUID, dataset_id: uuid.UUID, filename: str) -> str:
    """The file as uploaded, kept unchanged."""
    safe = _SAFE.sub("_", filename).strip("._") or "upload"
    return f"{dataset_prefix(team_id, dataset_id)}original/{safe[:120]}"


def version_key(team_id: uuid.UUID, dataset_id: uuid.UUID, number: int) -> str:
    """The immutable Parquet file of version `number`."""
    return f"{dataset_prefix(team_id, dataset_id)}versions/v{number}/data.parquet"
