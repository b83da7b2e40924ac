"""Statistics: descriptive summary, correlation, hypothesis tests and the A/B test.

Moment-based results (t-tests, ANOVA, A/B, chi-square, describe) are exact over the full
data via streaming Polars aggregates; tests needing raw values (rank tests, normality,
correlation matrices) use a seeded sample above a row limit and say so in `sample_note`.
"""

from chatdata.analysis.stats.abtest import ab_test
from chatdata.analysis.stats.anova import one_way_anova
from chatdata.analysis.stats.categorical import chi_square
from chatdata.analysis.stats.correlation import correlation
from chatdata.analysis.stats.describe import describe
from chatdata.analysis.stats.normality import normality
from chatdata.analysis.stats.rank_tests import kruskal_wallis, mann_whitney
from chatdata.analysis.stats.ttests import one_sample_ttest, paired_ttest, two_sample_ttest

__all__ = [
    "ab_test",
    "chi_square",
    "correlation",
    "describe",
    "kruskal_wallis",
    "mann_whitney",
    "normality",
    "one_sample_ttest",
    "one_way_anova",
    "paired_ttest",
    "two_sample_ttest",
]
