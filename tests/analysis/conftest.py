"""Shared fixtures for the analysis library tests: seeded generators and small frames."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded random generator so every test's data is reproducible."""
    return np.random.default_rng(12345)


@pytest.fixture
def groups_frame(rng: np.random.Generator) -> pl.DataFrame:
    """Three groups of 40 normal values with different means, plus a second measurement."""
    n = 40
    group = np.repeat(["a", "b", "c"], n)
    value = rng.normal(10, 2, 3 * n) + np.repeat([0.0, 1.5, 3.0], n)
    later = value + rng.normal(0.8, 1.0, 3 * n)
    return pl.DataFrame({"group": group, "value": value, "later": later})
