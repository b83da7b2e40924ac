"""`chatdata eval`: run the harness with a progress bar, write results, print the summary."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from chatdata.evaluation.questions import load_labels, load_questions
from chatdata.evaluation.runner import QuestionResult, RunOptions, run_evaluation
from chatdata.evaluation.summary import Summary, render_summary, summarize


def run_eval_command(
    questions_path: Path,
    tables: Path,
    labels_path: Path | None,
    options: RunOptions,
    out: Path,
    console: Console,
) -> Summary:
    """Run, write one JSON line per question to `out`, print and return the summary."""
    questions = load_questions(questions_path)
    labels = load_labels(labels_path) if labels_path else None
    total = min(len(questions), options.limit) if options.limit else len(questions)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as sink, _progress(console) as progress:
        task = progress.add_task("questions", total=total, status="")

        def advance(result: QuestionResult) -> None:
            sink.write(result.to_json() + "\n")
            sink.flush()
            mark = "✓" if result.correct else ("✗" if result.correct is False else "·")
            progress.update(task, advance=1, status=f"{result.id} {mark} {result.seconds:.1f}s")

        results = asyncio.run(run_evaluation(questions, tables, labels, options, advance))
    summary = summarize(results)
    render_summary(summary, console)
    console.print(f"results: {out}")
    return summary


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[status]}"),
        console=console,
    )
