"""The built-in analyst on the whole `eval/` set must keep the accuracy it reached.

Runs the 132 questions with the `kernel` backend (real ingest, profile and sandbox, one
shared kernel; no HTTP) in 15-40 s on 2 cores. The same run through the app
(`chatdata eval eval/questions.jsonl --tables eval/tables --labels eval/labels.jsonl
--share-conversations`) scores the same and takes about 90 s
(about 340 s with a fresh conversation, so a fresh kernel, per question)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from chatdata.config import Settings
from chatdata.evaluation import RunOptions, load_labels, load_questions, run_evaluation, summarize

EVAL = Path(__file__).resolve().parents[2] / "eval"
REACHED_QUESTIONS = 132  # of 132: every question right
REACHED_SUB_ANSWERS = 166  # of 166


def test_builtin_analyst_keeps_its_accuracy_on_eval() -> None:
    questions = load_questions(EVAL / "questions.jsonl")
    labels = load_labels(EVAL / "labels.jsonl")
    options = RunOptions(
        provider="builtin",
        share_conversations=True,
        base_settings=Settings(log_level="WARNING"),
        backend="kernel",
    )
    results = asyncio.run(run_evaluation(questions, EVAL / "tables", labels, options))
    summary = summarize(results)
    wrong = [(r.id, r.question, r.answers, r.expected) for r in results if not r.correct]
    assert summary.total.questions == 132
    assert summary.total.correct >= REACHED_QUESTIONS, wrong
    assert summary.total.sub_correct >= REACHED_SUB_ANSWERS, wrong
    assert summary.total.errors == 0
