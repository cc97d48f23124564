"""Distances between rows, learned from the class labels.

:class:`ValueDifferenceMetric` is imbalanced-learn's
``imblearn.metrics.pairwise.ValueDifferenceMetric``: the distance between rows
of category codes that :class:`~balancekit.over_sampling.SMOTEN` searches its
neighbours with.
"""

from ._pairwise import ValueDifferenceMetric

__all__ = ["ValueDifferenceMetric"]
