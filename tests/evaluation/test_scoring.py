"""Scoring `@name[value]` answers and reading the question and label files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chatdata.errors import BadRequest
from chatdata.evaluation import (
    load_labels,
    load_questions,
    parse_answers,
    score_answer,
    values_match,
)


def test_parse_answers_keeps_the_last_value_of_a_name() -> None:
    text = "First guess @mean[1.0]. Final: @mean[34.65] @top_class[ Gentoo ] and @n[344]"
    assert parse_answers(text) == {"mean": "34.65", "top_class": "Gentoo", "n": "344"}


@pytest.mark.parametrize(
    ("got", "expected", "match"),
    [
        ("34.65", "34.65", True),
        ("34.650000001", "34.65", True),
        ("34.66", "34.65", False),
        ("0", "0.00", True),
        ("1,234", "1234", True),
        ("Gentoo", "gentoo", True),
        ("not normal", "normal", False),
        ("1e-7", "0", True),
        ("nan", "nan", True),
    ],
)
def test_values_match(got: str, expected: str, match: bool) -> None:
    assert values_match(got, expected) is match


def test_score_answer_per_sub_answer() -> None:
    scores = score_answer("@mean[3.00] @std[1.38]", [("mean", "3"), ("std", "1.40"), ("n", "244")])
    assert [(s.name, s.got, s.correct) for s in scores] == [
        ("mean", "3.00", True),
        ("std", "1.38", False),
        ("n", None, False),
    ]


def test_question_and_label_files(tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps({"id": 7, "question": "Mean fare?", "constraints": "Use all rows.",
                    "format": "@mean_fare[x]", "file_name": "t.csv", "level": "easy",
                    "concepts": ["Summary Statistics"]}) + "\n\n",
        encoding="utf-8",
    )  # fmt: skip
    [question] = load_questions(questions)
    assert (question.id, question.level, question.concepts) == (
        "7",
        "easy",
        ("Summary Statistics",),
    )
    assert question.message() == (
        "Mean fare?\n\nConstraints: Use all rows.\n\nAnswer format: @mean_fare[x]"
    )
    labels = tmp_path / "l.jsonl"
    labels.write_text('{"id": 7, "common_answers": [["mean_fare", "34.65"]]}\n', encoding="utf-8")
    assert load_labels(labels) == {"7": [("mean_fare", "34.65")]}
    questions.write_text('{"id": 1, "question": "no file"}\n', encoding="utf-8")
    with pytest.raises(BadRequest, match="lacks file_name"):
        load_questions(questions)
