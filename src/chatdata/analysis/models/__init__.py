"""Models: linear/polynomial/logistic regression (statsmodels), tree models and clustering.

Every model is fitted on at most `max_rows` rows (default 200,000; a seeded random sample
above that, stated in `sample_note`); see `prepare.py` for the missing-value and encoding
policy.
"""

from chatdata.analysis.models.clustering import dbscan, kmeans
from chatdata.analysis.models.logistic import logistic_regression
from chatdata.analysis.models.regression import linear_regression, polynomial_regression
from chatdata.analysis.models.supervised import train_model

__all__ = [
    "dbscan",
    "kmeans",
    "linear_regression",
    "logistic_regression",
    "polynomial_regression",
    "train_model",
]
