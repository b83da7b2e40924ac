"""Fuzz the HTTP API with schemathesis, driven by Hypothesis: the engine shared by the bounded
test (`test_fuzz_api.py`) and the long run (`bench/fuzz.py`).

Every operation of the app's OpenAPI schema gets valid (positive) and invalid (negative)
requests, plus valid ones aimed at real objects (seeded ids in the path or body), signed in
with a bearer token. Every answer must pass: no 5xx, a documented status code and content
type, a body matching the documented schema, and for every error the one error shape
`{"error": {"code", "message", "details"}}`. Failures are collected (one per operation and
kind, with a curl command to reproduce), not raised, so one run reports all of them.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import requests
import schemathesis
import uvicorn
from fastapi import FastAPI
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from chatdata.auth.service import create_user
from chatdata.config import Settings
from chatdata.runtime import Runtime

API = "/api/v1"
PASSWORD = "fuzzing-pass-42"
CSV = b"region,amount,day\nNorth,10,2024-01-01\nSouth,20,2024-01-02\nEast,7,2024-01-03\n"

# Operations not fuzzed, and why. Everything else is: the task events stream too (it ends
# with the task, and the seeded task has finished), the chat as JSON (no `Accept:
# text/event-stream`), and uploads of small generated bodies.
EXCLUDED: dict[str, str] = {}
# Destructive operations run last (children before parents), so that the seeded objects
# live for the others.
LAST = (
    f"DELETE {API}/datasets/{{dataset_id}}/share/",
    f"DELETE {API}/conversations/",
    f"DELETE {API}/reports/",
    f"DELETE {API}/teams/",
    "/leave",
    f"DELETE {API}/datasets/{{dataset_id}}",
)


def run_order(label: str) -> int:
    """0 for most operations; the destructive ones after, in the order of LAST."""
    return next((rank for rank, mark in enumerate(LAST, 1) if mark in label), 0)


def error_shape(ctx: Any, response: Any, case: Case) -> bool | None:
    """Every error answer carries the one error shape, never a stack trace."""
    if response.status_code < 400:
        return None
    try:
        body = response.json()
    except ValueError as exc:
        raise AssertionError(f"error {response.status_code} is not JSON") from exc
    error = body.get("error") if isinstance(body, dict) else None
    if set(body) != {"error"} or not isinstance(error, dict):
        raise AssertionError(f"error {response.status_code} is not in the error shape: {body}")
    if set(error) != {"code", "message", "details"}:
        raise AssertionError(f"error object has keys {sorted(error)}")
    if not isinstance(error["code"], str) or not isinstance(error["message"], str):
        raise AssertionError(f"error code/message are not strings: {error}")
    if "Traceback" in response.text:
        raise AssertionError("a stack trace reached the client")
    return None


CHECKS: list[Callable[..., bool | None]] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    error_shape,
]


@dataclass
class Target:
    """Where to send requests: the server, the bearer header, the seeded objects."""

    base_url: str
    headers: dict[str, str]
    ids: dict[str, str] = field(default_factory=dict)
    bodies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class Finding:
    """One kind of failure on one operation (the first example that showed it)."""

    operation: str
    title: str
    status: int
    detail: str


@dataclass
class FuzzReport:
    """What a run did and found."""

    operations: list[str] = field(default_factory=list)
    examples: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    by_operation: dict[str, Counter[int]] = field(default_factory=dict)
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        """A few lines for a person: counts, then each finding."""
        lines = [
            f"operations tested: {len(self.operations)}, examples run: {self.examples}, "
            f"failures found: {len(self.findings)} ({self.seconds:.1f} s)",
            "statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items())),
        ]
        for finding in self.findings.values():
            lines.append(f"- {finding.operation}: {finding.title} ({finding.status})")
            lines.append("  " + finding.detail.strip().replace("\n", "\n  "))
        return "\n".join(lines)

    def table(self) -> str:
        """Statuses per operation, one line each."""
        return "\n".join(
            f"{label:<70} " + " ".join(f"{k}:{v}" for k, v in sorted(counts.items()))
            for label, counts in self.by_operation.items()
        )


def fuzz_api(target: Target, max_examples: int, seed: int = 0) -> FuzzReport:
    """Fuzz every operation of the target's schema with up to `max_examples` each."""
    schema = schemathesis.openapi.from_url(target.base_url + "/openapi.json")
    report = FuzzReport()
    started = time.perf_counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    operations.sort(key=lambda op: run_order(op.label))
    with requests.Session() as session:
        for operation in operations:
            if operation.label in EXCLUDED:
                continue
            report.operations.append(operation.label)
            _fuzz_operation(operation, target, session, report, max_examples, seed)
    report.seconds = time.perf_counter() - started
    return report


def _strategy(operation: Any, target: Target) -> st.SearchStrategy[Case]:
    """Random valid and invalid cases, plus valid ones on real objects."""
    options = [
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    ]
    names = [p.name for p in operation.path_parameters]
    real = {name: target.ids[name] for name in names if name in target.ids}
    if real:
        options.append(operation.as_strategy(path_parameters=real))
    for body in target.bodies.get(operation.label, []):
        options.append(operation.as_strategy(path_parameters=real or None, body=body))
    return st.one_of(options)


