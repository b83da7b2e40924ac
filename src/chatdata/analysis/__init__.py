"""The analysis library: cleaning, statistics, models, time series and charts.

Plain functions over Polars/DuckDB/pandas used by tasks, the built-in analyst and reports.
Each returns an `AnalysisResult` (numbers, small tables, Plotly figure dicts and a
plain-language summary); computations that run on a sample say so in `sample_note`.
"""

from chatdata.analysis.result import AnalysisResult

__all__ = ["AnalysisResult"]
