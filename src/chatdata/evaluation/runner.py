"""Run questions through the platform and score them, one result per question."""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from chatdata.chat.llm.base import ChatProvider
from chatdata.config import Settings
from chatdata.errors import AppError
from chatdata.evaluation.direct import PreparedTable, ask_direct, prepare_tables
from chatdata.evaluation.platform import Platform, eval_settings, running_platform
from chatdata.evaluation.questions import EvalQuestion
from chatdata.evaluation.scoring import parse_answers, score_answer

Progress = Callable[["QuestionResult"], None]
RESULT_LINE = re.compile(r"__RESULT__(\{.*\})")


class Reply(Protocol):
    """What a turn produced, from either backend."""

    content: str
    status: str
    cells: list[dict[str, Any]]
    provider: str | None


@dataclass
class RunOptions:
    """How to run: provider, limits, one conversation per question or per table, and the
    backend (`app`: the HTTP API in-process; `kernel`: the provider against the sandbox)."""

    provider: str = "builtin"
    limit: int | None = None
    share_conversations: bool = False
    base_settings: Settings | None = None
    backend: str = "app"


@dataclass
class QuestionResult:
    """What happened to one question (one line of the results file)."""

    id: str
    file_name: str
    question: str
    level: str | None
    concepts: list[str]
    answer: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    expected: list[list[str]] = field(default_factory=list)
    sub_correct: list[bool] = field(default_factory=list)
    correct: bool | None = None
    seconds: float = 0.0
    error: str | None = None
    cell_statuses: list[str] = field(default_factory=list)
    intent: str | None = None
    provider: str | None = None

    def to_json(self) -> str:
        """The result as one JSON line."""
        return json.dumps(asdict(self), ensure_ascii=False, default=str)


async def run_evaluation(
    questions: list[EvalQuestion],
    tables: Path,
    labels: dict[str, list[tuple[str, str]]] | None,
    options: RunOptions,
    progress: Progress | None = None,
) -> list[QuestionResult]:
    """Upload each table once, ask every question through the chat API, score it."""
    chosen = questions[: options.limit] if options.limit else questions
    base = options.base_settings or Settings()
    results: list[QuestionResult] = []

    def done(result: QuestionResult) -> None:
        _score(result, labels)
        results.append(result)
        if progress is not None:
            progress(result)

    with tempfile.TemporaryDirectory(prefix="chatdata-eval-") as work:
        settings = eval_settings(base, Path(work), options.provider)
        if options.backend == "kernel":
            await _run_on_kernels(settings, Path(work), tables, chosen, options, done)
            return results
        async with running_platform(settings) as platform:
            datasets = await _upload_all(platform, tables, chosen)
            shared: dict[str, str] = {}
            for question in chosen:
                done(await _ask(platform, question, datasets, shared, options))
    return results


async def _run_on_kernels(
    settings: Settings,
    work: Path,
    tables: Path,
    questions: list[EvalQuestion],
    options: RunOptions,
    done: Callable[[QuestionResult], None],
) -> None:
    """The `kernel` backend: real ingest, profile and sandbox; no HTTP, DB or cache."""
    from chatdata.chat.llm.factory import create_provider
    from chatdata.sandbox.limits import SandboxLimits
    from chatdata.sandbox.manager import KernelManager

    provider, _ = create_provider(settings)
    kernels = KernelManager(
        runtime_dir=work / "sandbox",
        limits=SandboxLimits.from_settings(settings),
        mode=settings.sandbox_mode,
        pool_size=1,
    )
    try:
        names = list(dict.fromkeys(q.file_name for q in questions))
        prepared = await prepare_tables([tables / n for n in names], work / "tables")
        for question in questions:
            # Shared: one kernel for the whole run (the tables are swapped in as needed).
            key = "shared" if options.share_conversations else f"q-{question.id}"
            done(await _ask_kernel(provider, kernels, prepared[question.file_name], question, key))
            if not options.share_conversations:
                await kernels.restart(key)
    finally:
        await kernels.shutdown()