def _fuzz_operation(
    operation: Any,
    target: Target,
    session: requests.Session,
    report: FuzzReport,
    max_examples: int,
    seed: int,
) -> None:
    def run(case: Case) -> None:
        report.examples += 1
        try:
            response = case.call(session=session, headers=target.headers, timeout=60)
        except requests.RequestException as exc:  # no answer at all (timeout, reset)
            detail = f"{exc!r}\n{case.as_curl_command()}"
            report.findings.setdefault(
                (operation.label, "No answer"), Finding(operation.label, "No answer", 0, detail)
            )
            return
        report.statuses[response.status_code] += 1
        report.by_operation.setdefault(operation.label, Counter())[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=target.headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                key = (operation.label, failure.title)
                report.findings.setdefault(
                    key,
                    Finding(operation.label, failure.title, response.status_code, str(group)),
                )

    settings = hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
        verbosity=hypothesis.Verbosity.quiet,
    )
    test = hypothesis.seed(seed)(settings(hypothesis.given(case=_strategy(operation, target))(run)))
    test()


# --- a server to fuzz, and objects for it to find ----------------------------------------
def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_in_thread(app: FastAPI, port: int) -> Iterator[str]:
    """Run the app (lifespan included) with uvicorn on loopback in a thread; its URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the fuzz server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(60)


def create_account(settings: Settings, email: str, role: str) -> None:
    """Create an account directly in the server's database (the CLI's way, for admins)."""

    async def create() -> None:
        runtime = Runtime.build(settings)
        try:
            async with runtime.sessions() as session:
                await create_user(
                    session, email=email, username="fuzzer", password=PASSWORD, role=role
                )
                await session.commit()
        finally:
            await runtime.close()

    asyncio.run(create())


def sign_in(base_url: str, email: str) -> dict[str, str]:
    """The Authorization header of an existing account."""
    body = {"email": email, "password": PASSWORD}
    tokens = requests.post(f"{base_url}{API}/auth/login", json=body, timeout=30)
    tokens.raise_for_status()
    return {"Authorization": f"Bearer {tokens.json()['access_token']}"}


def seed_objects(base_url: str, headers: dict[str, str]) -> Target:
    """A dataset, team, share, conversation (with a cell), task and report of the fuzzing
    account, so generated requests can reach real objects and not only 404."""
    http = requests.Session()
    http.headers.update(headers)

    def call(method: str, path: str, status: int, **kwargs: Any) -> Any:
        response = http.request(method, f"{base_url}{API}{path}", timeout=60, **kwargs)
        assert response.status_code == status, (method, path, response.text)
        return response.json() if response.content else None

    other = f"fuzz-other-{uuid.uuid4().hex[:8]}@example.com"
    bystander = call(
        "POST",
        "/auth/register",
        201,
        json={"email": other, "username": "other", "password": PASSWORD},
    )
    team = call("POST", "/teams", 201, json={"name": "Fuzz team"})
    call("POST", f"/teams/{team['id']}/members", 201, json={"email": other, "role": "member"})
    files = {"file": ("fuzz.csv", CSV, "text/csv")}
    dataset = call("POST", "/datasets/upload", 202, files=files, params={"team_id": team["id"]})
    _wait(lambda: call("GET", f"/datasets/{dataset['id']}", 200)["status"] != "processing")
    share = call(
        "POST", f"/datasets/{dataset['id']}/share", 201, json={"email": other, "role": "viewer"}
    )
    conversation = call("POST", "/conversations", 201, json={"dataset_id": dataset["id"]})
    code = {"code": "open('/work/out/fuzz.csv', 'w').write('a,b\\n1,2\\n')"}
    call("POST", f"/conversations/{conversation['id']}/execute", 200, json=code)
    task_body = {"task_type": "describe", "dataset_id": dataset["id"]}
    task = call("POST", "/tasks", 201, json=task_body)
    _wait(lambda: call("GET", f"/tasks/{task['id']}", 200)["status"] not in {"pending", "running"})
    report = call("POST", "/reports/generate", 201, json={"conversation_id": conversation["id"]})
    ids = {
        "dataset_id": dataset["id"],
        "team_id": team["id"],
        "member_id": bystander["id"],
        "user_id": bystander["id"],
        "share_id": share["id"],
        "conversation_id": conversation["id"],
        "name": "fuzz.csv",
        "task_id": task["id"],
        "report_id": report["id"],
    }
    bodies = {
        f"POST {API}/conversations": [{"dataset_id": dataset["id"]}],
        f"POST {API}/tasks": [task_body, {**task_body, "task_type": "correlation"}],
        f"POST {API}/reports/generate": [{"conversation_id": conversation["id"]}],
        f"POST {API}/datasets/{{dataset_id}}/share": [{"team_id": team["id"], "role": "viewer"}],
    }
    return Target(base_url, headers, ids, bodies)


def _wait(done: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "timed out waiting for the seeded objects"
        time.sleep(0.05)
