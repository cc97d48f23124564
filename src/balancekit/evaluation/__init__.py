"""Compare ways of handling class imbalance with leakage-safe cross-validation.

:func:`compare` runs every strategy (no resampling, class weights, each
sampler) as a pipeline evaluated by repeated stratified k-fold
cross-validation, ranks them, recommends one and returns a
:class:`ComparisonResult` that writes JSON and a self-contained HTML report.
"""

from ._compare import ComparisonInterrupted, compare
from ._strategies import available_strategies, default_strategies
from ._summary import ComparisonResult

__all__ = [
    "ComparisonInterrupted",
    "ComparisonResult",
    "available_strategies",
    "compare",
    "default_strategies",
]
