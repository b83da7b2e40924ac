"""A real `chatdata serve` process killed with SIGKILL while work is in flight: a chat turn
running a long cell, a dataset processing, and an upload streaming in. Restarted on the same
data dir: nothing is `ready` that is not (the half upload left no dataset, the processing
one resumed to ready with every row), the conversation shows the turn as interrupted, and the
kernel the dead server ran died with it; the half upload's partial file, once stale, is
removed at start-up. One kill covers all of it (server starts are slow)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from chatdata.chat.recovery import INTERRUPTED_TEXT
from chatdata.storage.keys import TEMP_SUFFIX
from tests.datasets.api_helpers import upload_bytes, upload_ready, wait_for
from tests.faults.servers import ServeProcess, wait_until
from tests.llm.script import Reply, ToolCall
from tests.llm.scripted_server import ScriptedLLMServer
from tests.support import Account, register

API = "/api/v1"
MIB = 1 << 20
BOUNDARY = "chatdata-kill-boundary"
INGEST_ROWS = 150_000  # a few MB: still processing when the server dies
FAST_TASKS = {  # a lost ingest is noticed within seconds after the restart
    "CHATDATA_TASK_HEARTBEAT_SECONDS": "0.3",
    "CHATDATA_TASK_STALE_SECONDS": "2",
    "CHATDATA_TASK_REAPER_SECONDS": "0.5",
}


def serve_env(data_dir: Path, llm: ScriptedLLMServer) -> dict[str, str]:
    """The embedded mode on `data_dir` with the scripted model (and no other CHATDATA_*)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATDATA_")}
    env.update(
        CHATDATA_DATA_DIR=str(data_dir),
        CHATDATA_LOG_LEVEL="WARNING",
        CHATDATA_KERNEL_POOL_SIZE="0",
        CHATDATA_LLM_PRESET="openai",
        CHATDATA_LLM_BASE_URL=llm.base_url,
        CHATDATA_LLM_API_KEY="sk-test-kill",
        CHATDATA_LLM_MODEL="scripted-model",
        CHATDATA_LLM_MAX_RETRIES="0",
        **FAST_TASKS,
    )
    return env


def client_of(server: ServeProcess) -> httpx.AsyncClient:
    """An HTTP client on the server's root URL (the API helpers add `/api/v1`)."""
    return httpx.AsyncClient(base_url=server.url.removesuffix(API), timeout=60)


def csv_rows(count: int) -> bytes:
    """`count` CSV rows of three columns, header first."""
    lines = [f"{i},region-{i % 7},{i * 0.25}" for i in range(count)]
    return ("id,region,amount\n" + "\n".join(lines) + "\n").encode()


@pytest.fixture
def reap_leftovers() -> Iterator[list[psutil.Process]]:
    """Processes a test saw under a server it killed; any still alive are killed after."""
    seen: list[psutil.Process] = []
    yield seen
    for process in seen:
        with contextlib.suppress(psutil.Error):
            process.kill()


@pytest.fixture
async def server(tmp_path: Path, llm_server: ScriptedLLMServer) -> AsyncIterator[ServeProcess]:
    """A started server on a fresh data dir; stopped at the end if it runs."""
    process = ServeProcess(serve_env(tmp_path / "data", llm_server), tmp_path / "server.log")
    await asyncio.to_thread(process.start)
    yield process
    await asyncio.to_thread(process.stop)


async def start_conversation(client: httpx.AsyncClient, owner: Account) -> tuple[str, str]:
    """A ready dataset and a conversation about it; their ids."""
    dataset = await upload_ready(client, owner, csv_rows(20), "small.csv")
    created = await client.post(
        f"{API}/conversations", json={"dataset_id": dataset["id"]}, headers=owner.headers
    )
    assert created.status_code == 201, created.text
    return str(dataset["id"]), str(created.json()["id"])


async def chat_until_code_runs(
    client: httpx.AsyncClient, owner: Account, conversation_id: str
) -> None:
    """Start a streamed turn and return once its (long) cell was sent to the kernel."""
    async with client.stream(
        "POST",
        f"{API}/conversations/{conversation_id}/chat",
        json={"message": "Take your time"},
        headers={**owner.headers, "Accept": "text/event-stream"},
    ) as response:
        assert response.status_code == 200
        async for line in response.aiter_lines():
            if line.strip() == "event: code":
                return
    raise AssertionError("the turn ended before its cell ran")


async def upload_processing(client: httpx.AsyncClient, owner: Account) -> str:
    """Upload a file big enough to take a while to ingest; its id (status processing)."""
    accepted = await upload_bytes(client, owner, csv_rows(INGEST_ROWS), "big.csv")
    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["status"] == "processing"
    return str(accepted.json()["id"])


async def wait_ingest_running(client: httpx.AsyncClient, owner: Account, dataset_id: str) -> None:
    """Wait until the dataset's ingest task runs (so the kill interrupts it)."""
    for _ in range(600):
        listed = await client.get(f"{API}/tasks", headers=owner.headers)
        tasks = [t for t in listed.json()["items"] if t["dataset_id"] == dataset_id]
        if tasks and tasks[0]["status"] == "running":
            return
        assert not tasks or tasks[0]["status"] == "pending", tasks
        await asyncio.sleep(0.02)
    raise AssertionError("the ingest did not start")


