"""Analyses by name, callable with JSON parameters: the entry point for tasks and the analyst.

`run_analysis("ttest_two_sample", frame, {"value": "price", "group": "variant"})` validates
the parameters against the function's signature (pydantic `validate_call`: unknown or
missing parameters and wrong types raise ValidationFailed naming the analysis) and returns
its `AnalysisResult`. `list_analyses()` describes every analysis and its parameters.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError, validate_call

from chatdata.analysis import models, stats, timeseries
from chatdata.analysis.cleaning import outlier_report, suggest_missing_strategies
from chatdata.analysis.result import AnalysisResult, json_safe
from chatdata.errors import BadRequest, ValidationFailed

AnalysisFunction = Callable[..., AnalysisResult]
ANALYSES: dict[str, AnalysisFunction] = {
    "describe": stats.describe,
    "correlation": stats.correlation,
    "ttest_one_sample": stats.one_sample_ttest,
    "ttest_two_sample": stats.two_sample_ttest,
    "ttest_paired": stats.paired_ttest,
    "mann_whitney": stats.mann_whitney,
    "kruskal_wallis": stats.kruskal_wallis,
    "anova": stats.one_way_anova,
    "chi_square": stats.chi_square,
    "normality": stats.normality,
    "ab_test": stats.ab_test,
    "linear_regression": models.linear_regression,
    "polynomial_regression": models.polynomial_regression,
    "logistic_regression": models.logistic_regression,
    "train_model": models.train_model,
    "kmeans": models.kmeans,
    "dbscan": models.dbscan,
    "resample": timeseries.resample,
    "trend": timeseries.trend,
    "decompose": timeseries.decompose,
    "forecast": timeseries.forecast,
    "missing_values": suggest_missing_strategies,
    "outliers": outlier_report,
}
_VALIDATED: dict[str, AnalysisFunction] = {
    name: validate_call(config={"arbitrary_types_allowed": True})(function)
    for name, function in ANALYSES.items()
}


def _problems(error: ValidationError) -> str:
    parts = []
    for problem in error.errors():
        where = ".".join(str(p) for p in problem["loc"])
        parts.append(f"{where}: {problem['msg']}" if where else str(problem["msg"]))
    return "; ".join(parts)


def run_analysis(name: str, frame: object, parameters: Mapping[str, Any]) -> AnalysisResult:
    """Run the analysis `name` on `frame` with JSON `parameters` (validated first)."""
    if name not in ANALYSES:
        raise BadRequest(
            f"unknown analysis {name!r}; available: {', '.join(ANALYSES)}",
            details={"available": list(ANALYSES)},
        )
    if "frame" in parameters:
        raise ValidationFailed(f"{name}: 'frame' is the dataset and cannot be a parameter")
    try:
        return _VALIDATED[name](frame, **parameters)
    except ValidationError as error:
        raise ValidationFailed(
            f"{name}: {_problems(error)}",
            details={"analysis": name, "errors": json_safe(error.errors(include_url=False))},
        ) from error


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def _describe_parameter(parameter: inspect.Parameter) -> dict[str, Any]:
    required = parameter.default is inspect.Parameter.empty
    return {
        "name": parameter.name,
        "type": _type_name(parameter.annotation),
        "required": required,
        "default": None if required else json_safe(parameter.default),
    }


def list_analyses() -> list[dict[str, Any]]:
    """Name, one-line description and parameters (except the frame) of every analysis."""
    described = []
    for name, function in ANALYSES.items():
        parameters = list(inspect.signature(function, eval_str=True).parameters.values())[1:]
        described.append(
            {
                "name": name,
                "description": (inspect.getdoc(function) or "").splitlines()[0],
                "parameters": [_describe_parameter(p) for p in parameters],
            }
        )
    return described
