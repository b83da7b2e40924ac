"""The chat API through the real openai client against the scripted LLM server, with code
running in the real sandbox."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import nbformat
from fastapi import FastAPI
from httpx import AsyncClient

from chatdata.datasets.keys import version_key
from chatdata.sandbox.limits import DatasetMount
from tests.chat.conftest import API_KEY, parse_sse
from tests.datasets.api_helpers import API, upload_ready
from tests.llm.script import Reply, ToolCall
from tests.llm.scripted_server import ScriptedLLMServer
from tests.support import Account, assert_error, register

CSV = b"region,amount,units\nnorth,10.5,1\nsouth,20.0,2\nnorth,30.5,3\neast,,4\nsouth,40.0,5\n"


async def start(
    client: AsyncClient, prefix: str = "analyst"
) -> tuple[Account, dict[str, Any], str]:
    account = await register(client, prefix)
    dataset = await upload_ready(client, account, CSV, "sales.csv")
    created = await client.post(
        f"{API}/conversations", json={"dataset_id": dataset["id"]}, headers=account.headers
    )
    assert created.status_code == 201, created.text
    return account, dataset, created.json()["id"]


async def chat(
    client: AsyncClient, account: Account, conversation_id: str, message: str, **params: Any
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/conversations/{conversation_id}/chat",
        json={"message": message},
        params=params,
        headers=account.headers,
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_tool_loop_with_error_and_self_correction(
    chat_client: AsyncClient, llm_server: ScriptedLLMServer
) -> None:
    account, _, conversation_id = await start(chat_client)
    llm_server.script(
        Reply(tool_calls=[ToolCall.run_python("df['amountt'].sum()")]),
        Reply(
            tool_calls=[ToolCall.run_python("total = df['amount'].sum()\nprint(round(total, 2))")]
        ),
        Reply(text="The total amount is 101.0."),
    )
    message = await chat(chat_client, account, conversation_id, "What is the total amount?")
    assert message["role"] == "assistant" and message["status"] == "complete"
    assert message["content"] == "The total amount is 101.0."
    cells = message["code_result"]["cells"]
    assert [c["status"] for c in cells] == ["error", "ok"]
    assert cells[0]["outputs"][-1]["ename"] == "KeyError"
    assert any(p.get("text", "").strip() == "101.0" for p in cells[1]["outputs"])
    requests = llm_server.requests
    assert len(requests) == 3
    first = requests[0].body
    assert first["model"] == "scripted-model"
    assert {t["function"]["name"] for t in first["tools"]} == {
        "run_python",
        "propose_dataset_version",
    }
    system = first["messages"][0]["content"]
    assert "region" in system and "amount" in system
    tool_messages = [m for m in requests[1].body["messages"] if m["role"] == "tool"]
    assert "KeyError" in tool_messages[-1]["content"]
    tool_messages = [m for m in requests[2].body["messages"] if m["role"] == "tool"]
    assert "101.0" in tool_messages[-1]["content"]
    assert requests[0].headers.get("authorization") == f"Bearer {API_KEY}"
    # The conversation shows exactly what was seen.
    history = (
        await chat_client.get(f"{API}/conversations/{conversation_id}", headers=account.headers)
    ).json()
    assert [m["role"] for m in history["messages"]] == ["user", "assistant"]
    assert history["messages"][1]["code_result"]["cells"] == cells


async def test_streaming_event_order(
    chat_client: AsyncClient, llm_server: ScriptedLLMServer
) -> None:
    account, _, conversation_id = await start(chat_client)
    llm_server.script(
        Reply(text="Let me count.", tool_calls=[ToolCall.run_python("len(df)")], chunks=2),
        Reply(text="There are 5 rows.", chunks=3),
    )
    response = await chat_client.post(
        f"{API}/conversations/{conversation_id}/chat",
        json={"message": "How many rows?"},
        headers={**account.headers, "Accept": "text/event-stream"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(response.text)
    kinds = [k for k, _ in events]
    assert kinds[0] == "message" and kinds[-1] == "done"
    assert kinds.index("code") < kinds.index("output") < len(kinds) - 1
    first_tokens = kinds[1 : kinds.index("code")]
    assert first_tokens == ["token", "token"]
    after = kinds[kinds.index("output") + 1 : -1]
    assert after == ["token", "token", "token"]
    text = "".join(d["text"] for k, d in events if k == "token")
    assert text == "Let me count.There are 5 rows."
    output = next(d for k, d in events if k == "output")
    assert output["status"] == "ok" and any(p.get("text") == "5" for p in output["outputs"])
    done = events[-1][1]["message"]
    assert done["content"] == "There are 5 rows." and done["status"] == "complete"


async def test_disconnect_mid_stream_keeps_the_turn(
    chat_client: AsyncClient, chat_app: FastAPI, llm_server: ScriptedLLMServer
) -> None:
    account, _, conversation_id = await start(chat_client)
    llm_server.script(
        Reply(tool_calls=[ToolCall.run_python("import time; time.sleep(0.5); 1 + 1")]),
        Reply(text="Two.", delay_first=0.3),
    )
    async with chat_client.stream(
        "POST",
        f"{API}/conversations/{conversation_id}/chat",
        json={"message": "one plus one?"},
        headers={**account.headers, "Accept": "text/event-stream"},
    ) as response:
        async for line in response.aiter_lines():
            if line.startswith("event: message"):
                break  # hang up after the first event
    await chat_app.state.runtime.chat.wait_idle()
    history = (
        await chat_client.get(f"{API}/conversations/{conversation_id}", headers=account.headers)
    ).json()
    assistant = history["messages"][-1]
    assert assistant["status"] == "complete" and assistant["content"] == "Two."
    assert assistant["code_result"]["cells"][0]["status"] == "ok"


async def test_proposal_accept_and_reject(
    chat_client: AsyncClient, llm_server: ScriptedLLMServer
) -> None:
    account, dataset, conversation_id = await start(chat_client)
    write = (
        "clean = df.dropna()\nclean.to_parquet('/work/out/clean.parquet', index=False)\nlen(clean)"
    )
    propose = ToolCall(
        name="propose_dataset_version",
        arguments=json.dumps(
            {
                "path": "/work/out/clean.parquet",
                "title": "Drop rows with missing amount",
                "description": "Removed 1 row with no amount.",
            }
        ),
    )
    llm_server.script(
        Reply(tool_calls=[ToolCall.run_python(write)]),
        Reply(tool_calls=[propose]),
        Reply(text="I proposed a cleaned version without the row that has no amount."),
    )
    message = await chat(chat_client, account, conversation_id, "Drop rows with missing values")
    [proposal] = message["code_result"]["proposals"]
    assert proposal["status"] == "pending" and proposal["title"] == "Drop rows with missing amount"
    versions = (
        await chat_client.get(f"{API}/datasets/{dataset['id']}/versions", headers=account.headers)
    ).json()
    assert [v["number"] for v in versions] == [1]  # nothing applied yet
    accepted = await chat_client.post(
        f"{API}/conversations/{conversation_id}/proposals/{proposal['id']}/accept",
        headers=account.headers,
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    versions = (
        await chat_client.get(f"{API}/datasets/{dataset['id']}/versions", headers=account.headers)
    ).json()
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["operation"] == "ai_proposal" and versions[0]["row_count"] == 4
    assert versions[0]["parent_id"] == versions[1]["id"]
    assert versions[0]["lineage"]["description"] == "Removed 1 row with no amount."
    again = await chat_client.post(
        f"{API}/conversations/{conversation_id}/proposals/{proposal['id']}/reject",
        headers=account.headers,
    )
    assert_error(again, 409)
    # The conversation continues on the new version.
    execute = await chat_client.post(
        f"{API}/conversations/{conversation_id}/execute",
        json={"code": "len(df)"},
        headers=account.headers,
    )
    assert any(p.get("text") == "4" for p in execute.json()["outputs"])
    # A second proposal, rejected, creates nothing.
    llm_server.script(
        Reply(tool_calls=[ToolCall.run_python("df.head(2).to_parquet('/work/out/two.parquet')")]),
        Reply(
            tool_calls=[
                ToolCall(
                    name="propose_dataset_version",
                    arguments=json.dumps(
                        {
                            "path": "/work/out/two.parquet",
                            "title": "Two rows",
                            "description": "Keep two rows.",
                        }
                    ),
                )
            ]
        ),
        Reply(text="Proposed."),
    )
    message = await chat(chat_client, account, conversation_id, "Keep only two rows")
    [second] = message["code_result"]["proposals"]
    rejected = await chat_client.post(
        f"{API}/conversations/{conversation_id}/proposals/{second['id']}/reject",
        headers=account.headers,
    )
    assert rejected.json()["status"] == "rejected"
    versions = (
        await chat_client.get(f"{API}/datasets/{dataset['id']}/versions", headers=account.headers)
    ).json()
    assert len(versions) == 2


async def test_result_cache(chat_client: AsyncClient, llm_server: ScriptedLLMServer) -> None:
    account, dataset, conversation_id = await start(chat_client)
    second_id = (
        await chat_client.post(
            f"{API}/conversations", json={"dataset_id": dataset["id"]}, headers=account.headers
        )
    ).json()["id"]
    llm_server.script(
        Reply(tool_calls=[ToolCall.run_python("df['units'].mean()")]),
        Reply(text="The mean is 3.0."),
    )
    first = await chat(chat_client, account, conversation_id, "Mean units?")
    assert first["code_result"]["cached"] is False
    calls = len(llm_server.requests)
    # Same question, same dataset version, same (empty) history, same model: cached.
    cached = await chat(chat_client, account, second_id, "Mean units?")
    assert cached["code_result"]["cached"] is True
    assert cached["content"] == "The mean is 3.0."
    assert len(llm_server.requests) == calls
    llm_server.script(Reply(text="Fresh answer."))
    third_id = (
        await chat_client.post(
            f"{API}/conversations", json={"dataset_id": dataset["id"]}, headers=account.headers
        )
    ).json()["id"]
    fresh = await chat(chat_client, account, third_id, "Mean units?", no_cache="true")
    assert fresh["code_result"]["cached"] is False and fresh["content"] == "Fresh answer."


async def test_provider_errors_become_assistant_errors(
    chat_client: AsyncClient, llm_server: ScriptedLLMServer
) -> None:
    account, _, conversation_id = await start(chat_client)
    for reply, phrase in (
        (Reply.http_error(500), "HTTP 500"),
        (Reply.http_error(429, retry_after=0), "rate limited"),
        (Reply(text="late", delay_first=8.0), "did not answer in time"),
        (Reply(text="x", malformed=True), "could not be read"),
    ):
        llm_server.script(reply)
        message = await chat(
            chat_client, account, conversation_id, f"question {uuid.uuid4().hex}", no_cache="true"
        )
        assert message["status"] == "error", message
        assert phrase in message["content"], message["content"]
        assert API_KEY not in json.dumps(message)


async def test_code_execution_false_sends_no_tools(
    chat_client: AsyncClient, llm_server: ScriptedLLMServer
) -> None:
    account, _, conversation_id = await start(chat_client)
    llm_server.script(Reply(text="Use a histogram of amount."))
    response = await chat_client.post(
        f"{API}/conversations/{conversation_id}/chat",
        json={"message": "How should I look at amount?", "code_execution": False},
        headers=account.headers,
    )
    assert response.json()["content"] == "Use a histogram of amount."
    assert "tools" not in llm_server.requests[-1].body


async def test_llm_info_hides_the_key(chat_client: AsyncClient) -> None:
    account = await register(chat_client)
    info = await chat_client.get(f"{API}/llm", headers=account.headers)
    body = info.json()
    assert (
        body["preset"] == "openai"
        and body["model"] == "scripted-model"
        and body["builtin"] is False
    )
    assert API_KEY not in info.text


async def test_execute_state_history_and_restart(chat_client: AsyncClient) -> None:
    account, _, conversation_id = await start(chat_client)
    url = f"{API}/conversations/{conversation_id}/execute"
    first = await chat_client.post(
        url, json={"code": "x = int(df['units'].sum())\nx"}, headers=account.headers
    )
    assert first.status_code == 200 and first.json()["status"] == "ok"
    assert any(p.get("text") == "15" for p in first.json()["outputs"])
    second = await chat_client.post(url, json={"code": "x * 2"}, headers=account.headers)
    assert any(p.get("text") == "30" for p in second.json()["outputs"])
    rejected = await chat_client.post(
        url, json={"code": "import subprocess"}, headers=account.headers
    )
    assert rejected.json()["status"] == "rejected"
    cells = (
        await chat_client.get(
            f"{API}/conversations/{conversation_id}/code", headers=account.headers
        )
    ).json()
    assert [c["code"] for c in cells][:2] == ["x = int(df['units'].sum())\nx", "x * 2"]
    restart = await chat_client.post(
        f"{API}/conversations/{conversation_id}/kernel/restart", headers=account.headers
    )
    assert restart.status_code == 204
    after = await chat_client.post(url, json={"code": "x"}, headers=account.headers)
    assert after.json()["status"] == "error"  # a restart starts clean


async def test_notebook_export_reruns_to_same_results(
    chat_client: AsyncClient, chat_app: FastAPI
) -> None:
    account, dataset, conversation_id = await start(chat_client)
    url = f"{API}/conversations/{conversation_id}/execute"
    for code in (
        "by_region = df.groupby('region')['units'].sum()\nprint(by_region.to_dict())",
        "print(con.execute('SELECT count(*) FROM data').fetchone()[0])",
    ):
        assert (await chat_client.post(url, json={"code": code}, headers=account.headers)).json()[
            "status"
        ] == "ok"
    exported = await chat_client.get(
        f"{API}/conversations/{conversation_id}/code",
        params={"format": "ipynb"},
        headers=account.headers,
    )
    assert exported.status_code == 200
    notebook = nbformat.reads(exported.text, as_version=4)
    nbformat.validate(notebook)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert len(code_cells) == 3  # setup + two cells
    # Re-run the notebook in a fresh sandbox kernel with the same data file.
    runtime = chat_app.state.runtime
    path = runtime.store.local_path(
        version_key(uuid.UUID(dataset["team_id"]), uuid.UUID(dataset["id"]), 1)
    )
    key = f"rerun-{uuid.uuid4().hex}"
    outputs = []
    for cell in code_cells:
        result = await runtime.kernels.execute(
            key, cell.source, datasets=[DatasetMount("data", path)]
        )
        assert result.status == "ok", result.outputs
        outputs.append("".join(p.get("text", "") for p in result.outputs if p["type"] == "stream"))
    stored = [
        "".join(o.get("text", "") for o in c.outputs if o.output_type == "stream")
        for c in code_cells[1:]
    ]
    assert outputs[1:] == stored
    assert stored == ["{'east': 4, 'north': 4, 'south': 7}\n", "5\n"]
    script = await chat_client.get(
        f"{API}/conversations/{conversation_id}/code",
        params={"format": "py"},
        headers=account.headers,
    )
    assert "by_region = df.groupby" in script.text and "pl.scan_parquet(DATA)" in script.text
    await runtime.kernels.restart(key)


async def test_stranger_gets_404_on_every_conversation_endpoint(chat_client: AsyncClient) -> None:
    account, dataset, conversation_id = await start(chat_client)
    stranger = await register(chat_client, "stranger")
    base = f"{API}/conversations/{conversation_id}"
    h = stranger.headers
    fake = uuid.uuid4()
    for response in (
        await chat_client.get(base, headers=h),
        await chat_client.patch(base, json={"title": "mine"}, headers=h),
        await chat_client.post(f"{base}/chat", json={"message": "hi"}, headers=h),
        await chat_client.post(f"{base}/execute", json={"code": "1"}, headers=h),
        await chat_client.post(f"{base}/kernel/restart", headers=h),
        await chat_client.post(f"{base}/kernel/interrupt", headers=h),
        await chat_client.get(f"{base}/code", headers=h),
        await chat_client.get(f"{base}/code", params={"format": "ipynb"}, headers=h),
        await chat_client.get(f"{base}/artifacts/x.csv", headers=h),
        await chat_client.post(f"{base}/proposals/{fake}/accept", headers=h),
        await chat_client.post(f"{base}/proposals/{fake}/reject", headers=h),
        await chat_client.delete(base, headers=h),
        await chat_client.post(
            f"{API}/conversations", json={"dataset_id": dataset["id"]}, headers=h
        ),
    ):
        assert_error(response, 404, "not_found")
    mine = (await chat_client.get(f"{API}/conversations", headers=h)).json()
    assert mine["total"] == 0
    # The owner still has it.
    assert (await chat_client.get(base, headers=account.headers)).status_code == 200


async def test_conversation_crud(chat_client: AsyncClient) -> None:
    account, dataset, conversation_id = await start(chat_client)
    renamed = await chat_client.patch(
        f"{API}/conversations/{conversation_id}", json={"title": "Sales"}, headers=account.headers
    )
    assert renamed.json()["title"] == "Sales"
    listing = (
        await chat_client.get(
            f"{API}/conversations", params={"dataset_id": dataset["id"]}, headers=account.headers
        )
    ).json()
    assert [c["id"] for c in listing["items"]] == [conversation_id]
    assert (
        await chat_client.delete(f"{API}/conversations/{conversation_id}", headers=account.headers)
    ).status_code == 204
    assert_error(
        await chat_client.get(f"{API}/conversations/{conversation_id}", headers=account.headers),
        404,
    )
    await asyncio.sleep(0)
