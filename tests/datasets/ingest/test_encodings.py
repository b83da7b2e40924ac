"""Text in each supported encoding arrives as the same UTF-8 values."""

from __future__ import annotations

import polars as pl
import pytest

from tests.datasets.ingest.conftest import IngestRun

CHINESE = [
    ("\u5f20\u4f1f", "\u5317\u4eac\u5e02\u6d77\u6dc0\u533a"),
    ("\u738b\u82b3", "\u4e0a\u6d77\u5e02\u6d66\u4e1c\u65b0\u533a"),
]
TRADITIONAL = [
    ("\u9673\u7f8e\u73b2", "\u81fa\u5317\u5e02\u5927\u5b89\u5340"),
    ("\u6797\u5fd7\u660e", "\u9ad8\u96c4\u5e02\u82d3\u96c5\u5340"),
]
JAPANESE = [
    ("\u5c71\u7530\u592a\u90ce", "\u6771\u4eac\u90fd\u65b0\u5bbf\u533a"),
    ("\u9234\u6728\u82b1\u5b50", "\u5927\u962a\u5e9c\u5927\u962a\u5e02"),
]
WESTERN = [
    ("J\u00e9r\u00f4me Lef\u00e8vre", "Besan\u00e7on \u2013 c\u00f4t\u00e9 \u20ac"),
    ("M\u00fcller", "Stra\u00dfe 5"),
]


def _table(header: tuple[str, str, str], people: list[tuple[str, str]], copies: int) -> str:
    rows = [",".join(header)]
    for index in range(copies):
        name, city = people[index % len(people)]
        rows.append(f"{index},{name},{city}")
    return "\r\n".join(rows) + "\r\n"


@pytest.mark.parametrize(
    ("codec", "reported", "header", "people"),
    [
        ("utf-8", "utf-8", ("id", "\u59d3\u540d", "\u57ce\u5e02"), CHINESE),
        ("utf-8-sig", "utf-8-sig", ("id", "\u59d3\u540d", "\u57ce\u5e02"), CHINESE),
        ("utf-16", "utf-16-le", ("id", "\u540d\u524d", "\u90fd\u5e02"), JAPANESE),
        ("utf-16-be", "utf-16-be", ("id", "name", "city"), WESTERN),
        ("utf-16-le", "utf-16-le", ("id", "name", "city"), WESTERN),
        ("gb18030", "gb18030", ("id", "\u59d3\u540d", "\u57ce\u5e02"), CHINESE),
        ("gbk", "gb18030", ("id", "\u59d3\u540d", "\u57ce\u5e02"), CHINESE),
        ("big5", "big5", ("id", "\u59d3\u540d", "\u57ce\u5e02"), TRADITIONAL),
        ("shift_jis", "shift_jis", ("id", "\u540d\u524d", "\u90fd\u5e02"), JAPANESE),
        ("cp1252", "cp1252", ("id", "nom", "ville"), WESTERN),
    ],
)
def test_encodings_are_detected_and_decoded(
    ingest: IngestRun,
    codec: str,
    reported: str,
    header: tuple[str, str, str],
    people: list[tuple[str, str]],
) -> None:
    text = _table(header, people, copies=40)
    data = text.encode(codec)  # utf-16-be and utf-16-le: no BOM
    if codec == "utf-16-be":
        data = "\ufeff".encode("utf-16-be") + data
    done = ingest(data, name="table.csv")
    assert done.result.encoding == reported
    assert done.result.columns == list(header)
    assert done.result.rows == 40
    assert done.frame.schema[header[0]] == pl.Int64
    assert done.frame.row(0) == (0, *people[0])
    assert done.frame.row(39) == (39, *people[1])
    assert done.result.warnings == []


def test_latin1_only_bytes_fall_back_to_latin1(ingest: IngestRun) -> None:
    data = "id,name\n1,caf\u00e9\n2,\u0081x\n".encode("latin-1")
    done = ingest(data)
    assert done.result.encoding == "latin-1"
    assert done.frame["name"].to_list() == ["caf\u00e9", "\u0081x"]


def test_bytes_invalid_in_utf8_after_a_clean_head_are_replaced(ingest: IngestRun) -> None:
    head = "id,name\n" + "".join(f"{i},ascii\n" for i in range(70_000))
    data = head.encode() + b"70000,caf\xe9\n"
    done = ingest(data)
    assert done.result.encoding == "utf-8"
    assert done.frame["name"][-1] == "caf\ufffd"
    assert "Some bytes were not valid UTF-8 and were replaced with \ufffd." in done.result.warnings
