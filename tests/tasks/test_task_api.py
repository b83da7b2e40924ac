"""The tasks API on the in-process runner: registry, validation, access, listing, results,
SSE events, idempotency and cancellation."""

from __future__ import annotations

import json
from typing import Any

from tests.support import assert_error, register
from tests.tasks.helpers import API, Stack, get_task, submit, wait_task

PUBLIC_TYPES = {
    "cleaning_pipeline",
    "clustering",
    "correlation",
    "decompose",
    "describe",
    "forecast",
    "hypothesis_test",
    "regression",
    "train_model",
}


async def test_registry_lists_types_with_parameter_schemas(inprocess_stack: Stack) -> None:
    response = await inprocess_stack.client.get(
        f"{API}/tasks/types", headers=inprocess_stack.owner.headers
    )
    assert response.status_code == 200
    types = {t["name"]: t for t in response.json()}
    assert set(types) >= PUBLIC_TYPES and "ingest" not in types
    assert types["cleaning_pipeline"]["dataset_access"] == "edit"
    assert types["describe"]["dataset_access"] == "read"
    assert "bins" in types["describe"]["parameters_schema"]["properties"]
    tests = types["hypothesis_test"]["parameters_schema"]["discriminator"]["mapping"]
    assert set(tests) == {
        "ttest",
        "mann_whitney",
        "anova",
        "kruskal",
        "chi_square",
        "normality",
        "ab_test",
    }


def details(error: dict[str, object]) -> dict[str, Any]:
    """The `details` object of an error body."""
    value = error["details"]
    assert isinstance(value, dict)
    return value


