"""Export a conversation's cells as a Python script or a Jupyter notebook that reproduces
the analysis (the first cell sets up `df`, `lf` and `con` as the kernel does)."""

from __future__ import annotations

from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from chatdata.chat.compact import table_rows

SETUP_CODE = """# Setup: the same objects the platform's kernel provides (same seeded sample).
import duckdb
import numpy as np
import pandas as pd
import polars as pl

DATA = "/data/data.parquet"  # path of the dataset downloaded as Parquet
SAMPLE_ROWS = {sample_rows}
lf = pl.scan_parquet(DATA)
con = duckdb.connect()
con.execute(f"CREATE VIEW data AS SELECT * FROM read_parquet('{DATA}')")
_total = lf.select(pl.len()).collect().item()
if _total <= SAMPLE_ROWS:
    df = lf.collect().to_pandas()
else:  # a seeded reservoir sample in file order, as in the kernel
    _sample = con.sql(
        "SELECT * EXCLUDE (file_row_number) FROM (SELECT * FROM read_parquet(?, "
        f"file_row_number = true) USING SAMPLE reservoir({SAMPLE_ROWS} ROWS) REPEATABLE (0)) "
        "ORDER BY file_row_number",
        params=[DATA],
    )
    df = pl.from_arrow(_sample.to_arrow_table()).to_pandas()"""


def setup_code(sample_rows: int) -> str:
    """The first cell of every export."""
    return SETUP_CODE.replace("{sample_rows}", str(sample_rows))


def export_script(title: str, cells: list[dict[str, Any]], sample_rows: int) -> str:
    """A runnable .py file: the setup, then every cell that ran, in order."""
    parts = [f"# {title}\n# Exported from Chat Data Platform.\n", setup_code(sample_rows)]
    for index, cell in enumerate(cells, start=1):
        parts.append(f"# %% cell {index} ({cell['status']})\n{cell['code']}")
    return "\n\n".join(parts) + "\n"


def export_notebook(title: str, cells: list[dict[str, Any]], sample_rows: int) -> str:
    """A valid nbformat v4 notebook with the cells and the outputs they had."""
    notebook = new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.cells.append(new_markdown_cell(f"# {title}\nExported from Chat Data Platform."))
    notebook.cells.append(new_code_cell(setup_code(sample_rows)))
    for cell in cells:
        code_cell = new_code_cell(cell["code"])
        code_cell.outputs = [o for o in map(_output, cell.get("outputs", [])) if o is not None]
        notebook.cells.append(code_cell)
    nbformat.validate(notebook)
    return str(nbformat.writes(notebook))


def _output(part: dict[str, Any]) -> Any:
    kind = part.get("type")
    if kind == "stream":
        return new_output("stream", name=part.get("name", "stdout"), text=part.get("text", ""))
    if kind == "error":
        trace = str(part.get("traceback", "")).splitlines()
        return new_output(
            "error", ename=part.get("ename", ""), evalue=part.get("evalue", ""), traceback=trace
        )
    if kind == "image":
        return new_output("display_data", data={"image/png": part.get("data", "")})
    if kind == "plotly":
        figure = part.get("figure", {})
        return new_output(
            "display_data",
            data={"application/vnd.plotly.v1+json": figure, "text/plain": "<Plotly figure>"},
        )
    if kind == "table":
        return new_output("display_data", data={"text/plain": _table_text(part)})
    if kind == "text":
        return new_output("display_data", data={"text/plain": part.get("text", "")})
    return None


def _table_text(part: dict[str, Any]) -> str:
    if part.get("text"):
        return str(part["text"])
    columns, rows = table_rows(part)
    return "\n".join(["\t".join(columns)] + ["\t".join(map(str, row)) for row in rows])
