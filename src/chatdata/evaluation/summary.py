"""Accuracy and timing figures of a run, and their rendering with rich."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table

from chatdata.evaluation.runner import QuestionResult


@dataclass
class Tally:
    """Correct questions and sub-answers of one slice."""

    questions: int = 0
    correct: int = 0
    sub_answers: int = 0
    sub_correct: int = 0
    errors: int = 0

    def add(self, result: QuestionResult) -> None:
        """Count one result."""
        self.questions += 1
        self.correct += bool(result.correct)
        self.sub_answers += len(result.sub_correct)
        self.sub_correct += sum(result.sub_correct)
        self.errors += result.error is not None

    @property
    def accuracy(self) -> float:
        """Share of questions with every sub-answer right."""
        return self.correct / self.questions if self.questions else 0.0

    @property
    def sub_accuracy(self) -> float:
        """Share of sub-answers right."""
        return self.sub_correct / self.sub_answers if self.sub_answers else 0.0


@dataclass
class Summary:
    """Totals, slices by level and concept, timing, errors."""

    total: Tally
    by_level: dict[str, Tally] = field(default_factory=dict)
    by_concept: dict[str, Tally] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    labelled: bool = True


def summarize(results: list[QuestionResult]) -> Summary:
    """Aggregate per-question results."""
    summary = Summary(total=Tally(), labelled=any(r.expected for r in results))
    for result in results:
        summary.total.add(result)
        if result.level:
            summary.by_level.setdefault(result.level, Tally()).add(result)
        for concept in result.concepts or ([result.intent] if result.intent else []):
            summary.by_concept.setdefault(concept, Tally()).add(result)
        summary.seconds.append(result.seconds)
        if result.error:
            summary.errors.append((result.id, result.error))
    return summary


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def _slice_table(title: str, tallies: dict[str, Tally]) -> Table:
    table = Table(title=title)
    for column in (title.split()[-1], "questions", "accuracy", "sub-answers", "errors"):
        table.add_column(column, justify="left" if column == title.split()[-1] else "right")
    for name, tally in sorted(tallies.items()):
        table.add_row(
            name,
            str(tally.questions),
            _percent(tally.accuracy),
            f"{tally.sub_correct}/{tally.sub_answers} ({_percent(tally.sub_accuracy)})",
            str(tally.errors),
        )
    return table


def render_summary(summary: Summary, console: Console) -> None:
    """Print the summary tables."""
    total, seconds = summary.total, summary.seconds or [0.0]
    overview = Table(title="Evaluation summary", show_header=False)
    overview.add_column("figure")
    overview.add_column("value", justify="right")
    overview.add_row("questions", str(total.questions))
    if summary.labelled:
        overview.add_row("accuracy (by question)", f"{_percent(total.accuracy)} ({total.correct})")
        overview.add_row(
            "accuracy (by sub-answer)",
            f"{_percent(total.sub_accuracy)} ({total.sub_correct}/{total.sub_answers})",
        )
    overview.add_row("errors", str(total.errors))
    overview.add_row("seconds per question (mean)", f"{statistics.fmean(seconds):.2f}")
    overview.add_row("seconds per question (median)", f"{statistics.median(seconds):.2f}")
    overview.add_row("seconds per question (max)", f"{max(seconds):.2f}")
    overview.add_row("seconds in total", f"{sum(seconds):.1f}")
    console.print(overview)
    if summary.labelled and summary.by_level:
        console.print(_slice_table("Accuracy by level", summary.by_level))
    if summary.labelled and summary.by_concept:
        console.print(_slice_table("Accuracy by concept", summary.by_concept))
    for question_id, error in summary.errors[:20]:
        console.print(f"[red]error[/red] question {question_id}: {error}")
