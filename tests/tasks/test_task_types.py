"""Every task type end to end through the API, on the in-process runner and on Celery.

The numbers each task returns are checked against SciPy/NumPy/statsmodels/scikit-learn
called directly (see `cases.py`); cleaning is checked against the expected cleaned rows and
the new version's lineage; ingest is the upload path of every dataset used here.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from tests.tasks.cases import CASES, Case
from tests.tasks.helpers import API, Stack, run_task, submit, upload_dirty, wait_task

CLEANING_STEPS: list[dict[str, Any]] = [
    {"op": "deduplicate"},
    {"op": "normalize_strings", "columns": ["city"], "case": "lower"},
    {"op": "fill_missing", "column": "amount", "strategy": "median"},
    {"op": "drop_missing", "columns": ["city"]},
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_task_type_numbers_match_independent_computation(stack: Stack, case: Case) -> None:
    result = await run_task(stack, case.task_type, case.dataset, case.parameters)
    assert result["summary"] and result["dataset_version"] == 1
    case.check(result, stack.frames[case.dataset])


async def test_cleaning_pipeline_creates_a_version_with_lineage(stack: Stack) -> None:
    dataset_id = await upload_dirty(stack)
    result = await run_task(stack, "cleaning_pipeline", dataset_id, {"steps": CLEANING_STEPS})
    assert result["new_version"] == 2 and result["dataset_version"] == 1
    assert (result["data"]["rows_before"], result["data"]["rows_after"]) == (8, 6)
    headers = stack.owner.headers
    versions = await stack.client.get(f"{API}/datasets/{dataset_id}/versions", headers=headers)
    by_number = {v["number"]: v for v in versions.json()}
    assert sorted(by_number) == [1, 2]
    cleaned = by_number[2]
    assert cleaned["operation"] == "cleaning" and cleaned["parent_id"] == by_number[1]["id"]
    assert [s["op"] for s in cleaned["lineage"]["steps"]] == [s["op"] for s in CLEANING_STEPS]
    assert cleaned["row_count"] == 6
    sample = await stack.client.get(
        f"{API}/datasets/{dataset_id}/sample",
        params={"n": 100, "version": 2, "unmask": "true"},
        headers=headers,
    )
    rows = pl.DataFrame(sample.json()["rows"]).select("id", "city", "amount")
    # Independently: drop the duplicate row 2, trim+lowercase, median of the rest = 30, drop 4.
    expected = pl.DataFrame(
        {
            "id": [1, 2, 3, 5, 6, 7],
            "city": ["paris", "berlin", "rome", "paris", "oslo", "oslo"],
            "amount": [10.0, 30.0, 30.0, 30.0, 1000.0, 20.0],
        }
    )
    assert rows.sort("id").to_dicts() == expected.to_dicts()


async def test_ingest_of_an_upload_is_a_task(stack: Stack) -> None:
    dataset_id = stack.datasets["analysis"]
    listed = await stack.client.get(
        f"{API}/tasks", params={"task_type": "ingest"}, headers=stack.owner.headers
    )
    ingests = [t for t in listed.json()["items"] if t["dataset_id"] == dataset_id]
    assert len(ingests) == 1
    task = await wait_task(stack, ingests[0]["id"])
    assert task["status"] == "succeeded" and task["attempts"] == 1
    result = await stack.client.get(f"{API}/tasks/{task['id']}/result", headers=stack.owner.headers)
    assert result.json()["result"] == {
        "dataset_status": "ready",
        "row_count": 300,
        "column_count": 13,
    }


async def test_failing_task_reports_the_reason(stack: Stack) -> None:
    task = await submit(
        stack,
        "hypothesis_test",
        "analysis",
        {
            "test": "ab_test",
            "group": "group",
            "metric": "converted",
            "control": "A",
            "treatment": "nobody",
        },
    )
    done = await wait_task(stack, task["id"])
    assert done["status"] == "failed"
    assert "nobody" in done["error"]
    result = await stack.client.get(f"{API}/tasks/{task['id']}/result", headers=stack.owner.headers)
    assert result.status_code == 409 and result.json()["error"]["code"] == "task_failed"
