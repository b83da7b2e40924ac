"""Deterministic test datasets for task tests, built with NumPy inside the test session."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import polars as pl

ROWS = 300


def analysis_frame(rows: int = ROWS, seed: int = 7) -> pl.DataFrame:
    """Columns for statistics, regressions, models and clustering.

    `y` is linear in `x1`, `x2`; `label` is 1 when `y` is above its median; `cx`, `cy`
    form three well separated blobs (column `blob` says which); `group` A/B alternates.
    """
    rng = np.random.default_rng(seed)
    x1 = rng.normal(0, 1, rows)
    x2 = rng.normal(5, 2, rows)
    y = 2.0 + 3.0 * x1 - 1.5 * x2 + rng.normal(0, 0.5, rows)
    group = np.where(np.arange(rows) % 2 == 0, "A", "B")
    shift = np.where(group == "B", 0.4, 0.0)
    blob = np.arange(rows) % 3
    centres = np.array([[0.0, 0.0], [10.0, 10.0], [-10.0, 10.0]])
    return pl.DataFrame(
        {
            "group": group,
            "segment": np.array(["x", "y", "z"])[rng.integers(0, 3, rows)],
            "x1": x1,
            "x2": x2,
            "y": y,
            "label": (y > np.median(y)).astype(np.int64),
            "value": rng.normal(10, 2, rows) + shift,
            "converted": (rng.random(rows) < np.where(group == "B", 0.3, 0.2)).astype(np.int64),
            "before": rng.normal(50, 5, rows),
            "after": rng.normal(51, 5, rows),
            "cx": centres[blob, 0] + rng.normal(0, 0.5, rows),
            "cy": centres[blob, 1] + rng.normal(0, 0.5, rows),
            "blob": blob,
        }
    )


def series_frame(months: int = 60, seed: int = 3) -> pl.DataFrame:
    """Monthly sales with a linear trend and a yearly season."""
    rng = np.random.default_rng(seed)
    t = np.arange(months)
    sales = 100 + 2.0 * t + 15 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 1, months)
    dates = [dt.date(2019 + m // 12, m % 12 + 1, 1) for m in t]
    return pl.DataFrame({"month": dates, "sales": sales})


def dirty_frame() -> pl.DataFrame:
    """A small frame with missing values, duplicates and messy strings for cleaning."""
    return pl.DataFrame(
        {
            "id": [1, 2, 2, 3, 4, 5, 6, 7],
            "city": [" Paris", "berlin ", "berlin ", "ROME", None, "paris", "Oslo", "oslo "],
            "amount": [10.0, None, None, 30.0, 40.0, None, 1000.0, 20.0],
        }
    )


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """The frame as CSV bytes (for an upload)."""
    buffer = io.BytesIO()
    frame.write_csv(buffer)
    return buffer.getvalue()
