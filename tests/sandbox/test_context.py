"""Each kernel starts with df, lf, con and the analysis libraries, over the real data."""

from __future__ import annotations

import json

import duckdb

from chatdata.sandbox import DatasetMount, KernelManager
from tests.sandbox.conftest import EVENT_ROWS, stdout

CONTEXT_REPORT = """
import json, os
print(json.dumps({
    "shape": list(df.shape),
    "columns": list(df.columns),
    "amount_sum": float(df.amount.sum()),
    "regions": df.region.tolist(),
    "is_sample": df_is_sample,
    "note": df_note,
    "lf_rows": lf.collect().height,
    "lf_units": lf.select(pl.col("units").sum()).collect().item(),
    "groups": con.sql(
        "SELECT region, SUM(amount) FROM data GROUP BY region ORDER BY region"
    ).fetchall(),
    "named_view": con.sql("SELECT COUNT(*) FROM sales").fetchall()[0][0],
    "data_files": sorted(os.listdir("/data")),
    "modules": [m.__name__ for m in (pd, np, pl, duckdb, plt, px, go)],
    "backend": matplotlib.get_backend(),
}))
"""


async def test_df_lf_con_are_preloaded_with_exact_values(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    result = await manager.execute("context", CONTEXT_REPORT, datasets=sales)
    assert result.status == "ok", result.outputs
    assert json.loads(stdout(result)) == {
        "shape": [6, 3],
        "columns": ["region", "amount", "units"],
        "amount_sum": 52.75,
        "regions": ["north", "south", "north", "east", "south", "north"],
        "is_sample": False,
        "note": "df holds all 6 rows of the dataset.",
        "lf_rows": 6,
        "lf_units": 21,
        "groups": [["east", 3.0], ["north", 29.75], ["south", 20.0]],
        "named_view": 6,
        "data_files": ["sales.parquet"],
        "modules": [
            "pandas",
            "numpy",
            "polars",
            "duckdb",
            "matplotlib.pyplot",
            "plotly.express",
            "plotly.graph_objects",
        ],
        "backend": "Agg",
    }


async def test_state_persists_across_cells(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    first = await manager.execute("context", "counter = 41\nrows = len(df)", datasets=sales)
    second = await manager.execute("context", "counter += 1\nprint(counter, rows)", datasets=sales)
    assert (first.status, second.status) == ("ok", "ok")
    assert stdout(second) == "42 6\n"


async def test_science_libraries_are_importable_and_work(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    code = """
from scipy import stats
import statsmodels.formula.api as smf
from sklearn.linear_model import LinearRegression
model = LinearRegression().fit([[0], [1], [2]], [1, 3, 5])
fit = smf.ols("units ~ 1", data=df).fit()
values = [model.coef_[0], stats.norm.cdf(0), fit.params["Intercept"]]
print(*(round(float(value), 6) for value in values))
"""
    result = await manager.execute("context", code, datasets=sales)
    assert result.status == "ok", result.outputs
    assert stdout(result) == "2.0 0.5 3.5\n"


async def test_extra_datasets_get_their_own_views(
    manager: KernelManager, sales: list[DatasetMount], events: list[DatasetMount]
) -> None:
    code = (
        "print(con.sql('SELECT COUNT(*) FROM data').fetchall()[0][0],"
        " con.sql('SELECT COUNT(*) FROM sales').fetchall()[0][0],"
        " con.sql('SELECT SUM(value) FROM events').fetchall()[0][0],"
        " sorted(DATA_FILES), len(df))"
    )
    result = await manager.execute("context", code, datasets=[*sales, *events])
    assert result.status == "ok", result.outputs
    assert stdout(result) == "6 6 999000 ['events', 'sales'] 6\n"


async def test_large_dataset_gives_a_seeded_sample_and_full_lf_con(
    manager: KernelManager, events: list[DatasetMount]
) -> None:
    code = """
import json
print(json.dumps({
    "rows": len(df), "is_sample": df_is_sample, "note": df_note, "ids": df.id.tolist(),
    "values_match": bool((df.value == 2 * df.id).all()),
    "lf_rows": lf.collect().height,
    "con_rows": con.sql("SELECT COUNT(*) FROM data").fetchall()[0][0],
}))
"""
    result = await manager.execute("sampled", code, datasets=events)
    assert result.status == "ok", result.outputs
    report = json.loads(stdout(result))
    # DuckDB's seeded reservoir sample of the file, in file order.
    with duckdb.connect() as con:
        expected_ids = [
            row[0]
            for row in con.execute(
                "SELECT id FROM (SELECT * FROM read_parquet(?, file_row_number = true) "
                "USING SAMPLE reservoir(100 ROWS) REPEATABLE (0)) ORDER BY file_row_number",
                [str(events[0].host_path)],
            ).fetchall()
        ]
    assert expected_ids == sorted(set(expected_ids)) and len(expected_ids) == 100
    assert report == {
        "rows": 100,
        "is_sample": True,
        "note": (
            "df is a random sample of 100 of 1,000 rows (seed 0); compute final figures "
            "on all rows with con (DuckDB view `data`) or lf (polars)."
        ),
        "ids": expected_ids,
        "values_match": True,
        "lf_rows": EVENT_ROWS,
        "con_rows": EVENT_ROWS,
    }
