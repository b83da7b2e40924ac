"""Time series: resampling, trend, seasonal decomposition and forecasts with intervals."""

from chatdata.analysis.timeseries.decompose import decompose
from chatdata.analysis.timeseries.forecast import METHODS, forecast
from chatdata.analysis.timeseries.trend import resample, trend

__all__ = ["METHODS", "decompose", "forecast", "resample", "trend"]
