"""IPython extension loaded inside every sandbox kernel (runs in the sandbox, not the server).

It preloads the analysis libraries, registers a display formatter that turns
DataFrames, Series and DuckDB relations into a JSON table mimetype, captures
matplotlib figures as PNG at the end of every cell, makes Plotly figures publish
their JSON, and provides `attach()`, which the server calls to define `df`, `lf` and
`con` over the Parquet files mounted at the data directory. Libraries are reached
through `importlib` so this module imports nothing heavy until the kernel loads it.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import importlib
import io
import math
import os
import sys
from collections.abc import Callable
from typing import Any

TABLE_MIME = "application/vnd.chatdata.table+json"
OUT_DIR = os.environ.get("SANDBOX_OUT_DIR", "/work/out")
TABLE_ROWS = int(os.environ.get("SANDBOX_TABLE_ROWS", "50"))
CELL_TEXT_LIMIT = 2000


def load_ipython_extension(ip: Any) -> None:
    """Entry point IPython calls at kernel start (`--IPKernelApp.extensions`)."""
    os.makedirs(OUT_DIR, exist_ok=True)
    ip.push(_preloaded_modules(), interactive=False)
    _register_table_formatter(ip)
    _configure_plotly()
    _configure_matplotlib(ip)


def _preloaded_modules() -> dict[str, Any]:
    """The modules every cell can use without importing them."""
    return {
        "pd": importlib.import_module("pandas"),
        "np": importlib.import_module("numpy"),
        "pl": importlib.import_module("polars"),
        "duckdb": importlib.import_module("duckdb"),
        "matplotlib": importlib.import_module("matplotlib"),
        "plt": importlib.import_module("matplotlib.pyplot"),
        "px": importlib.import_module("plotly.express"),
        "go": importlib.import_module("plotly.graph_objects"),
    }


# ---------------------------------------------------------------- tables


def _register_table_formatter(ip: Any) -> None:
    """Add the table mimetype formatter and switch off HTML reprs nobody reads."""
    formatters = importlib.import_module("IPython.core.formatters")
    display_formatter = ip.display_formatter
    table_formatter = formatters.JSONFormatter(parent=display_formatter)
    table_formatter.format_type = TABLE_MIME
    display_formatter.formatters[TABLE_MIME] = table_formatter
    if TABLE_MIME not in display_formatter.active_types:
        display_formatter.active_types.append(TABLE_MIME)
    display_formatter.formatters["text/html"].enabled = False
    pd = importlib.import_module("pandas")
    pl = importlib.import_module("polars")
    duckdb = importlib.import_module("duckdb")
    table_formatter.for_type(pd.DataFrame, _pandas_table)
    table_formatter.for_type(pd.Series, _pandas_table)
    table_formatter.for_type(pl.DataFrame, _polars_table)
    table_formatter.for_type(pl.Series, _polars_table)
    table_formatter.for_type(duckdb.DuckDBPyRelation, _duckdb_table)


def _table(
    columns: list[str], dtypes: list[str], rows: list[list[Any]], total: int
) -> dict[str, Any]:
    """The table payload every producer returns."""
    return {
        "columns": columns,
        "dtypes": dtypes,
        "rows": [[json_value(value) for value in row] for row in rows],
        "total_rows": total,
        "truncated": total > len(rows),
    }


def _pandas_table(obj: Any) -> dict[str, Any]:
    """Columns, dtypes and the first rows of a pandas DataFrame or Series."""
    pd = importlib.import_module("pandas")
    frame = (
        obj.to_frame(name=obj.name if obj.name is not None else "value")
        if isinstance(obj, pd.Series)
        else obj
    )
    default_index = isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0
    if not default_index or frame.index.name is not None:
        frame = frame.reset_index(allow_duplicates=True)
    head = frame.head(TABLE_ROWS)
    columns = [_column_label(column) for column in head.columns]
    rows = [list(row) for row in head.itertuples(index=False, name=None)]
    return _table(columns, [str(dtype) for dtype in head.dtypes], rows, len(frame))


def _column_label(column: Any) -> str:
    """A column name as text; MultiIndex tuples are joined."""
    if isinstance(column, tuple):
        return " / ".join(str(part) for part in column if str(part))
    return str(column)


def _polars_table(obj: Any) -> dict[str, Any]:
    """Columns, dtypes and the first rows of a polars DataFrame or Series."""
    pl = importlib.import_module("polars")
    frame = obj.to_frame() if isinstance(obj, pl.Series) else obj
    head = frame.head(TABLE_ROWS)
    rows = [list(row) for row in head.rows()]
    return _table(list(head.columns), [str(dtype) for dtype in head.dtypes], rows, frame.height)


def _duckdb_table(relation: Any) -> dict[str, Any]:
    """Columns, types and the first rows of a DuckDB relation (runs the query)."""
    rows = [list(row) for row in relation.limit(TABLE_ROWS).fetchall()]
    total = int(relation.aggregate("count(*)").fetchall()[0][0])
    return _table(list(relation.columns), [str(kind) for kind in relation.types], rows, total)


def json_value(value: Any) -> Any:
    """A JSON-safe rendering of one cell value (NaN and NaT become None)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    converter = _scalar_converter(value)
    if converter is not None:
        return converter(value)
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    return _text_preview(value)


