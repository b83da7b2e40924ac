"""What people see of a cell versus what the analyst reads back."""

from __future__ import annotations

from chatdata.chat.agent import hide_result_lines
from chatdata.chat.compact import compact_outputs


def test_result_lines_move_out_of_the_printed_output() -> None:
    cell = {
        "code": "...",
        "status": "ok",
        "outputs": [
            {"type": "stream", "name": "stdout", "text": 'mean 3.0\n__RESULT__{"mean": 3.0}\n'},
            {"type": "stream", "name": "stdout", "text": '__RESULT__{"n": 5}\n'},
            {"type": "table", "columns": ["a"], "rows": [[1]], "total_rows": 1},
        ],
    }
    shown = hide_result_lines(cell)
    assert shown["outputs"] == [
        {"type": "stream", "name": "stdout", "text": "mean 3.0\n"},
        {"type": "table", "columns": ["a"], "rows": [[1]], "total_rows": 1},
    ]
    assert shown["results"] == ['__RESULT__{"mean": 3.0}', '__RESULT__{"n": 5}']
    # The model still reads the marker lines (compact_outputs runs on the raw cell).
    assert '__RESULT__{"mean": 3.0}' in compact_outputs("ok", cell["outputs"])
    plain = {"code": "1", "status": "ok", "outputs": [{"type": "text", "text": "1"}]}
    assert hide_result_lines(plain) == plain
