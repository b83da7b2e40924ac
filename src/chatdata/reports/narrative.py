"""The executive summary written by the configured LLM from the report's results.

Any failure of the model (unreachable, refused, empty) falls back to the summary the
report writes from the messages' own text, so a report never fails because of it."""

from __future__ import annotations

import logging

from chatdata.chat.llm.base import ChatProvider, DatasetContext, TurnRequest
from chatdata.reports.blocks import Section, output_block
from chatdata.reports.markdown_render import markdown_table

log = logging.getLogger("chatdata.reports")
MAX_PROMPT_CHARS = 12_000
SYSTEM_PROMPT = (
    "You write the executive summary of a data analysis report. Use only the results given; "
    "quote their numbers exactly; do not invent data. Answer in Markdown: one short paragraph "
    "then at most five bullet points with the key findings. No heading."
)


async def llm_summary(
    provider: ChatProvider, dataset_name: str, sections: list[Section]
) -> str | None:
    """The model's summary of the sections, or None when it could not write one."""
    prompt = summary_prompt(dataset_name, sections)
    request = TurnRequest(
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": prompt},
        ],
        tools=None,
        question=prompt,
        dataset=DatasetContext(
            name=dataset_name,
            row_count=0,
            columns=[],
            sample_rows=[],
            df_is_sample=False,
            sample_note="",
        ),
    )
    try:
        turn = await provider.complete(request, _ignore_token)
    except Exception:
        log.warning("the LLM could not write the report summary", exc_info=True)
        return None
    return turn.text.strip() or None


def summary_prompt(dataset_name: str, sections: list[Section]) -> str:
    """The results of every section as text: question, answer, tables (first 20 rows)."""
    parts = [f"Dataset: {dataset_name}"]
    for number, section in enumerate(sections, start=1):
        parts.append(f"## Step {number}: {section.question}\n{section.answer}".rstrip())
        for cell in section.cells:
            for part in cell.get("outputs", []):
                block = output_block(part)
                if block is not None and block["type"] == "table":
                    parts.append(markdown_table({**block, "rows": block["rows"][:20]}))
    return "\n\n".join(parts)[:MAX_PROMPT_CHARS]


async def _ignore_token(_token: str) -> None:
    return None
