"""Read `GET /metrics` into samples a test can compare before and after."""

from __future__ import annotations

from httpx import AsyncClient
from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


async def scrape(client: AsyncClient, headers: dict[str, str] | None = None) -> Samples:
    """Every sample of the app's metrics, keyed by name and sorted labels."""
    response = await client.get("/metrics", headers=headers or {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """One sample's value, 0 when it is not there (yet)."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)
