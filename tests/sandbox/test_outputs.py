"""Output parts from kernel messages, and the head-and-tail output cap."""

from __future__ import annotations

from typing import Any

from chatdata.sandbox.outputs import (
    TABLE_MIME,
    OutputCollector,
    part_from_message,
    shorten_middle,
    strip_ansi,
)


def stream(text: str, name: str = "stdout") -> dict[str, Any]:
    return {"type": "stream", "name": name, "text": text}


def test_consecutive_stream_text_is_merged_per_stream() -> None:
    collector = OutputCollector(1000, 1000)
    for part in [stream("a"), stream("b"), stream("!", "stderr"), stream("c")]:
        collector.add(part)
    assert collector.parts() == [stream("ab"), stream("!", "stderr"), stream("c")]


def test_text_over_the_cap_keeps_head_and_tail_and_says_what_was_cut() -> None:
    collector = OutputCollector(100, 1000)
    for index in range(100):
        collector.add(stream(f"{index:03d}\n"))
    parts = collector.parts()
    everything = "".join(f"{index:03d}\n" for index in range(100))
    assert parts[0] == stream(everything[:50])
    assert parts[1] == {
        "type": "notice",
        "text": "[... 300 bytes of output were cut here; the beginning and the end are kept ...]",
    }
    assert parts[2] == stream(everything[-50:])
    assert len(parts) == 3


def test_head_is_exact_prefix_and_tail_exact_suffix() -> None:
    collector = OutputCollector(20, 1000)
    text = "".join(chr(ord("a") + index % 26) for index in range(1000))
    collector.add(stream(text))
    head, cut, tail = collector.parts()
    assert head["text"] == text[:10]
    assert tail["text"] == text[-10:]
    assert cut["text"].startswith("[... 980 bytes of output were cut here")


def test_error_after_a_flood_is_kept_at_the_end() -> None:
    collector = OutputCollector(200, 1000)
    collector.add(stream("x" * 10_000))
    error = {"type": "error", "ename": "ValueError", "evalue": "bad", "traceback": "tb"}
    collector.add(error)
    parts = collector.parts()
    assert parts[-1] == error
    assert parts[0] == stream("x" * 100)
    assert parts[1]["type"] == "notice"


def test_rich_parts_over_their_cap_become_notices() -> None:
    collector = OutputCollector(10_000, 300)
    image = {"type": "image", "mime": "image/png", "data": "A" * 200}
    collector.add(image)
    collector.add(dict(image))
    parts = collector.parts()
    assert parts[0] == image
    assert parts[1]["type"] == "notice"
    assert parts[1]["text"] == (
        "Image output of 250 bytes was left out: this cell's charts and tables are over 300 bytes."
    )


def test_huge_traceback_is_shortened_in_the_middle() -> None:
    assert shorten_middle("abcdefghij", 4) == "ab\n[... 6 bytes cut ...]\nij"
    assert shorten_middle("short", 10) == "short"


def test_ansi_codes_are_removed_from_tracebacks() -> None:
    message = {
        "msg_type": "error",
        "content": {
            "ename": "ZeroDivisionError",
            "evalue": "division by zero",
            "traceback": ["\x1b[0;31m----> 1\x1b[0m 1/0", "\x1b[1;31mZeroDivisionError\x1b[0m"],
        },
    }
    assert part_from_message(message) == {
        "type": "error",
        "ename": "ZeroDivisionError",
        "evalue": "division by zero",
        "traceback": "----> 1 1/0\nZeroDivisionError",
    }
    assert strip_ansi("\x1b]0;title\x07plain") == "plain"


def test_table_bundle_becomes_table_part() -> None:
    payload = {
        "columns": ["region", "total"],
        "dtypes": ["str", "float64"],
        "rows": [["north", 29.75]],
        "total_rows": 3,
    }
    message = {
        "msg_type": "execute_result",
        "content": {"data": {TABLE_MIME: payload, "text/plain": "region total"}, "metadata": {}},
    }
    assert part_from_message(message) == {
        "type": "table",
        "columns": ["region", "total"],
        "dtypes": ["str", "float64"],
        "rows": [["north", 29.75]],
        "total_rows": 3,
        "truncated": True,
        "text": "region total",
    }


def test_malformed_table_from_the_kernel_falls_back_to_text() -> None:
    message = {
        "msg_type": "display_data",
        "content": {"data": {TABLE_MIME: {"columns": "oops"}, "text/plain": "t"}, "metadata": {}},
    }
    assert part_from_message(message) == {"type": "text", "text": "t"}


def test_bookkeeping_messages_have_no_part() -> None:
    assert part_from_message({"msg_type": "status", "content": {"execution_state": "busy"}}) is None
    assert part_from_message({"msg_type": "execute_input", "content": {"code": "1"}}) is None
    assert part_from_message({"msg_type": "stream", "content": "not a dict"}) is None
