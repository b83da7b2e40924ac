"""`@name[value]` answers: requested names, rounding, allowed words, value matching."""
# ruff: noqa: RUF001 - Chinese questions

from __future__ import annotations

from chatdata.chat.llm.builtin.formats import (
    format_answers,
    match_value,
    requested_formats,
    split_message,
)

DABENCH = (
    "Calculate the mean fare paid by the passengers.\n\n"
    "Constraints: Calculate the mean fare using Python's built-in statistics module.\n\n"
    'Answer format: @mean_fare[mean_fare_value] where "mean_fare_value" is a floating-point '
    "number rounded to two decimal places."
)


def test_dabench_question_is_split_and_rounded() -> None:
    assert split_message(DABENCH) == (
        "Calculate the mean fare paid by the passengers.",
        "Calculate the mean fare using Python's built-in statistics module.",
    )
    [request] = requested_formats(DABENCH)
    assert (request.name, request.placeholder, request.decimals) == (
        "mean_fare",
        "mean_fare_value",
        2,
    )
    assert format_answers(DABENCH, {"mean_fare": 34.6939}) == ["@mean_fare[34.69]"]


def test_each_token_gets_its_own_rounding_and_words() -> None:
    question = (
        "Test it.\n\nAnswer format: @p_value[p] @t_stat[t] @verdict[v] where p is rounded to "
        '4 decimal places. t is rounded to 1 decimal place. v is "significant" or '
        '"not significant".'
    )
    values = {"t_statistic": -2.456, "p_value": 0.01234567, "significant": True}
    assert format_answers(question, values) == [
        "@p_value[0.0123]",
        "@t_stat[-2.5]",
        "@verdict[significant]",
    ]
    values["significant"] = False
    assert format_answers(question, values)[-1] == "@verdict[not significant]"
    # Chinese rounding instructions; whole numbers stay whole.
    question = "求均值和行数\n\n@mean[x] @rows[n]，x 保留三位小数"
    assert format_answers(question, {"rows": 344.0, "mean": 1.23456}) == [
        "@mean[1.235]",
        "@rows[344]",
    ]


def test_names_are_matched_by_meaning() -> None:
    values = {
        "r": 0.87,
        "p_value": 1e-9,
        "column": "proline",
        "max_period": "2015-07-01",
        "max": 28.1,
    }
    assert match_value("correlation_coefficient", values, 0) == 0.87
    assert match_value("pvalue", values, 0) == 1e-9
    assert match_value("most_correlated_feature", values, 0) == "proline"
    assert match_value("hottest_month", values, 0) == "2015-07-01"
    assert match_value("highest_value", values, 0) == 28.1
    regression = {"r_squared": 0.76, "intercept": -5780.8, "coef_flipper_length_mm": 49.69}
    assert match_value("slope", regression, 0) == 49.69
    assert match_value("R2", regression, 0) == 0.76
