"""Evaluation questions and labels in the InfiAgent-DABench layout (JSON lines)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chatdata.errors import BadRequest


@dataclass(frozen=True)
class EvalQuestion:
    """One question: `id, question, constraints, format, file_name`, optional level/concepts."""

    id: str
    question: str
    file_name: str
    constraints: str = ""
    format: str = ""
    level: str | None = None
    concepts: tuple[str, ...] = field(default_factory=tuple)

    def message(self) -> str:
        """The chat message: the question, then its constraints and answer format."""
        parts = [self.question.strip()]
        if self.constraints.strip():
            parts.append(f"Constraints: {self.constraints.strip()}")
        if self.format.strip():
            parts.append(f"Answer format: {self.format.strip()}")
        return "\n\n".join(parts)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise BadRequest(f"{path.name} line {number} is not valid JSON.") from exc
            if not isinstance(row, dict):
                raise BadRequest(f"{path.name} line {number} is not a JSON object.")
            rows.append(row)
    return rows


def load_questions(path: Path) -> list[EvalQuestion]:
    """Questions from a JSONL file (`id`, `question` and `file_name` are required)."""
    questions = []
    for row in _read_jsonl(path):
        missing = [key for key in ("id", "question", "file_name") if key not in row]
        if missing:
            raise BadRequest(f"A question in {path.name} lacks {', '.join(missing)}.")
        concepts = row.get("concepts") or []
        questions.append(
            EvalQuestion(
                id=str(row["id"]),
                question=str(row["question"]),
                file_name=str(row["file_name"]),
                constraints=str(row.get("constraints") or ""),
                format=str(row.get("format") or ""),
                level=str(row["level"]) if row.get("level") is not None else None,
                concepts=tuple(
                    str(c) for c in (concepts if isinstance(concepts, list) else [concepts])
                ),
            )
        )
    return questions


def load_labels(path: Path) -> dict[str, list[tuple[str, str]]]:
    """`id -> [(name, value), ...]` from `{"id", "common_answers": [[name, value], ...]}`."""
    labels: dict[str, list[tuple[str, str]]] = {}
    for row in _read_jsonl(path):
        answers = row.get("common_answers") or []
        labels[str(row.get("id"))] = [
            (str(pair[0]), str(pair[1])) for pair in answers if len(pair) == 2
        ]
    return labels