async def _post(stack: Stack, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return await stack.client.post(
        f"{API}/tasks", json=body, headers=headers or stack.owner.headers
    )


async def test_invalid_requests_are_422_with_details(inprocess_stack: Stack) -> None:
    stack = inprocess_stack
    dataset_id = stack.datasets["analysis"]
    unknown = await _post(stack, {"task_type": "nope", "dataset_id": dataset_id})
    assert "describe" in details(assert_error(unknown, 422, "validation_error"))["available"]
    internal = await _post(stack, {"task_type": "ingest", "dataset_id": dataset_id})
    assert_error(internal, 422, "validation_error")
    bad = await _post(
        stack,
        {"task_type": "describe", "dataset_id": dataset_id, "parameters": {"bins": 1, "x": 1}},
    )
    error = assert_error(bad, 422, "validation_error")
    assert "bins" in str(error["message"]) and "x" in str(error["message"])
    no_test = await _post(
        stack,
        {"task_type": "hypothesis_test", "dataset_id": dataset_id, "parameters": {"test": "z"}},
    )
    assert_error(no_test, 422, "validation_error")
    incomplete = await _post(
        stack,
        {
            "task_type": "hypothesis_test",
            "dataset_id": dataset_id,
            "parameters": {"test": "ttest", "kind": "paired", "before": "before"},
        },
    )
    assert "after" in str(assert_error(incomplete, 422)["message"])
    column = await _post(
        stack,
        {
            "task_type": "regression",
            "dataset_id": dataset_id,
            "parameters": {"model": "linear", "target": "y", "features": ["x1", "ghost"]},
        },
    )
    assert details(assert_error(column, 422))["missing"] == ["ghost"]
    steps = await _post(
        stack,
        {
            "task_type": "cleaning_pipeline",
            "dataset_id": dataset_id,
            "parameters": {"steps": [{"op": "explode"}]},
        },
    )
    assert "explode" in str(assert_error(steps, 422)["message"])


async def test_dataset_access_is_checked(inprocess_stack: Stack) -> None:
    stack = inprocess_stack
    stranger = await register(stack.client, "stranger")
    describe = {"task_type": "describe", "dataset_id": stack.datasets["analysis"]}
    assert_error(await _post(stack, describe, stranger.headers), 404, "not_found")
    share = await stack.client.post(
        f"{API}/datasets/{stack.datasets['analysis']}/share",
        json={"email": stranger.email, "role": "viewer"},
        headers=stack.owner.headers,
    )
    assert share.status_code == 201, share.text
    assert (await _post(stack, describe, stranger.headers)).status_code == 201
    cleaning = {
        **describe,
        "task_type": "cleaning_pipeline",
        "parameters": {"steps": [{"op": "deduplicate"}]},
    }
    assert_error(await _post(stack, cleaning, stranger.headers), 403, "forbidden")


async def test_stranger_gets_404_on_every_task_endpoint(inprocess_stack: Stack) -> None:
    stack = inprocess_stack
    task = await submit(stack, "test_sleep", "analysis", {"seconds": 0.2})
    stranger = await register(stack.client, "stranger")
    base = f"{API}/tasks/{task['id']}"
    for method, url in [
        ("GET", base),
        ("GET", f"{base}/result"),
        ("GET", f"{base}/events"),
        ("POST", f"{base}/cancel"),
    ]:
        response = await stack.client.request(method, url, headers=stranger.headers)
        assert_error(response, 404, "not_found")
    mine = await stack.client.get(f"{API}/tasks", headers=stranger.headers)
    assert mine.json()["total"] == 0
    assert (await wait_task(stack, task["id"]))["status"] == "succeeded"


async def test_list_filters_and_paginates(inprocess_stack: Stack) -> None:
    stack = inprocess_stack
    user = await register(stack.client, "lister")
    share = await stack.client.post(
        f"{API}/datasets/{stack.datasets['analysis']}/share",
        json={"email": user.email, "role": "viewer"},
        headers=stack.owner.headers,
    )
    assert share.status_code == 201, share.text
    ids = []
    for seconds in (0.0, 0.0, 0.0):
        task = await submit(stack, "test_sleep", "analysis", {"seconds": seconds}, account=user)
        ids.append(task["id"])
    failing = await submit(
        stack, "test_sleep", "analysis", {"seconds": 0, "fail_with": "boom"}, account=user
    )
    for task_id in [*ids, failing["id"]]:
        await wait_task(stack, task_id)
    page = await stack.client.get(
        f"{API}/tasks", params={"limit": 2, "offset": 0}, headers=user.headers
    )
    body = page.json()
    assert body["total"] == 4 and len(body["items"]) == 2 and body["limit"] == 2
    second = await stack.client.get(
        f"{API}/tasks", params={"limit": 2, "offset": 2}, headers=user.headers
    )
    listed = [t["id"] for t in body["items"] + second.json()["items"]]
    assert sorted(listed) == sorted([*ids, failing["id"]])
    failed = await stack.client.get(
        f"{API}/tasks", params={"status": "failed"}, headers=user.headers
    )
    assert [t["id"] for t in failed.json()["items"]] == [failing["id"]]
    assert failed.json()["items"][0]["error"] == "boom"
    by_type = await stack.client.get(
        f"{API}/tasks", params={"task_type": "describe"}, headers=user.headers
    )
    assert by_type.json()["total"] == 0


async def test_status_result_and_events(inprocess_stack: Stack) -> None:
    stack = inprocess_stack
    task = await submit(stack, "test_sleep", "analysis", {"seconds": 1.0, "steps": 5})
    assert task["status"] in ("pending", "running") and task["progress"] == 0
    running = await wait_task(stack, task["id"], lambda t: t["progress"] >= 20)
    assert running["status"] == "running" and running["started_at"] is not None
    assert running["progress_message"].startswith("step ")
    early = await stack.client.get(f"{API}/tasks/{task['id']}/result", headers=stack.owner.headers)
    assert details(assert_error(early, 409, "task_not_finished"))["status"] == "running"
    stream = await stack.client.get(f"{API}/tasks/{task['id']}/events", headers=stack.owner.headers)
    assert stream.headers["content-type"].startswith("text/event-stream")
    events = _parse_sse(stream.text)
    names = [name for name, _ in events]
    assert names[-1] == "done" and set(names[:-1]) == {"progress"} and len(names) >= 3
    progress = [data["progress"] for name, data in events if name == "progress"]
    assert progress == sorted(progress) and progress[-1] == 100
    done = events[-1][1]
    assert done["status"] == "succeeded" and done["duration_seconds"] >= 0.9
    result = await stack.client.get(f"{API}/tasks/{task['id']}/result", headers=stack.owner.headers)
    assert result.status_code == 200
    assert result.json()["result"]["slept"] == 1.0 and result.json()["result"]["attempt"] == 1


def _parse_sse(text: str) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in lines:
            events.append((lines["event"], json.loads(lines["data"])))
    return events


async def test_same_idempotency_key_returns_the_same_task(inprocess_stack: Stack) -> None:
    stack = inprocess_stack
    body = {
        "task_type": "describe",
        "dataset_id": stack.datasets["analysis"],
        "parameters": {"columns": ["x1"]},
        "idempotency_key": "describe-x1-once",
    }
    first = await _post(stack, body)
    again = await _post(stack, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["idempotency_key"] == "describe-x1-once"
    other = await _post(stack, {**body, "parameters": {"columns": ["x2"]}})
    assert_error(other, 409, "idempotency_key_reused")
    someone = await register(stack.client, "other")
    theirs = await stack.client.post(
        f"{API}/tasks",
        json={**body, "dataset_id": stack.datasets["analysis"]},
        headers=someone.headers,
    )
    assert_error(theirs, 404)  # keys are per user; the dataset is not theirs either
    listed = await stack.client.get(
        f"{API}/tasks", params={"task_type": "describe"}, headers=stack.owner.headers
    )
    keyed = [t for t in listed.json()["items"] if t["idempotency_key"] == "describe-x1-once"]
    assert len(keyed) == 1


async def test_cancel_pending_and_running_tasks(inprocess_stack: Stack) -> None:
    stack = inprocess_stack
    slow = {"seconds": 30, "steps": 300}
    running = [await submit(stack, "test_sleep", "analysis", slow) for _ in range(2)]
    for task in running:  # both workers busy
        await wait_task(stack, task["id"], lambda t: t["status"] == "running")
    queued = await submit(stack, "test_sleep", "analysis", slow)
    assert (await get_task(stack, queued["id"]))["status"] == "pending"
    headers = stack.owner.headers
    cancelled = await stack.client.post(f"{API}/tasks/{queued['id']}/cancel", headers=headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    for task in running:
        response = await stack.client.post(f"{API}/tasks/{task['id']}/cancel", headers=headers)
        assert response.json()["cancel_requested"] is True
    for task in running:
        done = await wait_task(stack, task["id"], timeout=5)
        assert done["status"] == "cancelled" and done["duration_seconds"] < 10
    again = await stack.client.post(f"{API}/tasks/{queued['id']}/cancel", headers=headers)
    assert_error(again, 409, "task_finished")
    result = await stack.client.get(f"{API}/tasks/{queued['id']}/result", headers=headers)
    assert_error(result, 409, "task_cancelled")
    assert (await get_task(stack, queued["id"]))["started_at"] is None
