"""Choose the analysis for a question: the first rule that recognises it wins.

A plan whose needed columns were not found turns into a clarifying question when a
word of the question could mean several columns, and into `need_columns` otherwise."""

from __future__ import annotations

from collections.abc import Callable

from chatdata.chat.llm.builtin import rules_cleaning, rules_data, rules_stats
from chatdata.chat.llm.builtin.context import Question
from chatdata.chat.llm.builtin.plan import Plan
from chatdata.chat.llm.builtin.schema import Schema

Rule = Callable[[Question], Plan | None]

RULES: tuple[Rule, ...] = (
    rules_stats.regression_rule,
    rules_stats.forecast_rule,
    rules_stats.decompose_rule,
    rules_cleaning.missing_rule,
    rules_cleaning.duplicates_rule,
    rules_cleaning.outliers_rule,
    rules_cleaning.convert_rule,
    rules_stats.tests_rule,
    rules_stats.clustering_rule,
    rules_stats.correlation_rule,
    rules_stats.trend_rule,
    rules_stats.resample_rule,
    rules_data.percentage_rule,
    rules_data.unique_rule,
    rules_data.value_counts_rule,
    rules_data.chart_rule,
    rules_data.overview_rule,
    rules_data.groupby_rule,
    rules_data.aggregate_rule,
    rules_data.filter_rule,
    rules_data.describe_rule,
    rules_data.bare_columns_rule,
)

# How many columns each intent needs in `plan.columns` (plus a group where noted).
NEEDS_COLUMNS: dict[str, int] = {
    "describe": 1, "unique": 1, "value_counts": 1, "convert": 1, "normality": 1,
    "chi_square": 2, "linear_regression": 2, "logistic_regression": 2, "regression": 2,
    "ratio": 2, "trend": 1, "resample": 1, "forecast": 1, "decompose": 1, "chart": 1,
}  # fmt: skip
NEEDS_GROUP = frozenset({"anova"})


def plan_question(question: str, schema: Schema, constraints: str = "") -> Plan:
    """The plan for `question`: an analysis, `clarify`, `need_columns` or `unknown`.

    `constraints` (method notes such as "use Welch's t-test") refine the plan when they
    agree with the question's own intent; they never change what is asked."""
    plan = _plan(question, schema)
    if not constraints.strip():
        return plan
    refined = _plan(f"{question}\n{constraints}", schema)
    return refined if refined.intent == plan.intent else plan


def _plan(question: str, schema: Schema) -> Plan:
    parsed = Question.parse(question, schema)
    for rule in RULES:
        plan = rule(parsed)
        if plan is None:
            continue
        return _checked(plan, parsed)
    if parsed.resolution.ambiguous:
        return _clarify(parsed)
    return Plan("unknown")


def parse(question: str, schema: Schema) -> Question:
    """The parsed question (tokens, columns, values, filters); for tests and answers."""
    return Question.parse(question, schema)


def _checked(plan: Plan, parsed: Question) -> Plan:
    missing = len(plan.columns) < NEEDS_COLUMNS.get(plan.intent, 0)
    missing = missing or (plan.intent in NEEDS_GROUP and plan.group is None)
    missing = missing or (
        plan.intent == "aggregate" and not plan.columns and plan.stats != ["count"]
    )
    missing = missing or (plan.intent in {"ttest", "anova"} and not plan.columns)
    time_based = plan.intent in {"trend", "resample", "forecast", "decompose"}
    if time_based and not plan.options.get("date"):
        return Plan("need_columns", options={"for": plan.intent, "kind": "datetime"})
    if plan.intent == "convert" and plan.options.get("to") == "unknown":
        return Plan(
            "need_columns", columns=plan.columns, options={"for": "convert", "kind": "type"}
        )
    if not missing:
        return plan
    if parsed.resolution.ambiguous:
        return _clarify(parsed)
    return Plan("need_columns", columns=plan.columns, options={"for": plan.intent})


def _clarify(parsed: Question) -> Plan:
    ambiguity = parsed.resolution.ambiguous[0]
    return Plan(
        "clarify",
        options={"term": ambiguity.term, "candidates": list(ambiguity.candidates)},
    )
