"""Small helpers for the report tests."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient, Response

from tests.reports.conftest import API, Scenario


async def generate(client: AsyncClient, scenario: Scenario, **body: Any) -> dict[str, Any]:
    """Generate a report from the scenario's conversation as its owner (expects 201)."""
    response = await client.post(
        f"{API}/reports/generate",
        json={"conversation_id": scenario.conversation_id, **body},
        headers=scenario.owner.headers,
    )
    assert response.status_code == 201, response.text
    report: dict[str, Any] = response.json()
    return report


async def export(client: AsyncClient, scenario: Scenario, report_id: str, fmt: str) -> Response:
    """Export a report as its owner (expects 200)."""
    response = await client.get(
        f"{API}/reports/{report_id}/export",
        params={"format": fmt},
        headers=scenario.owner.headers,
    )
    assert response.status_code == 200, response.text
    return response


def blocks_of(report: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The report's blocks of one type."""
    return [b for b in report["blocks"] if b["type"] == kind]
