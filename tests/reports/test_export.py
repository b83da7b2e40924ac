"""Exports checked for real: PDF text, images and pages; HTML figure JSON; notebook
validity; Markdown zip with the images it references."""

from __future__ import annotations

import io
import json
import re
import subprocess
import time
import zipfile
from pathlib import Path
from typing import Any

import nbformat
import pytest
from httpx import AsyncClient
from pypdf import PdfReader

from chatdata.reports.browser import browser_page
from tests.reports.conftest import TABLE_CODE, Scenario
from tests.reports.helpers import export, generate

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def outline_titles(outline: list[Any]) -> list[str]:
    """Every bookmark title of a PDF outline, depth first."""
    titles: list[str] = []
    for item in outline:
        titles.extend(outline_titles(item) if isinstance(item, list) else [item.title])
    return titles


@pytest.fixture(scope="module")
async def report(report_client: AsyncClient, scenario: Scenario) -> dict[str, Any]:
    """One report with everything, code included."""
    return await generate(
        report_client, scenario, title="Regional sales 区域销售", include_code=True
    )


async def test_pdf(
    report_client: AsyncClient, scenario: Scenario, report: dict[str, Any], tmp_path: Path
) -> None:
    started = time.monotonic()
    response = await export(report_client, scenario, report["id"], "pdf")
    seconds = time.monotonic() - started
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Regional sales" in text
    assert "区域销售" in text
    assert "Contents" in text
    for number in ("40", "15", "7"):
        assert re.search(rf"\b{number}(\.0)?\b", text), number
    assert "page 1 of" in text
    assert sum(len(page.images) for page in reader.pages) >= 2
    assert len(reader.pages) >= 3  # title page, contents, body
    assert outline_titles(reader.outline) == [
        "Regional sales 区域销售",
        "Contents",
        "Executive summary",
        "Code run 1",
        "Code run 2",
        "average amount by region",
        "Data appendix",
    ]
    (tmp_path / "report.pdf").write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", str(tmp_path / "report.pdf"), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(reader.pages)
    assert all(p.read_bytes().startswith(PNG_MAGIC) for p in pages)
    print(f"PDF: {len(reader.pages)} pages rendered in {seconds:.2f}s")


async def test_html(report_client: AsyncClient, scenario: Scenario, report: dict[str, Any]) -> None:
    response = await export(report_client, scenario, report["id"], "html")
    html = response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "<title>Regional sales 区域销售</title>" in html
    figures = re.findall(r'<script type="application/json" data-for="[^"]+">(.*?)</script>', html)
    parsed = [json.loads(f) for f in figures]
    assert [f["layout"]["title"]["text"] for f in parsed] == [
        "Total amount by region",
        "mean_amount by region",
    ]
    assert "plotly.js v" in html  # the bundle is inlined, nothing is fetched
    assert "<script src=" not in html
    assert "<td>North</td><td>15.0</td>" in html
    async with browser_page() as page:  # the charts really draw, offline
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.set_content(html, wait_until="load")
        await page.wait_for_selector(".plotly-figure .main-svg", timeout=20_000)
        assert await page.locator(".plotly-figure .main-svg").count() >= 2
        assert await page.locator(".plotly-figure .bars .point").count() == 6
        assert errors == []


async def test_notebook(
    report_client: AsyncClient, scenario: Scenario, report: dict[str, Any]
) -> None:
    response = await export(report_client, scenario, report["id"], "ipynb")
    notebook = nbformat.reads(response.text, as_version=4)
    nbformat.validate(notebook)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert code_cells[0].source == TABLE_CODE
    table_output = code_cells[0].outputs[0]
    assert "| North | 15.0 |" in table_output["data"]["text/markdown"]
    assert "application/vnd.plotly.v1+json" in code_cells[1].outputs[0]["data"]
    assert notebook.cells[0].source == "# Regional sales 区域销售"


async def test_markdown_zip(
    report_client: AsyncClient, scenario: Scenario, report: dict[str, Any]
) -> None:
    response = await export(report_client, scenario, report["id"], "md")
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    markdown = archive.read("report.md").decode()
    referenced = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)
    assert referenced == ["figures/figure-1.png", "figures/figure-2.png"]
    assert sorted(archive.namelist()) == [
        "figures/figure-1.png",
        "figures/figure-2.png",
        "report.md",
    ]
    assert all(archive.read(name).startswith(PNG_MAGIC) for name in referenced)
    assert "# Regional sales 区域销售" in markdown
    assert "| North | 15.0 |" in markdown
    assert f"```python\n{TABLE_CODE}\n```" in markdown
