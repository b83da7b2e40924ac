"""Small helpers shared by the profile tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl

from chatdata.datasets.profile_models import ColumnProfile, DatasetProfile

WriteParquet = Callable[[pl.DataFrame], Path]


def column(profile: DatasetProfile, name: str) -> ColumnProfile:
    """The profile of the column called `name`."""
    return next(item for item in profile.column_profiles if item.name == name)
