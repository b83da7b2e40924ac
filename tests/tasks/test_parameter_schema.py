"""The task types' parameter schemas mark the strings that name a dataset column (`x-column`),
so a client can offer the dataset's columns for exactly those fields."""

from __future__ import annotations

from typing import Any

from chatdata.tasks.registry import find_task_type


def _schema(name: str) -> dict[str, Any]:
    task_type = find_task_type(name)
    assert task_type is not None
    return task_type.parameters_schema()


def test_column_fields_and_column_lists_are_marked() -> None:
    describe = _schema("describe")["properties"]
    columns = next(s for s in describe["columns"]["anyOf"] if s.get("type") == "array")
    assert columns["items"]["x-column"] is True
    assert "x-column" not in describe["bins"]

    model = _schema("train_model")["properties"]
    assert model["target"]["x-column"] is True
    assert model["features"]["items"]["x-column"] is True
    assert "x-column" not in model["algorithm"]


def test_plain_strings_are_not_marked() -> None:
    ab_test = _schema("hypothesis_test")["$defs"]["ABTestParams"]["properties"]
    assert ab_test["group"]["x-column"] is True
    assert "x-column" not in ab_test["control"]  # a level of the group column, not a column
