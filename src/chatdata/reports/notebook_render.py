"""Render report blocks to a Jupyter notebook (nbformat v4): text as Markdown cells, code
as code cells carrying the tables and charts that followed them as outputs."""

from __future__ import annotations

import json
from typing import Any

import nbformat

from chatdata.reports.html_render import table_html
from chatdata.reports.markdown_render import markdown_table

NO_CODE = "# The code of this step is not part of the report."
METADATA = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
}


def render_notebook(blocks: list[dict[str, Any]]) -> str:
    """A validated notebook as JSON text."""
    cells: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for block in blocks:
        kind = block.get("type")
        if kind == "code" and block.get("language") == "python":
            current = new_code_cell(str(block.get("code", "")))
            cells.append(current)
        elif kind in {"table", "figure"} or kind == "code":
            if current is None:
                current = new_code_cell(NO_CODE)
                cells.append(current)
            current["outputs"].append(_output(block))
        else:
            current = None
            cells.append(new_markdown_cell(_markdown(block)))
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": METADATA, "cells": cells}
    for number, cell in enumerate(cells, start=1):
        cell["id"] = f"cell-{number}"
    nbformat.validate(notebook, version=4)
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def new_code_cell(source: str) -> dict[str, Any]:
    """A code cell that has not been run in this notebook (outputs are added after)."""
    return {
        "cell_type": "code",
        "metadata": {},
        "execution_count": None,
        "source": source,
        "outputs": [],
    }


def new_markdown_cell(source: str) -> dict[str, Any]:
    """A Markdown cell."""
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def new_output(output_type: str, **fields: Any) -> dict[str, Any]:
    """A `display_data` or `stream` output."""
    if output_type == "display_data":
        return {"output_type": output_type, "metadata": {}, **fields}
    return {"output_type": output_type, **fields}


def _markdown(block: dict[str, Any]) -> str:
    if block.get("type") == "heading":
        return "#" * int(block.get("level", 2)) + " " + str(block.get("text", ""))
    return str(block.get("text", ""))


def _output(block: dict[str, Any]) -> dict[str, Any]:
    kind = block.get("type")
    if kind == "table":
        return new_output(
            "display_data",
            data={"text/html": table_html(block), "text/markdown": markdown_table(block)},
        )
    if kind == "figure" and block.get("kind") == "plotly":
        return new_output(
            "display_data",
            data={
                "application/vnd.plotly.v1+json": block.get("figure", {}),
                "text/plain": "<Plotly figure>",
            },
        )
    if kind == "figure":
        return new_output("display_data", data={"image/png": str(block.get("data", ""))})
    return new_output("stream", name="stdout", text=str(block.get("code", "")) + "\n")
