"""Edited blocks are validated and rendered; rendered files live in the object store
under `{team_id}/reports/{report_id}/` and go away with the report."""

from __future__ import annotations

import base64
import io
import zipfile

from fastapi import FastAPI
from httpx import AsyncClient
from matplotlib.figure import Figure

from tests.reports.conftest import API, Scenario
from tests.reports.helpers import export, generate


def png_chart() -> bytes:
    """A small matplotlib line chart as PNG bytes."""
    figure = Figure(figsize=(3, 2))
    figure.add_subplot().plot([1, 2, 3], [7, 15, 40])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


async def test_image_figure_is_exported(report_client: AsyncClient, scenario: Scenario) -> None:
    report = await generate(report_client, scenario, title="Image")
    png = png_chart()
    blocks = [
        {"type": "heading", "text": "Image", "level": 1},
        {"type": "figure", "kind": "image", "data": base64.b64encode(png).decode()},
    ]
    edited = await report_client.put(
        f"{API}/reports/{report['id']}", json={"blocks": blocks}, headers=scenario.owner.headers
    )
    assert edited.status_code == 200, edited.text
    archive = zipfile.ZipFile(
        io.BytesIO((await export(report_client, scenario, report["id"], "md")).content)
    )
    assert archive.read("report.md").decode() == "# Image\n\n![Figure](figures/figure-1.png)\n"
    assert archive.read("figures/figure-1.png") == png
    html = (await export(report_client, scenario, report["id"], "html")).text
    assert f'<img src="data:image/png;base64,{blocks[1]["data"]}">' in html
    assert "plotly.js v" not in html  # no Plotly chart, no 4 MB bundle


async def test_invalid_blocks_are_refused(report_client: AsyncClient, scenario: Scenario) -> None:
    report = await generate(report_client, scenario)
    url = f"{API}/reports/{report['id']}"
    for block in (
        {"type": "figure", "kind": "image", "data": "not base64!"},
        {"type": "figure", "kind": "plotly"},
        {"type": "table", "columns": ["a"]},
        {"type": "video", "src": "x"},
    ):
        response = await report_client.put(
            url, json={"blocks": [block]}, headers=scenario.owner.headers
        )
        assert response.status_code == 422, block


async def test_renders_are_stored_and_deleted(
    app: FastAPI, report_client: AsyncClient, scenario: Scenario
) -> None:
    store = app.state.runtime.store
    report = await generate(report_client, scenario)
    prefix = f"{report['team_id']}/reports/{report['id']}/"
    await export(report_client, scenario, report["id"], "html")
    await export(report_client, scenario, report["id"], "ipynb")
    assert sorted(o.key for o in store.list_prefix(prefix)) == [
        prefix + "report.html",
        prefix + "report.ipynb",
    ]
    deleted = await report_client.delete(
        f"{API}/reports/{report['id']}", headers=scenario.owner.headers
    )
    assert deleted.status_code == 204
    assert store.list_prefix(prefix) == []
