"""Export a dataset version as CSV, Parquet or Excel, with PII masked for readers."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import duckdb
from openpyxl import Workbook

from chatdata.datasets.masking import mask_value
from chatdata.errors import BadRequest
from chatdata.jsonsafe import json_safe

ExportFormat = Literal["csv", "parquet", "xlsx"]
EXCEL_MAX_ROWS = 1_048_575  # one row is the header
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_version(
    parquet: Path, fmt: ExportFormat, out_dir: Path, pii_by_column: Mapping[str, str]
) -> Path:
    """Write the export into `out_dir` and return its path (the Parquet itself when nothing
    needs changing)."""
    if fmt == "parquet" and not pii_by_column:
        return parquet
    out = out_dir / f"export.{fmt}"
    with duckdb.connect(config={"threads": 2, "memory_limit": "512MB"}) as con:
        con.create_function(
            "cd_mask",
            lambda value, kind: None if value is None else mask_value(value, kind),
            ["VARCHAR", "VARCHAR"],
            "VARCHAR",
        )
        select = _masked_select(con, parquet, pii_by_column)
        if fmt == "xlsx":
            _write_xlsx(con, select, out)
        else:
            options = "FORMAT CSV, HEADER" if fmt == "csv" else "FORMAT PARQUET"
            con.execute(f"COPY ({select}) TO '{_quote(out)}' ({options})")
    return out


def _masked_select(
    con: duckdb.DuckDBPyConnection, parquet: Path, pii_by_column: Mapping[str, str]
) -> str:
    # Identifiers are the file's own column names, quoted; the path is quoted too.
    source = f"read_parquet('{_quote(parquet)}')"
    described = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(parquet)])
    names = [row[0] for row in described.fetchall()]
    parts = []
    for name in names:
        ident = '"' + name.replace('"', '""') + '"'
        kind = pii_by_column.get(name)
        if kind:
            kind_sql = "'" + kind.replace("'", "''") + "'"
            parts.append(f"cd_mask(CAST({ident} AS VARCHAR), {kind_sql}) AS {ident}")
        else:
            parts.append(ident)
    return f"SELECT {', '.join(parts)} FROM {source}"  # noqa: S608


def _write_xlsx(con: duckdb.DuckDBPyConnection, select: str, out: Path) -> None:
    counted = con.execute(f"SELECT count(*) FROM ({select})").fetchone()  # noqa: S608
    total = int(counted[0]) if counted else 0
    if total > EXCEL_MAX_ROWS:
        raise BadRequest(
            f"The dataset has {total:,} rows, more than Excel holds; download CSV or Parquet.",
            code="too_many_rows_for_excel",
        )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    cursor = con.execute(select)
    sheet.append([d[0] for d in cursor.description or []])
    while batch := cursor.fetchmany(10_000):
        for row in batch:
            sheet.append([_excel_cell(v) for v in row])
    workbook.save(out)


def _excel_cell(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return json_safe(value)


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