async def upload_killed_midway(
    client: httpx.AsyncClient, owner: Account, server: ServeProcess
) -> str:
    """Stream a 64 MiB upload; after 12 MiB went out, upload a file to process and SIGKILL
    the server right after it answered. The processing dataset's id."""
    processing: list[str] = []

    async def body() -> AsyncIterator[bytes]:
        yield (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            'filename="half.csv"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        chunk = csv_rows(60_000)[:MIB]
        for sent in range(64):
            if sent == 12:
                processing.append(await upload_processing(client, owner))
                await wait_ingest_running(client, owner, processing[0])
                await asyncio.to_thread(server.kill)
            yield chunk

    headers = {**owner.headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    with pytest.raises(httpx.TransportError):
        await client.post(f"{API}/datasets/upload", content=body(), headers=headers)
    return processing[0]


async def assert_datasets_after_restart(
    client: httpx.AsyncClient, owner: Account, small_id: str, processing_id: str
) -> None:
    """The half upload is absent; the processing dataset resumed to ready with every row."""
    detail = await wait_for(client, owner, processing_id, timeout=120)
    assert (detail["status"], detail["row_count"]) == ("ready", INGEST_ROWS), detail
    listed = await client.get(f"{API}/datasets", headers=owner.headers)
    assert listed.status_code == 200, listed.text
    items = {d["id"]: d["status"] for d in listed.json()["items"]}
    assert items == {small_id: "ready", processing_id: "ready"}
    sample = await client.get(
        f"{API}/datasets/{processing_id}/sample", params={"n": 3}, headers=owner.headers
    )
    assert sample.status_code == 200, sample.text
    tasks = (await client.get(f"{API}/tasks", headers=owner.headers)).json()["items"]
    [ingest] = [t for t in tasks if t["dataset_id"] == processing_id]
    assert (ingest["status"], ingest["attempts"]) == ("succeeded", 2)  # re-run after the kill


async def assert_turn_interrupted(
    client: httpx.AsyncClient, owner: Account, conversation_id: str
) -> None:
    """The conversation shows the user's question and the interrupted answer."""
    history = await client.get(f"{API}/conversations/{conversation_id}", headers=owner.headers)
    assert history.status_code == 200, history.text
    messages = history.json()["messages"]
    assert [(m["role"], m["status"]) for m in messages] == [
        ("user", "complete"),
        ("assistant", "interrupted"),
    ], messages
    assert messages[1]["content"] == INTERRUPTED_TEXT


def partial_files(server: ServeProcess) -> list[Path]:
    """In-progress upload files in the server's local store."""
    files = Path(server.env["CHATDATA_DATA_DIR"]) / "files"
    return [p for p in files.rglob(f"*{TEMP_SUFFIX}") if p.is_file()]


def age_partial_files(server: ServeProcess) -> None:
    """The killed upload left one partial file; make it look two days old."""
    [partial] = partial_files(server)
    old = time.time() - 2 * 24 * 3600
    os.utime(partial, (old, old))


def all_exited(processes: list[psutil.Process]) -> bool:
    """Whether none of `processes` still runs (zombies count as gone)."""
    return not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in processes)


async def test_server_killed_with_work_in_flight(
    server: ServeProcess, llm_server: ScriptedLLMServer, reap_leftovers: list[psutil.Process]
) -> None:
    llm_server.script(Reply(tool_calls=[ToolCall.run_python("import time\ntime.sleep(60)")]))
    async with client_of(server) as client:
        owner = await register(client, "kill-9")
        small_id, conversation_id = await start_conversation(client, owner)
        await chat_until_code_runs(client, owner, conversation_id)
        await asyncio.to_thread(
            wait_until, lambda: bool(server.descendants()), 60, "the kernel starting"
        )
        reap_leftovers.extend(server.descendants())
        processing_id = await upload_killed_midway(client, owner, server)
    # The kernel (and its sandbox) die with the server: nothing keeps sleeping.
    await asyncio.to_thread(
        wait_until, lambda: all_exited(reap_leftovers), 15, "kernels exiting with the server"
    )
    age_partial_files(server)
    llm_server.script(Reply(text="Back again."))
    await asyncio.to_thread(server.start)
    await asyncio.to_thread(
        wait_until, lambda: not partial_files(server), 15, "the partial upload file removed"
    )
    async with client_of(server) as client:
        await assert_turn_interrupted(client, owner, conversation_id)
        await assert_datasets_after_restart(client, owner, small_id, processing_id)
        again = await client.post(
            f"{API}/conversations/{conversation_id}/chat",
            json={"message": "Try again"},
            headers=owner.headers,
        )
        assert again.status_code == 200, again.text
        assert (again.json()["status"], again.json()["content"]) == ("complete", "Back again.")
