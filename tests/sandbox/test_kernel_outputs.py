"""Every output type a cell can produce, captured as typed parts by a real kernel."""

from __future__ import annotations

import base64
from pathlib import Path

from chatdata.sandbox import DatasetMount, KernelManager
from tests.sandbox.conftest import TEST_LIMITS, parts_of, stdout

KEY = "outputs"


async def test_stdout_and_stderr_are_stream_parts(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    code = "import sys\nprint('to out')\nprint('to err', file=sys.stderr)"
    result = await manager.execute(KEY, code, datasets=sales)
    assert result.status == "ok"
    assert result.outputs == [
        {"type": "stream", "name": "stdout", "text": "to out\n"},
        {"type": "stream", "name": "stderr", "text": "to err\n"},
    ]
    assert result.duration_ms >= 0


async def test_expression_value_is_a_text_part(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    result = await manager.execute(KEY, "6 * 7", datasets=sales)
    assert result.outputs == [{"type": "text", "text": "42"}]


async def test_error_part_has_plain_traceback_with_the_user_lines(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    code = "def ratio(a, b):\n    return a / b\n\nratio(1, 0)"
    result = await manager.execute(KEY, code, datasets=sales)
    assert result.status == "error"
    [error] = parts_of(result, "error")
    assert (error["ename"], error["evalue"]) == ("ZeroDivisionError", "division by zero")
    assert "----> 4 ratio(1, 0)" in error["traceback"]
    assert "----> 2     return a / b" in error["traceback"]
    assert "\x1b" not in error["traceback"]


async def test_dataframe_series_polars_and_duckdb_results_are_tables(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    cases = {
        "df.groupby('region', sort=True)['amount'].sum()": (
            ["region", "amount"],
            ["str", "float64"],
            [["east", 3.0], ["north", 29.75], ["south", 20.0]],
            3,
        ),
        "df[['region', 'amount']].head(2)": (
            ["region", "amount"],
            ["str", "float64"],
            [["north", 10.5], ["south", 20.0]],
            2,
        ),
        "lf.filter(pl.col('units') > 4).select('units', 'amount').collect()": (
            ["units", "amount"],
            ["Int64", "Float64"],
            [[5, None], [6, 12.0]],
            2,
        ),
        "con.sql('SELECT units FROM data WHERE units <= 2 ORDER BY units')": (
            ["units"],
            ["BIGINT"],
            [[1], [2]],
            2,
        ),
    }
    for code, (columns, dtypes, rows, total) in cases.items():
        result = await manager.execute(KEY, code, datasets=sales)
        [table] = parts_of(result, "table")
        assert (table["columns"], table["dtypes"], table["rows"]) == (columns, dtypes, rows)
        assert (table["total_rows"], table["truncated"]) == (total, False)


async def test_long_table_keeps_first_rows_and_total(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    code = "pd.DataFrame({'n': range(500), 'when': pd.date_range('2024-01-01', periods=500)})"
    result = await manager.execute(KEY, code, datasets=sales)
    [table] = parts_of(result, "table")
    assert table["dtypes"] == ["int64", "datetime64[us]"]
    assert len(table["rows"]) == TEST_LIMITS.table_rows
    assert table["rows"][:2] == [[0, "2024-01-01T00:00:00"], [1, "2024-01-02T00:00:00"]]
    assert (table["total_rows"], table["truncated"]) == (500, True)


async def test_matplotlib_figure_is_captured_without_show_and_closed(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    code = (
        "fig, ax = plt.subplots(figsize=(4, 3))\nax.bar(df.region, df.units)\nax.set_title('units')"
    )
    result = await manager.execute(KEY, code, datasets=sales)
    [image] = parts_of(result, "image")
    png = base64.b64decode(image["data"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert (image["mime"], image["width"], image["height"]) == ("image/png", 400, 300)
    after = await manager.execute(KEY, "print(plt.get_fignums())", datasets=sales)
    assert stdout(after) == "[]\n"


async def test_plt_show_publishes_in_order(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    code = "print('before')\nplt.plot([1, 2])\nplt.show()\nprint('after')"
    result = await manager.execute(KEY, code, datasets=sales)
    assert [part["type"] for part in result.outputs] == ["stream", "image", "stream"]


async def test_plotly_figure_is_its_json(manager: KernelManager, sales: list[DatasetMount]) -> None:
    code = "px.bar(df, x='region', y='units', title='Units')"
    result = await manager.execute(KEY, code, datasets=sales)
    [chart] = parts_of(result, "plotly")
    figure = chart["figure"]
    assert figure["data"][0]["type"] == "bar"
    assert figure["data"][0]["x"] == ["north", "south", "north", "east", "south", "north"]
    assert figure["layout"]["title"]["text"] == "Units"


async def test_files_written_under_work_out_are_copied_to_the_host(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    code = "df[['region', 'units']].head(2).to_csv('/work/out/summary.csv', index=False)"
    result = await manager.execute(KEY, code, datasets=sales)
    [file] = parts_of(result, "file")
    expected = "region,units\nnorth,1\nsouth,2\n"
    assert (file["name"], file["size"]) == ("summary.csv", len(expected))
    assert Path(file["path"]).read_text() == expected
    unchanged = await manager.execute(KEY, "x = 1", datasets=sales)
    assert parts_of(unchanged, "file") == []
    nested = (
        "import os\nos.makedirs('out/charts', exist_ok=True)\n"
        "open('out/charts/a.txt', 'w').write('hi')"
    )
    result = await manager.execute(KEY, nested, datasets=sales)
    assert [(f["name"], f["size"]) for f in parts_of(result, "file")] == [("charts/a.txt", 2)]


async def test_output_flood_keeps_head_and_tail_and_says_what_was_cut(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    code = "for i in range(20000):\n    print(f'line {i:05d}')\nprint('the end')"
    result = await manager.execute(KEY, code, datasets=sales)
    assert result.status == "ok"
    head, cut, tail = result.outputs
    assert head["text"].startswith("line 00000\nline 00001\n")
    assert tail["text"].endswith("line 19999\nthe end\n")
    assert cut["type"] == "notice"
    kept = len(head["text"]) + len(tail["text"])
    assert kept == TEST_LIMITS.output_cap_bytes
    total = 20000 * len("line 00000\n") + len("the end\n")
    assert f"[... {total - kept:,} bytes of output were cut here" in cut["text"]


async def test_timeout_interrupts_and_the_next_cell_runs_with_state(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    await manager.execute(KEY, "kept = 'still here'", datasets=sales)
    code = "import time\nwhile True:\n    time.sleep(0.01)"
    result = await manager.execute(KEY, code, datasets=sales, timeout=1.0)
    assert result.status == "timeout"
    assert 1000 <= result.duration_ms < 1000 + 6000
    assert parts_of(result, "error")[0]["ename"] == "KeyboardInterrupt"
    assert parts_of(result, "notice")[0]["text"].startswith(
        "The cell ran longer than 1 s and was interrupted. Variables from earlier cells are kept."
    )
    after = await manager.execute(KEY, "print(kept)", datasets=sales)
    assert (after.status, stdout(after)) == ("ok", "still here\n")
