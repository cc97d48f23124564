"""balancekit: machine learning on class-imbalanced data."""

from importlib import import_module as _import_module

__version__ = "0.1.0"

__all__ = ["BaseSampler", "FunctionSampler", "Resampled", "resolve_sampling_strategy",
           "__version__"]

# Everything is imported on first access (``balancekit.over_sampling.SMOTE`` after
# ``import balancekit``, as with imbalanced-learn), so that ``import balancekit`` loads no
# scientific library: the command line starts at once and answers Ctrl-C while it loads them.
_SUBMODULES = ("calibration", "combine", "datasets", "ensemble", "evaluation", "exceptions",
               "keras", "metrics", "model_selection", "over_sampling", "pipeline", "report",
               "tensorflow", "under_sampling", "utils", "weights")
_NAMES = {"BaseSampler": "._base", "FunctionSampler": "._function_sampler", "Resampled": "._base",
          "resolve_sampling_strategy": "._strategy"}


def __getattr__(name):
    if name in _SUBMODULES:
        return _import_module(f".{name}", __name__)
    if name in _NAMES:
        return getattr(_import_module(_NAMES[name], __name__), name)
    raise AttributeError(f"module 'balancekit' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_SUBMODULES) | set(_NAMES))
