"""Checks for writing samplers of your own, as imbalanced-learn's ``imblearn.utils`` has them.

:func:`check_sampling_strategy` reads a ``sampling_strategy`` with imbalanced-learn's
convention (the rows to add, to keep, or the classes to clean),
:func:`check_neighbors_object` turns a ``k_neighbors``-like parameter into a
neighbours estimator, and :func:`check_target_type` turns a target into one label
per row. balancekit's own samplers use
:func:`balancekit.resolve_sampling_strategy`, which gives the count wanted per
class after resampling.
"""

from ._validation import check_neighbors_object, check_sampling_strategy, check_target_type

__all__ = ["check_neighbors_object", "check_sampling_strategy", "check_target_type"]
