"""balancekit: machine learning on class-imbalanced data."""

from ._base import BaseSampler
from ._function_sampler import FunctionSampler
from ._strategy import resolve_sampling_strategy

__version__ = "0.1.0"

__all__ = ["BaseSampler", "FunctionSampler", "resolve_sampling_strategy", "__version__"]
