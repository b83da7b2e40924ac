"""PDF exports rendered by a `render_report` task: `background=true` or a large report
answers 202 with the task; once it succeeded the same export URL returns the PDF."""

from __future__ import annotations

import asyncio
import io
import time
from typing import Any

from httpx import AsyncClient
from pypdf import PdfReader

from chatdata.reports.background import LARGE_REPORT_BLOCKS
from tests.reports.conftest import API, Scenario
from tests.reports.helpers import export, generate
from tests.support import Account, register


async def request_pdf(
    client: AsyncClient, report_id: str, who: Account, *, background: bool
) -> Any:
    """GET the PDF export, in the background when asked."""
    params = {"format": "pdf", "background": "true" if background else "false"}
    return await client.get(f"{API}/reports/{report_id}/export", params=params, headers=who.headers)


async def wait_succeeded(client: AsyncClient, task_id: str, who: Account) -> dict[str, Any]:
    """Poll the task until it finished; it must have succeeded."""
    deadline = time.monotonic() + 90
    while True:
        response = await client.get(f"{API}/tasks/{task_id}", headers=who.headers)
        assert response.status_code == 200, response.text
        task: dict[str, Any] = response.json()
        if task["status"] in {"succeeded", "failed", "cancelled"}:
            assert task["status"] == "succeeded", task
            return task
        assert time.monotonic() < deadline, task
        await asyncio.sleep(0.1)


def pdf_text(content: bytes) -> str:
    """The text of every page of a PDF."""
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


async def test_background_render_then_export(
    report_client: AsyncClient, scenario: Scenario
) -> None:
    report = await generate(report_client, scenario, title="Quarterly sales in the background")
    owner = scenario.owner
    accepted = await request_pdf(report_client, report["id"], owner, background=True)
    assert accepted.status_code == 202, accepted.text
    task = accepted.json()["task"]
    assert accepted.headers["location"] == f"{API}/tasks/{task['id']}"
    assert task["task_type"] == "render_report"
    assert task["parameters"] == {"report_id": report["id"], "format": "pdf"}
    assert task["dataset_id"] == scenario.dataset["id"]
    assert task["user_id"] == report["user_id"]
    done = await wait_succeeded(report_client, task["id"], owner)
    assert done["progress"] == 100
    result = await report_client.get(f"{API}/tasks/{task['id']}/result", headers=owner.headers)
    assert result.json()["result"]["filename"] == "report.pdf"
    response = await export(report_client, scenario, report["id"], "pdf")
    assert response.headers["content-type"] == "application/pdf"
    assert len(response.content) == result.json()["result"]["bytes"]
    assert "Quarterly sales in the background" in pdf_text(response.content)
    again = await request_pdf(report_client, report["id"], owner, background=True)
    assert again.status_code == 200 and again.content == response.content


async def test_large_report_renders_in_background(
    report_client: AsyncClient, scenario: Scenario
) -> None:
    report = await generate(report_client, scenario, title="Many sections")
    blocks = [{"type": "markdown", "text": f"Paragraph {n}"} for n in range(LARGE_REPORT_BLOCKS)]
    blocks.append({"type": "markdown", "text": "The last paragraph"})
    edited = await report_client.put(
        f"{API}/reports/{report['id']}", json={"blocks": blocks}, headers=scenario.owner.headers
    )
    assert edited.status_code == 200, edited.text
    accepted = await request_pdf(report_client, report["id"], scenario.owner, background=False)
    assert accepted.status_code == 202, accepted.text
    await wait_succeeded(report_client, accepted.json()["task"]["id"], scenario.owner)
    response = await export(report_client, scenario, report["id"], "pdf")
    text = pdf_text(response.content)
    assert "Many sections" in text and "The last paragraph" in text


async def test_stranger_gets_404(report_client: AsyncClient, scenario: Scenario) -> None:
    report = await generate(report_client, scenario)
    stranger = await register(report_client, "render-stranger")
    refused = await request_pdf(report_client, report["id"], stranger, background=True)
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "not_found"
    listed = await report_client.get(f"{API}/tasks", headers=stranger.headers)
    assert listed.json()["total"] == 0