def _scalar_converter(value: Any) -> Callable[[Any], Any] | None:
    """How to convert numpy/pandas/datetime/decimal scalars, or None."""
    np = importlib.import_module("numpy")
    pd = importlib.import_module("pandas")
    if value is pd.NA or value is pd.NaT:
        return lambda _: None
    if isinstance(value, np.generic):
        return lambda item: json_value(item.item())
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return lambda item: item.isoformat()
    if isinstance(value, datetime.timedelta | pd.Timedelta):
        return str
    if isinstance(value, decimal.Decimal):
        return lambda item: float(item) if item.is_finite() else None
    if isinstance(value, bytes):
        return lambda item: item[:64].hex()
    if isinstance(value, np.ndarray):
        return lambda item: json_value(item.tolist())
    return None


def _text_preview(value: Any) -> str:
    """`str(value)`, cut to a readable length."""
    text = str(value)
    return text if len(text) <= CELL_TEXT_LIMIT else text[:CELL_TEXT_LIMIT] + "..."


# ---------------------------------------------------------------- figures


def _configure_plotly() -> None:
    """Plotly figures publish their JSON (the `plotly_mimetype` renderer)."""
    pio = importlib.import_module("plotly.io")
    pio.renderers.default = "plotly_mimetype"


def _configure_matplotlib(ip: Any) -> None:
    """Figures are captured at `plt.show()` and at the end of every cell."""
    plt = importlib.import_module("matplotlib.pyplot")
    setattr(plt, "show", _show_figures)  # noqa: B010 - replacing a module function
    ip.events.register("post_run_cell", _flush_figures_after_cell)


def _show_figures(*_args: Any, **_kwargs: Any) -> None:
    """Replacement for `plt.show()`: publish open figures now."""
    flush_figures()


def _flush_figures_after_cell(_result: Any) -> None:
    """`post_run_cell` hook: publish the figures the cell left open."""
    flush_figures()


def flush_figures() -> None:
    """Publish every open matplotlib figure as a PNG display, then close them all."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None:
        return
    display = importlib.import_module("IPython.display")
    try:
        for number in plt.get_fignums():
            figure = plt.figure(number)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", bbox_inches="tight")
            width, height = (int(size * figure.dpi) for size in figure.get_size_inches())
            display.publish_display_data(
                data={
                    "image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
                    "text/plain": f"<Figure size {width}x{height}>",
                },
                metadata={"image/png": {"width": width, "height": height}},
            )
    finally:
        plt.close("all")


# ---------------------------------------------------------------- datasets


def attach(
    ip: Any,
    datasets: list[list[str]],
    *,
    sample_rows: int,
    seed: int,
    memory_mb: int,
    threads: int,
    temp_dir: str,
) -> None:
    """Define `con`, and for a primary dataset `df`, `lf`, `df_is_sample`, `df_note`.

    `datasets` is a list of `[view_name, parquet_path]`; the first is the primary.
    """
    pl = importlib.import_module("polars")
    con = _connect_duckdb(ip.user_ns.get("con"), memory_mb, threads, temp_dir)
    names: dict[str, str] = {}
    for view, path in datasets:
        _create_view(con, view, path)
        names[view] = path
    data_dir = os.path.dirname(datasets[0][1]) if datasets else ""
    namespace: dict[str, Any] = {
        "con": con,
        "DATA_FILES": names,
        "DATA_DIR": data_dir,
        "OUT_DIR": OUT_DIR,
    }
    if datasets:
        primary = datasets[0][1]
        _create_view(con, "data", primary)
        lf = pl.scan_parquet(primary)
        df, is_sample, note = _load_frame(con, primary, lf, sample_rows, seed)
        namespace.update(lf=lf, df=df, df_is_sample=is_sample, df_note=note)
    ip.push(namespace)


def _connect_duckdb(old: Any, memory_mb: int, threads: int, temp_dir: str) -> Any:
    """A fresh in-memory DuckDB connection within the kernel's limits (the old one closed)."""
    duckdb = importlib.import_module("duckdb")
    if isinstance(old, duckdb.DuckDBPyConnection):
        old.close()
    return duckdb.connect(
        ":memory:",
        config={
            "memory_limit": f"{max(memory_mb // 2, 128)}MB",
            "threads": threads,
            "temp_directory": temp_dir,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        },
    )


def _create_view(con: Any, view: str, path: str) -> None:
    """`CREATE OR REPLACE VIEW view AS SELECT * FROM read_parquet(path)`."""
    quoted_path = path.replace("'", "''")
    # `view` is a checked identifier (DatasetMount) and the path is quoted.
    statement = f"CREATE OR REPLACE VIEW \"{view}\" AS SELECT * FROM read_parquet('{quoted_path}')"  # noqa: S608
    con.execute(statement)


SAMPLE_QUERY = (
    "SELECT * EXCLUDE (file_row_number) FROM ("
    "SELECT * FROM read_parquet(?, file_row_number = true) "
    "USING SAMPLE reservoir({rows} ROWS) REPEATABLE ({seed})) ORDER BY file_row_number"
)


def _load_frame(con: Any, path: str, lf: Any, sample_rows: int, seed: int) -> tuple[Any, bool, str]:
    """The whole table as pandas when small, else a seeded random sample of rows.

    DuckDB's reservoir sample streams the file with bounded memory (a Polars filter over
    a row index held every column of a 12M-row file at once); rows keep file order."""
    pl = importlib.import_module("polars")
    total = int(lf.select(pl.len()).collect().item())
    if total <= sample_rows:
        note = f"df holds all {total:,} rows of the dataset."
        return lf.collect().to_pandas(), False, note
    query = SAMPLE_QUERY.format(rows=int(sample_rows), seed=int(seed))
    sample = pl.from_arrow(con.sql(query, params=[path]).to_arrow_table())
    note = (
        f"df is a random sample of {sample_rows:,} of {total:,} rows (seed {seed}); "
        "compute final figures on all rows with con (DuckDB view `data`) or lf (polars)."
    )
    return sample.to_pandas(), True, note
