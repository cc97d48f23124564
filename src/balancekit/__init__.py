"""balancekit: machine learning on class-imbalanced data."""

from importlib import import_module as _import_module

from ._base import BaseSampler
from ._function_sampler import FunctionSampler
from ._strategy import resolve_sampling_strategy

__version__ = "0.1.0"

__all__ = ["BaseSampler", "FunctionSampler", "resolve_sampling_strategy", "__version__"]

# The public subpackages, imported on first access (``balancekit.over_sampling.SMOTE`` after
# ``import balancekit``, as with imbalanced-learn) so that ``import balancekit`` stays light.
_SUBMODULES = ("calibration", "combine", "datasets", "ensemble", "evaluation", "exceptions",
               "metrics", "over_sampling", "pipeline", "report", "under_sampling", "weights")


def __getattr__(name):
    if name in _SUBMODULES:
        return _import_module(f".{name}", __name__)
    raise AttributeError(f"module 'balancekit' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_SUBMODULES))
