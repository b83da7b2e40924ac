"""Read a page (or a seeded random sample) of a dataset version's rows, PII masked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from chatdata.datasets.masking import mask_rows
from chatdata.jsonsafe import json_safe


@dataclass
class RowPage:
    """Rows of a dataset with their column types."""

    columns: list[dict[str, str]]
    rows: list[dict[str, Any]]
    total_rows: int


def read_rows(
    parquet: Path,
    *,
    limit: int,
    offset: int = 0,
    random: bool = False,
    seed: int = 0,
    pii_by_column: Mapping[str, str] | None = None,
) -> RowPage:
    """Rows `offset..offset+limit` (or `limit` random rows, reproducible by `seed`).

    Columns listed in `pii_by_column` (name -> PII kind) are masked."""
    with duckdb.connect(config={"threads": 2, "memory_limit": "512MB"}) as con:
        path = str(parquet)
        counted = con.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchone()
        total = int(counted[0]) if counted else 0
        if random:
            # DuckDB takes no parameters in USING SAMPLE; both values are ints.
            sample = f"reservoir({int(limit)} ROWS) REPEATABLE ({int(seed)})"
            cursor = con.execute(
                f"SELECT * FROM read_parquet(?) USING SAMPLE {sample}",  # noqa: S608
                [path],
            )
        else:
            cursor = con.execute(
                "SELECT * FROM read_parquet(?) LIMIT ? OFFSET ?", [path, limit, offset]
            )
        names = [d[0] for d in cursor.description or []]
        types = [str(d[1]) for d in cursor.description or []]
        rows = [dict(zip(names, map(json_safe, row), strict=True)) for row in cursor.fetchall()]
    if pii_by_column:
        rows = mask_rows(rows, pii_by_column)
    columns = [{"name": n, "type": t} for n, t in zip(names, types, strict=True)]
    return RowPage(columns=columns, rows=rows, total_rows=total)