async def _ask_kernel(
    provider: ChatProvider,
    kernels: Any,
    table: PreparedTable,
    question: EvalQuestion,
    key: str,
) -> QuestionResult:
    result = _new_result(question)
    began = time.perf_counter()
    try:
        reply = await ask_direct(provider, kernels, table, question.message(), key)
    except AppError as exc:
        result.error = exc.message
    except Exception as exc:  # one broken question must not stop the run
        result.error = f"{type(exc).__name__}: {exc}"
    else:
        _record(result, reply)
    result.seconds = round(time.perf_counter() - began, 3)
    return result


def _new_result(question: EvalQuestion) -> QuestionResult:
    return QuestionResult(
        id=question.id,
        file_name=question.file_name,
        question=question.question,
        level=question.level,
        concepts=list(question.concepts),
    )


async def _upload_all(
    platform: Platform, tables: Path, questions: list[EvalQuestion]
) -> dict[str, str | AppError]:
    """Dataset id per file name (or the error that stopped its upload)."""
    uploads: dict[str, str | AppError] = {}
    for name in dict.fromkeys(q.file_name for q in questions):
        try:
            uploads[name] = await platform.upload(tables / name)
        except (AppError, OSError) as exc:
            uploads[name] = exc if isinstance(exc, AppError) else AppError(str(exc))
    for name, dataset in list(uploads.items()):
        if isinstance(dataset, str):
            try:
                await platform.wait_ready(dataset)
            except AppError as exc:
                uploads[name] = exc
    return uploads


async def _ask(
    platform: Platform,
    question: EvalQuestion,
    datasets: dict[str, str | AppError],
    shared: dict[str, str],
    options: RunOptions,
) -> QuestionResult:
    result = _new_result(question)
    dataset = datasets.get(question.file_name)
    if not isinstance(dataset, str):
        result.error = f"upload failed: {getattr(dataset, 'message', dataset)}"
        return result
    began = time.perf_counter()
    try:
        conversation = shared.get(question.file_name)
        if conversation is None:
            conversation = await platform.new_conversation(dataset, f"eval {question.id}")
            if options.share_conversations:
                shared[question.file_name] = conversation
        reply = await platform.chat(conversation, question.message())
    except AppError as exc:
        result.error = exc.message
    else:
        _record(result, reply)
    result.seconds = round(time.perf_counter() - began, 3)
    return result


def _record(result: QuestionResult, reply: Reply) -> None:
    result.answer = reply.content
    result.answers = parse_answers(reply.content)
    result.provider = reply.provider
    result.cell_statuses = [str(cell.get("status")) for cell in reply.cells]
    result.intent = _intent(reply.cells)
    if reply.status != "complete":
        result.error = f"the turn ended as {reply.status}: {reply.content[:200]}"
    elif any(status not in {"ok", "cached"} for status in result.cell_statuses):
        result.error = "a cell failed"


def _intent(cells: list[dict[str, Any]]) -> str | None:
    """The built-in analyst's intent, read from its `__RESULT__` line."""
    for cell in reversed(cells):
        texts = [str(p.get("text") or "") for p in cell.get("outputs") or []]
        for text in [*cell.get("results", []), *texts]:
            match = RESULT_LINE.search(str(text))
            if match:
                try:
                    return str(json.loads(match.group(1)).get("intent"))
                except ValueError:
                    return None
    return None


def _score(result: QuestionResult, labels: dict[str, list[tuple[str, str]]] | None) -> None:
    if labels is None or result.id not in labels:
        return
    expected = labels[result.id]
    scores = score_answer(result.answer, expected)
    result.expected = [[name, value] for name, value in expected]
    result.sub_correct = [s.correct for s in scores]
    result.correct = bool(scores) and all(result.sub_correct)
