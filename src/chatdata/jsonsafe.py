"""Convert values from DataFrames and NumPy into plain JSON-safe Python values."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import math
import uuid
from typing import Any

import numpy as np


def json_safe(value: Any) -> Any:
    """A JSON-serialisable form of `value`: NaN/inf -> None, dates -> ISO strings,
    decimals -> float, bytes -> base64, NumPy scalars -> Python scalars, containers
    converted recursively."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return json_safe(float(value))
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return [json_safe(v) for v in value.tolist()]
    item = getattr(value, "item", None)  # NumPy scalars
    if callable(item):
        return json_safe(item())
    return str(value)
