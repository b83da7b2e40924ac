"""Chat overhead with a zero-latency scripted model (no LLM time): first SSE event latency,
a text-only turn, and a turn with one trivial tool call, all through a running server.

    python -m bench.chat [--turns 30]

Target (DESIGN.md section 7): first SSE event <= 50 ms p50.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from tests.llm.script import Reply, ToolCall
from tests.llm.scripted_server import ScriptedLLMServer

from bench.common import running_server, signed_in

CSV = b"region,amount\n" + b"".join(f"r{i % 5},{i}.5\n".encode() for i in range(1000))


def p50(values: list[float]) -> float:
    """Median in milliseconds."""
    return statistics.median(values) * 1000


def timed_turn(
    client: httpx.Client, url: str, headers: dict[str, str], question: str
) -> tuple[float, float]:
    """(seconds to the first SSE event, seconds to `done`) for one streamed turn."""
    started = time.perf_counter()
    first = 0.0
    with client.stream(
        "POST",
        url,
        json={"message": question},
        params={"no_cache": "true"},
        headers={**headers, "Accept": "text/event-stream"},
    ) as response:
        for line in response.iter_lines():
            if line.startswith("event:") and not first:
                first = time.perf_counter() - started
            if line.startswith("event: done"):
                break
    return first, time.perf_counter() - started


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=30)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-chat-"))
    llm = ScriptedLLMServer().start()
    env = {
        "CHATDATA_LLM_PRESET": "openai",
        "CHATDATA_LLM_BASE_URL": llm.base_url,
        "CHATDATA_LLM_API_KEY": "bench-key",
        "CHATDATA_LLM_MAX_RETRIES": "0",
        "CHATDATA_CHAT_RATE_PER_MINUTE": "100000",
    }
    try:
        with (
            running_server(work / "server", **env) as (url, _process),
            httpx.Client(timeout=120) as client,
        ):
            headers = signed_in(url)
            upload = client.post(
                f"{url}/api/v1/datasets/upload", files={"file": ("s.csv", CSV)}, headers=headers
            )
            dataset_id = upload.json()["id"]
            while (
                client.get(f"{url}/api/v1/datasets/{dataset_id}", headers=headers).json()["status"]
                == "processing"
            ):
                time.sleep(0.05)
            conversation = client.post(
                f"{url}/api/v1/conversations", json={"dataset_id": dataset_id}, headers=headers
            ).json()
            chat_url = f"{url}/api/v1/conversations/{conversation['id']}/chat"
            llm.script(Reply(tool_calls=[ToolCall.run_python("1 + 1")]), Reply(text="warm"))
            timed_turn(client, chat_url, headers, "warm up the kernel")
            firsts, text_turns, tool_turns = [], [], []
            for i in range(args.turns):
                llm.script(Reply(text="ok", chunks=1))
                first, total = timed_turn(client, chat_url, headers, f"text {i}")
                firsts.append(first)
                text_turns.append(total)
                llm.script(
                    Reply(tool_calls=[ToolCall.run_python("1 + 1")]), Reply(text="2", chunks=1)
                )
                _, total = timed_turn(client, chat_url, headers, f"tool {i}")
                tool_turns.append(total)
    finally:
        llm.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"turns: {args.turns} (scripted model, zero delay)")
    print(f"first SSE event p50: {p50(firsts):.1f} ms (target <= 50 ms)")
    print(f"text-only turn p50 (overhead, no model time): {p50(text_turns):.1f} ms")
    print(f"turn with one trivial cell p50 (2 model calls + 1 cell): {p50(tool_turns):.1f} ms")


if __name__ == "__main__":
    main()
