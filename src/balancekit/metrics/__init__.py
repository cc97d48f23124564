"""Metrics for classifiers trained on imbalanced data.

The names and signatures of ``imblearn.metrics`` (sensitivity, specificity,
geometric mean, index balanced accuracy, the imbalanced classification
report), plus :func:`imbalance_report`, a JSON-ready summary focused on the
rare class, and :func:`format_imbalance_report`, its text layout. The module
:mod:`balancekit.metrics.pairwise` holds the value difference metric
(``ValueDifferenceMetric``), as ``imblearn.metrics.pairwise`` does.
"""

from ._classification import (
    classification_report_imbalanced,
    geometric_mean_score,
    macro_averaged_mean_absolute_error,
    make_index_balanced_accuracy,
    sensitivity_score,
    sensitivity_specificity_support,
    specificity_score,
)
from ._report import format_imbalance_report, imbalance_report

__all__ = [
    "sensitivity_specificity_support",
    "sensitivity_score",
    "specificity_score",
    "geometric_mean_score",
    "make_index_balanced_accuracy",
    "classification_report_imbalanced",
    "macro_averaged_mean_absolute_error",
    "imbalance_report",
    "format_imbalance_report",
]


def __getattr__(name):
    # ``balancekit.metrics.pairwise`` after ``import balancekit.metrics``, as with
    # imbalanced-learn, imported on first access (it loads the over-samplers' code).
    if name == "pairwise":
        import importlib

        return importlib.import_module(f"{__name__}.pairwise")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
