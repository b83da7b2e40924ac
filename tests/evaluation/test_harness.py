"""`chatdata eval` end to end: real app in-process, upload and chat API, built-in analyst,
scoring, the results file and the printed summary."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from chatdata.cli import app

EVAL = Path(__file__).resolve().parents[2] / "eval"
PICKED = {
    "3",
    "6",
    "9",
    "42",
    "99",
}  # aggregate, groupby (Chinese), fill + proposal, dedupe, percentage


def test_eval_command_through_the_app(tmp_path: Path) -> None:
    questions = tmp_path / "questions.jsonl"
    lines = (EVAL / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions.write_text(
        "\n".join(line for line in lines if str(json.loads(line)["id"]) in PICKED) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "results.jsonl"
    result = CliRunner().invoke(
        app,
        ["eval", str(questions), "--tables", str(EVAL / "tables"),
         "--labels", str(EVAL / "labels.jsonl"), "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["3", "6", "9", "42", "99"]
    assert all(r["correct"] for r in rows), [(r["id"], r["answer"]) for r in rows]
    assert [r["intent"] for r in rows] == [
        "aggregate", "groupby", "missing_fill", "duplicates", "percentage"
    ]  # fmt: skip
    assert {r["provider"] for r in rows} == {"builtin"}
    assert all(r["error"] is None and r["cell_statuses"] == ["ok"] for r in rows)
    fill = rows[2]
    assert fill["answers"] == {"fill_value": "4050", "filled_count": "2"}
    assert "I proposed this as a new version of the dataset" in fill["answer"]
    assert "accuracy (by question)" in result.output and "100.0% (5)" in result.output
    assert "Accuracy by concept" in result.output
