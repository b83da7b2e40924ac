"""Generating a report from a real conversation: blocks, sections, summary, appendix."""

from __future__ import annotations

from httpx import AsyncClient

from tests.reports.conftest import API, TABLE_CODE, Scenario
from tests.reports.helpers import blocks_of, generate


async def test_default_report_has_every_step(
    report_client: AsyncClient, scenario: Scenario
) -> None:
    report = await generate(report_client, scenario)
    headings = [(b["level"], b["text"]) for b in blocks_of(report, "heading")]
    assert headings == [
        (1, "Sales review"),
        (2, "Executive summary"),
        (2, "Code run 1"),
        (2, "Code run 2"),
        (2, "average amount by region"),
        (2, "Data appendix"),
    ]
    assert report["title"] == "Sales review"
    assert report["dataset_id"] == scenario.dataset["id"]
    tables = blocks_of(report, "table")
    assert tables[0]["columns"] == ["region", "amount"]
    assert tables[0]["rows"] == [["East", 7.0], ["North", 15.0], ["South", 40.0]]
    assert tables[1]["rows"] == [["South", 40.0, 2], ["North", 15.0, 2], ["East", 7.0, 1]]
    figures = blocks_of(report, "figure")
    assert [f["kind"] for f in figures] == ["plotly", "plotly"]
    assert figures[0]["figure"]["layout"]["title"]["text"] == "Total amount by region"
    assert blocks_of(report, "code") == []  # include_code defaults to false


async def test_summary_and_appendix(report_client: AsyncClient, scenario: Scenario) -> None:
    report = await generate(report_client, scenario)
    summary = blocks_of(report, "markdown")[0]["text"]
    assert "3 analysis step(s)" in summary
    assert "2 table(s) and 2 chart(s)" in summary
    assert "Mean amount by region: South (40), North (15), East (7)." in summary
    versions = await report_client.get(
        f"{API}/datasets/{scenario.dataset['id']}/versions", headers=scenario.owner.headers
    )
    assert versions.status_code == 200, versions.text
    version = versions.json()[0]
    appendix = dict(blocks_of(report, "table")[-1]["rows"])
    assert appendix["Dataset"] == scenario.dataset["name"]
    assert appendix["Version hash"] == version["content_hash"]
    assert appendix["Rows"] == "5"
    assert appendix["Columns"] == "2"
    assert appendix["Generated at"].endswith(" UTC")


async def test_chosen_messages_with_code(report_client: AsyncClient, scenario: Scenario) -> None:
    first = scenario.messages[0]
    report = await generate(
        report_client,
        scenario,
        title="Only the table",
        message_ids=[first["id"]],
        include_code=True,
    )
    assert [b["text"] for b in blocks_of(report, "heading")][1:] == [
        "Executive summary",
        "Code run 1",
        "Data appendix",
    ]
    assert blocks_of(report, "code") == [{"type": "code", "code": TABLE_CODE, "language": "python"}]
    assert blocks_of(report, "figure") == []


async def test_unknown_message_is_refused(report_client: AsyncClient, scenario: Scenario) -> None:
    response = await report_client.post(
        f"{API}/reports/generate",
        json={
            "conversation_id": scenario.conversation_id,
            "message_ids": ["00000000-0000-0000-0000-000000000001"],
        },
        headers=scenario.owner.headers,
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"]["details"] == {
        "missing": ["00000000-0000-0000-0000-000000000001"]
    }
