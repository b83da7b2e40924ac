"""Who sees a report: the author, team members who can read the dataset, everyone when
public; strangers get 404 everywhere. Only the author edits and deletes."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.datasets.api_helpers import upload_ready
from tests.reports.conftest import API, CSV, Scenario
from tests.reports.helpers import export, generate
from tests.support import Account, register


async def _all_endpoints(client: AsyncClient, report_id: str, who: Account) -> list[int]:
    url = f"{API}/reports/{report_id}"
    calls = [
        client.get(url, headers=who.headers),
        client.get(f"{url}/export", params={"format": "html"}, headers=who.headers),
        client.get(f"{url}/export", params={"format": "pdf"}, headers=who.headers),
        client.put(url, json={"title": "Mine now"}, headers=who.headers),
        client.delete(url, headers=who.headers),
    ]
    return [(await call).status_code for call in calls]


async def test_stranger_gets_404_everywhere(report_client: AsyncClient, scenario: Scenario) -> None:
    report = await generate(report_client, scenario)
    stranger = await register(report_client, "stranger")
    assert await _all_endpoints(report_client, report["id"], stranger) == [404] * 5
    refused = await report_client.post(
        f"{API}/reports/generate",
        json={"conversation_id": scenario.conversation_id},
        headers=stranger.headers,
    )
    assert refused.status_code == 404
    listed = await report_client.get(f"{API}/reports", headers=stranger.headers)
    assert listed.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}
    still = await report_client.get(f"{API}/reports/{report['id']}", headers=scenario.owner.headers)
    assert still.status_code == 200
    assert still.json()["title"] == "Sales review"


async def test_public_report_is_readable_not_editable(
    report_client: AsyncClient, scenario: Scenario
) -> None:
    report = await generate(report_client, scenario)
    url = f"{API}/reports/{report['id']}"
    shared = await report_client.put(url, json={"is_public": True}, headers=scenario.owner.headers)
    assert shared.status_code == 200 and shared.json()["is_public"] is True
    reader = await register(report_client, "reader")
    seen = await report_client.get(url, headers=reader.headers)
    assert seen.status_code == 200
    assert seen.json()["blocks"] == report["blocks"]
    assert (
        await report_client.put(url, json={"title": "x"}, headers=reader.headers)
    ).status_code == 403
    assert (await report_client.delete(url, headers=reader.headers)).status_code == 403


async def test_owner_lists_edits_and_deletes(
    report_client: AsyncClient, scenario: Scenario
) -> None:
    owner = scenario.owner
    report = await generate(report_client, scenario, title="Draft")
    url = f"{API}/reports/{report['id']}"
    before = await export(report_client, scenario, report["id"], "html")
    assert "<title>Draft</title>" in before.text
    blocks: list[dict[str, Any]] = [
        {"type": "heading", "text": "Final", "level": 1},
        {"type": "markdown", "text": "North **sold 15** on average."},
    ]
    edited = await report_client.put(
        url, json={"title": "Final", "blocks": blocks}, headers=owner.headers
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["title"] == "Final"
    assert edited.json()["blocks"] == blocks
    after = await export(report_client, scenario, report["id"], "html")  # not the stale render
    assert "<title>Final</title>" in after.text
    assert "<p>North <strong>sold 15</strong> on average.</p>" in after.text
    markdown = await export(report_client, scenario, report["id"], "md")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text == "# Final\n\nNorth **sold 15** on average.\n"
    page = await report_client.get(f"{API}/reports", params={"limit": 1}, headers=owner.headers)
    assert page.json()["limit"] == 1 and len(page.json()["items"]) == 1
    total = page.json()["total"]
    assert (await report_client.delete(url, headers=owner.headers)).status_code == 204
    assert (await report_client.get(url, headers=owner.headers)).status_code == 404
    remaining = await report_client.get(f"{API}/reports", headers=owner.headers)
    assert remaining.json()["total"] == total - 1
    assert report["id"] not in [r["id"] for r in remaining.json()["items"]]


async def test_team_members_who_read_the_dataset_see_it(report_client: AsyncClient) -> None:
    owner, viewer, outsider = (
        await register(report_client, "team-owner"),
        await register(report_client, "team-viewer"),
        await register(report_client, "outsider"),
    )
    team = (
        await report_client.post(f"{API}/teams", json={"name": "Sales"}, headers=owner.headers)
    ).json()
    added = await report_client.post(
        f"{API}/teams/{team['id']}/members",
        json={"email": viewer.email, "role": "viewer"},
        headers=owner.headers,
    )
    assert added.status_code in (200, 201), added.text
    dataset = await upload_ready(report_client, owner, CSV, data={"team_id": team["id"]})
    public = await report_client.put(
        f"{API}/datasets/{dataset['id']}", json={"is_public": True}, headers=owner.headers
    )
    assert public.status_code == 200, public.text
    conversation = await report_client.post(
        f"{API}/conversations", json={"dataset_id": dataset["id"]}, headers=owner.headers
    )
    report = (
        await report_client.post(
            f"{API}/reports/generate",
            json={"conversation_id": conversation.json()["id"], "title": "Team report"},
            headers=owner.headers,
        )
    ).json()
    url = f"{API}/reports/{report['id']}"
    assert report["team_id"] == team["id"]
    seen = await report_client.get(url, headers=viewer.headers)
    assert seen.status_code == 200 and seen.json()["title"] == "Team report"
    assert (
        await report_client.put(url, json={"title": "x"}, headers=viewer.headers)
    ).status_code == 403
    # The outsider can read the public dataset but is not in the report's team.
    assert (await report_client.get(url, headers=outsider.headers)).status_code == 404
