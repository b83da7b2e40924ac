"""Export a report to md (zip), html, pdf or ipynb; rendered files are kept in the object
store at `{team_id}/reports/{report_id}/` until the report changes."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Literal

import anyio

from chatdata.reports.browser import browser_page, print_pdf
from chatdata.reports.figures import figure_blocks, figure_pngs
from chatdata.reports.html_render import render_html, render_print_html
from chatdata.reports.markdown_render import markdown_zip, render_markdown
from chatdata.reports.models import Report
from chatdata.reports.notebook_render import render_notebook
from chatdata.reports.service import storage_prefix
from chatdata.storage import ObjectStore

log = logging.getLogger("chatdata.reports")
ExportFormat = Literal["md", "html", "pdf", "ipynb"]


@dataclass(frozen=True)
class ExportedFile:
    """A rendered report file ready to send."""

    content: bytes
    filename: str
    media_type: str


async def export_report(store: ObjectStore, report: Report, fmt: ExportFormat) -> ExportedFile:
    """The rendered file, from the store when it was rendered since the last edit."""
    cached = await cached_export(store, report, fmt)
    return cached if cached is not None else await render_export(store, report, fmt)


async def cached_export(
    store: ObjectStore, report: Report, fmt: ExportFormat
) -> ExportedFile | None:
    """The file rendered since the last edit, or None when there is none in the store."""
    filename, media_type = _file_name(fmt, bool(figure_blocks(_blocks(report))))
    key = storage_prefix(report) + filename
    if not await anyio.to_thread.run_sync(store.exists, key):
        return None
    content = await anyio.to_thread.run_sync(store.read_bytes, key)
    return ExportedFile(content, filename, media_type)


async def render_export(store: ObjectStore, report: Report, fmt: ExportFormat) -> ExportedFile:
    """Render the file now and keep it in the store for later exports."""
    blocks = _blocks(report)
    filename, media_type = _file_name(fmt, bool(figure_blocks(blocks)))
    started = time.monotonic()
    content = await _render(report, blocks, fmt)
    log.info("rendered report %s as %s in %.2fs", report.id, fmt, time.monotonic() - started)
    await anyio.to_thread.run_sync(store.put_bytes, storage_prefix(report) + filename, content)
    return ExportedFile(content, filename, media_type)


def _blocks(report: Report) -> list[dict[str, Any]]:
    return list((report.content or {}).get("blocks", []))


def _file_name(fmt: ExportFormat, has_figures: bool) -> tuple[str, str]:
    if fmt == "md":
        if has_figures:
            return "report.zip", "application/zip"
        return "report.md", "text/markdown; charset=utf-8"
    return {
        "html": ("report.html", "text/html; charset=utf-8"),
        "pdf": ("report.pdf", "application/pdf"),
        "ipynb": ("report.ipynb", "application/x-ipynb+json"),
    }[fmt]


async def _render(report: Report, blocks: list[dict[str, Any]], fmt: ExportFormat) -> bytes:
    title = report.title or "Report"
    if fmt == "html":
        return render_html(title, blocks).encode()
    if fmt == "ipynb":
        return render_notebook(blocks).encode()
    if fmt == "md" and not figure_blocks(blocks):
        return render_markdown(blocks, []).encode()
    async with browser_page() as page:
        pngs = await figure_pngs(page, blocks)
        if fmt == "md":
            return markdown_zip(blocks, pngs)
        subtitle = f"Generated {report.created_at:%Y-%m-%d %H:%M} UTC"
        return await print_pdf(page, render_print_html(title, subtitle, blocks, pngs), title)


async def forget_renders(store: ObjectStore, report: Report) -> None:
    """Drop the rendered files (after an edit or on delete)."""
    await anyio.to_thread.run_sync(store.delete_prefix, storage_prefix(report))
