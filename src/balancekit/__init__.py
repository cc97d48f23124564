"""balancekit: machine learning on class-imbalanced data."""

from ._base import BaseSampler
from ._strategy import resolve_sampling_strategy

__version__ = "0.1.0"

__all__ = ["BaseSampler", "resolve_sampling_strategy", "__version__"]
