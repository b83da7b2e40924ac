"""Evaluation harness: run InfiAgent-DABench-style questions through the real upload and
chat API with any provider, score `@name[value]` answers against labels, summarise."""

from chatdata.evaluation.questions import EvalQuestion, load_labels, load_questions
from chatdata.evaluation.runner import QuestionResult, RunOptions, run_evaluation
from chatdata.evaluation.scoring import parse_answers, score_answer, values_match
from chatdata.evaluation.summary import Summary, render_summary, summarize

__all__ = [
    "EvalQuestion",
    "QuestionResult",
    "RunOptions",
    "Summary",
    "load_labels",
    "load_questions",
    "parse_answers",
    "render_summary",
    "run_evaluation",
    "score_answer",
    "summarize",
    "values_match",
]
