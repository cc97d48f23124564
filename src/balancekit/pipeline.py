"""A scikit-learn Pipeline that accepts samplers, which run in fit only.

A sampler (any object with ``fit_resample``) may stand at any step. It
resamples the training rows flowing through it when the pipeline is fitted
(``fit``, ``fit_transform``, ``fit_predict``, ``fit_resample``) and is skipped
when the pipeline predicts, scores or transforms. Inside
:func:`~sklearn.model_selection.cross_validate` or
:class:`~sklearn.model_selection.GridSearchCV` a sampler therefore only ever
sees the training rows of each split, never the rows the model is scored on:
resampling cannot leak test data into training.

:class:`Pipeline` is a subclass of :class:`sklearn.pipeline.Pipeline`:
``get_params``/``set_params`` (``smote__k_neighbors``), ``named_steps``,
indexing and slicing behave as there.
"""

import os
import re
import time
from contextlib import contextmanager
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn import get_config
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline as _SkPipeline
from sklearn.pipeline import make_pipeline as _sk_make_pipeline
from sklearn.utils.metadata_routing import (
    MetadataRequest,
    MetadataRouter,
    MethodMapping,
    get_routing_for_object,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, check_memory

from . import _frames
from ._validation import accepts_parameter, check_not_a_class
from .exceptions import DataError, InvalidParameterError, InvalidParameterTypeError

__all__ = ["Pipeline", "make_pipeline"]

# The methods of a step that may receive fit parameters.
_FIT_METHODS = ("fit", "fit_transform", "fit_predict", "fit_resample", "transform")


def _is_passthrough(step):
    return step is None or (isinstance(step, str) and step == "passthrough")


def _is_sampler(step):
    return not _is_passthrough(step) and hasattr(step, "fit_resample")


def _skipped_transformers(sampler):
    """The transformer steps of a Pipeline that ends with a sampler (none for a sampler): a
    sampler is skipped outside fit, and such transformers with it."""
    if not isinstance(sampler, _SkPipeline):
        return []
    return [n for n, s in sampler.steps if not _is_passthrough(s) and not _is_sampler(s)]


def _inner_samplers(pipe):
    """The names of the sampler steps of the Pipeline ``pipe``, at any depth
    (``'outer__inner'`` for a step of a nested pipeline)."""
    found = []
    for name, step in pipe.steps:
        if isinstance(step, _SkPipeline):
            found += [f"{name}__{inner}" for inner in _inner_samplers(step)]
        elif _is_sampler(step):
            found.append(name)
    return found


def check_sampler(name, sampler):
    """Check the sampler parameter ``name`` of a meta-estimator, which resamples the rows an
    estimator is fitted on and not the rows it predicts."""
    check_not_a_class(name, sampler, "a sampler object")
    if not hasattr(sampler, "fit_resample"):
        hint = (
            " A Pipeline is a sampler only when its last step other than 'passthrough' is one."
            if isinstance(sampler, _SkPipeline)
            else ""
        )
        raise InvalidParameterTypeError(
            f"{name} must have a fit_resample method (a balancekit sampler); got "
            f"{sampler!r}.{hint}"
        )
    inner = _skipped_transformers(sampler)
    if inner:
        raise InvalidParameterError(
            f"{name} is a Pipeline that ends with a sampler: its transformer step(s) {inner!r} "
            "would change the rows the estimator is fitted on, but not the rows it predicts. "
            "Put them in the estimator instead (e.g. make_pipeline(StandardScaler(), "
            "LogisticRegression()))."
        )


def _routing_enabled():
    return bool(get_config().get("enable_metadata_routing", False))


def _n_rows(X):
    """The number of rows of ``X``, or None when ``X`` has none to count (``None``, which
    scikit-learn's Pipeline passes on to steps that do not read ``X``) or when it is not
    known before a computation (a dask collection's: lazy, or NaN)."""
    if X is None:
        return None
    shape = getattr(X, "shape", None)
    if shape is not None and len(shape) >= 1:
        return int(shape[0]) if isinstance(shape[0], Integral) else None
    if _frames.as_frame(X) is not None:
        return _frames.n_rows(X)
    if hasattr(X, "__len__"):
        return len(X)
    return np.asarray(X).shape[0]


# ----------------------------------------------------------------------------
# availability of the methods (for available_if)


def _final_has(attr):
    """The last step has ``attr`` (raises its AttributeError otherwise)."""

    def check(self):
        getattr(self.steps[-1][1], attr)
        return True

    return check


def _last_real_step(pipe):
    """The last step that is not 'passthrough' (or None), or None when there is none.

    Trailing 'passthrough' steps change nothing: a pipeline is a sampler when this
    step is one, and a transformer when it is a transformer or when every step is
    'passthrough' (as :class:`sklearn.pipeline.Pipeline` is).
    """
    for _, step in reversed(pipe.steps):
        if not _is_passthrough(step):
            return step
    return None


def _can_transform(self):
    last = _last_real_step(self)
    return last is None or hasattr(last, "transform")


def _can_fit_transform(self):
    last = _last_real_step(self)
    return last is None or hasattr(last, "transform") or hasattr(last, "fit_transform")


def _can_fit_resample(self):
    return _is_sampler(_last_real_step(self))


def _can_inverse_transform(self):
    return all(
        hasattr(step, "inverse_transform")
        for _, step in self.steps
        if not _is_passthrough(step) and not _is_sampler(step)
    )


# ----------------------------------------------------------------------------
# validation


def _validate_pipeline(pipe):
    """Check ``steps``, ``memory``, ``verbose`` and ``transform_input``."""
    steps = pipe.steps
    if not isinstance(steps, (list, tuple)):
        raise InvalidParameterTypeError(
            f"steps must be a list of (name, estimator) pairs; got {type(steps).__name__}."
        )
    if not steps:
        raise InvalidParameterError("steps is empty: a Pipeline needs at least one step.")
    for item in steps:
        if not isinstance(item, (tuple, list)) or len(item) != 2 or not isinstance(item[0], str):
            raise InvalidParameterTypeError(
                f"steps must be a list of (name, estimator) pairs with string names; got "
                f"{item!r}."
            )
    names = [name for name, _ in steps]
    reserved = set(pipe.get_params(deep=False))
    seen = set()
    for name in names:
        if name in seen:
            raise InvalidParameterError(
                f"step names must be unique; {name!r} is used more than once in {names!r}."
            )
        seen.add(name)
        if "__" in name:
            raise InvalidParameterError(
                f"step name {name!r} contains '__', which separates a step from its "
                "parameters (e.g. 'smote__k_neighbors'); rename the step."
            )
        if name in reserved:
            raise InvalidParameterError(
                f"step name {name!r} is also a parameter of Pipeline ({sorted(reserved)}); "
                "rename the step."
            )
    first_use = {}
    for name, step in steps:
        if _is_passthrough(step) or isinstance(step, str):
            continue
        if isinstance(step, type):
            raise InvalidParameterTypeError(
                f"step {name!r} is the class {step.__name__}, not an instance; write "
                f"{step.__name__}() instead."
            )
        if id(step) in first_use:
            raise InvalidParameterError(
                f"steps {first_use[id(step)]!r} and {name!r} are the same {type(step).__name__} "
                "object; give each step its own instance (e.g. with sklearn.base.clone)."
            )
        first_use[id(step)] = name
    for name, step in steps[:-1]:
        if _is_passthrough(step):
            continue
        is_sampler = hasattr(step, "fit_resample")
        is_transformer = (hasattr(step, "fit") or hasattr(step, "fit_transform")) and hasattr(
            step, "transform"
        )
        if is_sampler and is_transformer:
            raise InvalidParameterTypeError(
                f"step {name!r} ({type(step).__name__}) has both fit_resample and transform; an "
                "intermediate step must be either a sampler or a transformer, not both."
            )
        if not is_sampler and isinstance(step, _SkPipeline) and _inner_samplers(step):
            raise InvalidParameterError(
                f"step {name!r} is a Pipeline holding the sampler step(s) "
                f"{_inner_samplers(step)!r}, and not the last step: its fit_transform returns "
                "the resampled rows, which no longer match the y of this pipeline (the next "
                "step would learn from misaligned labels). Put its steps in this pipeline "
                "directly."
            )
        if is_sampler:
            inner = _skipped_transformers(step)
            if inner:
                raise InvalidParameterError(
                    f"step {name!r} is a Pipeline that ends with a sampler, so it is skipped "
                    f"outside fit together with its transformer step(s) {inner!r}, which would "
                    "then never transform the data to predict. Put its steps in this pipeline "
                    "directly."
                )
        if not (is_sampler or is_transformer):
            raise InvalidParameterTypeError(
                f"step {name!r} ({step!r}) is not the last step, so it must be a transformer "
                "(fit and transform), a sampler (fit_resample) or 'passthrough'; it is none "
                "of these."
            )
    name, last = steps[-1]
    if not _is_passthrough(last) and not (hasattr(last, "fit") or hasattr(last, "fit_resample")):
        raise InvalidParameterTypeError(
            f"the last step {name!r} ({last!r}) must implement fit (or fit_resample), or be "
            "'passthrough' or None."
        )
    memory = pipe.memory
    if not (memory is None or isinstance(memory, (str, os.PathLike)) or hasattr(memory, "cache")):
        raise InvalidParameterTypeError(
            f"memory must be None, a directory path or an object with the joblib.Memory "
            f"interface; got {memory!r}."
        )
    if not isinstance(pipe.verbose, (bool, np.bool_)):
        raise InvalidParameterTypeError(
            f"verbose must be True or False; got {pipe.verbose!r} of type "
            f"{type(pipe.verbose).__name__}."
        )
    transform_input = pipe.transform_input
    if transform_input is not None:
        if not isinstance(transform_input, list) or not all(
            isinstance(v, str) for v in transform_input
        ):
            raise InvalidParameterTypeError(
                f"transform_input must be None or a list of parameter names; got "
                f"{transform_input!r}."
            )
        if not _routing_enabled():
            raise InvalidParameterError(
                "transform_input can only be set when metadata routing is enabled: call "
                "sklearn.set_config(enable_metadata_routing=True) first."
            )


def _check_memory(pipe):
    memory = pipe.memory
    if isinstance(memory, os.PathLike):
        memory = os.fspath(memory)
    return check_memory(memory)


# ----------------------------------------------------------------------------
# fit parameters


def _route_fit_params(pipe, method, params):
    """Validate the pipeline; ``{step name: {step method: {param: value}}}`` for one fit."""
    _validate_pipeline(pipe)
    pipe.steps = list(pipe.steps)  # fitted steps replace these, not the caller's list
    names = [name for name, _ in pipe.steps]
    routed = {name: {m: {} for m in _FIT_METHODS} for name in names}
    if _routing_enabled():
        _check_sampler_weight_is_routed(pipe, method, params)
        try:
            bunch = process_routing(pipe, "fit" if method == "fit_resample" else method,
                                    **params)
        except TypeError as exc:
            if method != "fit_resample":
                raise
            # routed as fit (see get_metadata_routing): say which method was called
            raise InvalidParameterTypeError(
                f"Pipeline.fit_resample routes its parameters as Pipeline.fit does: {exc}"
            ) from exc
        for name, step in pipe.steps:
            for m in _FIT_METHODS:
                routed[name][m] = _routed(bunch, name, m)
            if _is_sampler(step):
                # routed as its fit (see get_metadata_routing), called as fit_resample
                routed[name]["fit_resample"] = routed[name]["fit"]
        return routed
    steps = dict(pipe.steps)
    for key, value in params.items():
        if "__" not in key:
            example = f"{names[-1]}__{key}"
            raise InvalidParameterError(
                f"Pipeline.{method} does not accept the parameter {key!r}; pass parameters to "
                f"a step as stepname__parameter, e.g. Pipeline.{method}(X, y, "
                f"{example}=...)."
            )
        step_name, param = key.split("__", 1)
        if step_name not in steps:
            raise InvalidParameterError(
                f"parameter {key!r} names no step; the steps are {names!r}."
            )
        if _is_passthrough(steps[step_name]):
            raise InvalidParameterError(
                f"parameter {key!r} is for step {step_name!r}, which is 'passthrough' and "
                "takes no parameters."
            )
        for m in _FIT_METHODS:
            if m != "transform":
                routed[step_name][m][param] = value
    return routed


def _final_sampler(pipe):
    """``(path, sampler)`` of the sampler a Pipeline that is a sampler ends with, the path as
    its ``stepname__`` prefix (``'outer__inner'`` in a nested Pipeline); None for a Pipeline
    that is not a sampler."""
    path = []
    while True:
        real = [(name, step) for name, step in pipe.steps if not _is_passthrough(step)]
        if not real or not _is_sampler(real[-1][1]):
            return None
        name, step = real[-1]
        path.append(name)
        if not isinstance(step, _SkPipeline):
            return "__".join(path), step
        pipe = step


def _check_sampler_weight_is_routed(pipe, method, params):
    """With metadata routing enabled, explain a ``sample_weight`` given to a Pipeline that
    ends with a sampler and that no step requests: scikit-learn says the pipeline's ``fit``
    got an argument "not routed to any object", also when ``fit_resample`` was called."""
    if "sample_weight" not in params:
        return
    found = _final_sampler(pipe)
    if found is None or pipe.get_metadata_routing().consumes("fit", ["sample_weight"]):
        return
    path, sampler = found
    if not accepts_parameter(sampler.fit_resample, "sample_weight"):
        return  # scikit-learn's error: nothing could take the weights
    kind = type(sampler).__name__
    request = get_routing_for_object(sampler)
    if isinstance(request, MetadataRequest) and "sample_weight" in request.fit.requests:
        why = ("it has not requested it: call set_fit_request(sample_weight=True) on it, or "
               "pass the weights")
    else:
        why = "samplers have no set_fit_request to request it. Pass the weights"
    raise InvalidParameterTypeError(
        f"Pipeline.{method} got sample_weight, but with metadata routing enabled a pipeline "
        "passes metadata only to the steps that request them, and no step requests "
        f"sample_weight; the sampler step {path!r} ({kind}) takes sample_weight, but "
        f"{why} as {path}__sample_weight=... with metadata routing disabled "
        "(sklearn.config_context(enable_metadata_routing=False))."
    )


def _routed(routed, name, method):
    """``routed[name][method]`` of a ``process_routing`` result, ``{}`` when absent."""
    if routed is None:
        return {}
    try:
        return dict(routed[name][method])
    except KeyError:
        return {}


def _through_transformers(pipe, stop, value):
    """``value`` transformed by the fitted transformers before step ``stop``."""
    if isinstance(value, tuple):
        return tuple(_through_transformers(pipe, stop, v) for v in value)
    for _, step in pipe.steps[:stop]:
        if not _is_passthrough(step) and not _is_sampler(step):
            value = step.transform(value)
    return value


def _with_transform_input(pipe, idx, step_params):
    """Apply ``transform_input``: the named metadata go through the earlier transformers."""
    if not pipe.transform_input:
        return step_params
    out = {}
    for method, values in step_params.items():
        out[method] = {
            key: (
                _through_transformers(pipe, idx, value) if key in pipe.transform_input else value
            )
            for key, value in values.items()
        }
    return out


# Names of fit parameters that hold held-out data, never the training rows: HistGradient-
# Boosting's X_val, y_val and sample_weight_val, the eval_set and eval_* of the boosting
# libraries, valid_sets... They pass through a sampler's step unchanged, whatever their length.
_HELD_OUT = re.compile(r"(^|_)(val|valid|validation|eval)(_|$)")


def _per_row(value, n_rows, key=""):
    """Whether a fit parameter ``key`` holds one entry per training row."""
    if _HELD_OUT.search(key):
        return False
    if isinstance(value, np.ndarray) or sp.issparse(value):
        return value.ndim >= 1 and value.shape[0] == n_rows
    if isinstance(value, (list, tuple)):
        # array-like as scikit-learn reads fit parameters (its cross-validation splits
        # them by row too)
        return len(value) == n_rows
    if _frames.as_frame(value) is not None or _frames.as_series(value) is not None:
        return _frames.n_rows(value) == n_rows
    return False


def _take_rows(value, indices):
    if isinstance(value, np.ndarray):
        return np.take(value, indices, axis=0)
    if isinstance(value, (list, tuple)):
        taken = [value[i] for i in indices]
        return taken if isinstance(value, list) else tuple(taken)
    if sp.issparse(value):
        return value[indices]
    if _frames.as_frame(value) is not None:
        return _frames.take_x(value, indices)
    series = _frames.as_series(value)
    return series[indices].to_native()


def _same_values(a, b):
    if a is b:
        return True
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and bool(np.all(a == b))


def _flowing_weight(later, sampler_name):
    """The one ``sample_weight`` given to the steps after a sampler, or None."""
    found = None
    for step_name, methods in later:
        for values in methods.values():
            weight = values.get("sample_weight")
            if weight is None:
                continue
            if found is None:
                found = (step_name, weight)
            elif not _same_values(found[1], weight):
                raise InvalidParameterError(
                    f"steps {found[0]!r} and {step_name!r} after sampler {sampler_name!r} are "
                    "given different sample_weight arrays; the sampler can carry one set of "
                    "weights to its resampled rows. Give them the same weights."
                )
    return None if found is None else found[1]


def _resample_step(sampler, name, X, y, own_params, later, keep=()):
    """Run one sampler on the rows flowing at its step and realign later fit parameters.

    ``later`` lists ``(step name, {method: params})`` of the steps after the
    sampler; their per-row parameters are updated in place to the resampled rows:
    ``sample_weight`` becomes the sampler's ``sample_weight_`` (or is indexed by
    its ``sample_indices_``), other per-row arrays are indexed by
    ``sample_indices_``. Parameters named in ``keep`` (``transform_input``)
    are not per-row training data and are left alone.
    """
    if later and isinstance(sampler, Pipeline) and all(
        _is_passthrough(step) or _is_sampler(step) for _, step in sampler.steps
    ):
        return _resample_chain(sampler, name, X, y, own_params, later, keep)
    own = dict(own_params.get("fit_resample", {}))
    n_in = _n_rows(X)
    flowing = _flowing_weight(later, name)
    # A Pipeline ending with a sampler passes its sample_weight on to its own steps.
    explicit = None if isinstance(sampler, _SkPipeline) else own.pop("sample_weight", None)
    if explicit is not None and flowing is not None and not _same_values(explicit, flowing):
        raise InvalidParameterError(
            f"sampler {name!r} is given a sample_weight that differs from the sample_weight of "
            "the steps after it; the resampled weights must match the resampled rows, so "
            "give them the same weights."
        )
    if flowing is not None and np.ndim(flowing) >= 1 and n_in is not None and len(flowing) != n_in:
        raise DataError(
            f"the sample_weight of the steps after sampler {name!r} has {len(flowing)} "
            f"values, but {n_in} rows reach that sampler; give one weight per training row."
        )
    takes_weight = accepts_parameter(sampler.fit_resample, "sample_weight")
    if explicit is not None and not takes_weight:
        raise InvalidParameterTypeError(
            f"sampler {name!r} ({type(sampler).__name__}) was given sample_weight, but its "
            "fit_resample does not accept sample_weight."
        )
    weight_in = explicit if explicit is not None else flowing
    if weight_in is not None and takes_weight:
        own["sample_weight"] = weight_in
    for attr in ("sample_indices_", "sample_weight_"):
        vars(sampler).pop(attr, None)
    try:
        output = sampler.fit_resample(X, y, **own)
    except InvalidParameterError as exc:
        if explicit is not None or flowing is None or "sample_weight" not in str(exc):
            raise
        # Weights given to a later step, not to this sampler: say where they come from.
        raise InvalidParameterError(
            f"the sample_weight given to the steps after sampler {name!r} goes through it, to "
            f"follow its rows: {exc}"
        ) from exc
    if not isinstance(output, tuple) or len(output) != 2:
        raise DataError(
            f"sampler {name!r} ({type(sampler).__name__}) must return (X_resampled, "
            "y_resampled) from fit_resample."
        )
    X_res, y_res = output
    n_out = _n_rows(X_res)

    indices = getattr(sampler, "sample_indices_", None)
    if indices is not None and len(indices) != n_out:
        indices = None
    new_weight = None
    if flowing is not None:
        new_weight = getattr(sampler, "sample_weight_", None) if takes_weight else None
        if new_weight is None or len(new_weight) != n_out:
            if np.ndim(flowing) == 0:
                new_weight = flowing  # one weight for every row, resampled or not
            elif indices is None:
                raise DataError(
                    f"sampler {name!r} ({type(sampler).__name__}) reports neither "
                    "sample_weight_ nor sample_indices_ for its output, so the sample_weight "
                    "of the later steps cannot follow the resampled rows."
                )
            else:
                new_weight = np.asarray(flowing)[indices]
    done = {}
    for step_name, methods in later:
        for values in methods.values():
            for key, value in list(values.items()):
                if key == "sample_weight" and value is not None:
                    values[key] = new_weight
                elif key not in keep and _per_row(value, n_in, key):
                    if id(value) not in done:
                        if indices is None:
                            raise DataError(
                                f"fit parameter {step_name}__{key} has one value per row, but "
                                f"sampler {name!r} ({type(sampler).__name__}) does not report "
                                "sample_indices_, so it cannot follow the resampled rows."
                            )
                        done[id(value)] = _take_rows(value, indices)
                    values[key] = done[id(value)]
    return X_res, y_res


def _resample_chain(pipe, name, X, y, own_params, later, keep):
    """Run a nested Pipeline of samplers as its samplers in turn, so that the per-row fit
    parameters of the steps after it follow the rows through each of them (the Pipeline
    itself reports neither ``sample_weight_`` nor ``sample_indices_``)."""
    routed = _route_fit_params(pipe, "fit_resample", dict(own_params.get("fit_resample", {})))
    for idx, (step_name, step) in enumerate(pipe.steps):
        with _timed(pipe, idx):
            if _is_passthrough(step):
                continue
            rest = [(n, routed[n]) for n, _ in pipe.steps[idx + 1 :]]
            X, y = _resample_step(step, f"{name}__{step_name}", X, y, routed[step_name],
                                  rest + later, keep)
    return X, y


def _fit_transform_one(transformer, X, y, params):
    """Fit one transformer and transform ``X`` (module level so that memory can cache it)."""
    if hasattr(transformer, "fit_transform"):
        return transformer.fit_transform(X, y, **params["fit_transform"]), transformer
    fitted = transformer.fit(X, y, **params["fit"])
    return fitted.transform(X, **params["transform"]), fitted


@contextmanager
def _timed(pipe, idx):
    """Print the time a step took, when ``verbose``."""
    if not pipe.verbose:
        yield
        return
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    message = f"(step {idx + 1} of {len(pipe.steps)}) Processing {pipe.steps[idx][0]}"
    elapsed_str = f"{elapsed / 60:4.1f}min" if elapsed > 60 else f" {elapsed:5.1f}s"
    head, tail = "[Pipeline] ", f" {message}, total={elapsed_str}"
    print(f"{head}{'.' * max(70 - len(head) - len(tail), 0)}{tail}", flush=True)


def _fit_head(pipe, X, y, routed):
    """Fit every step but the last; return the data flowing into the last step."""
    if y is None:
        samplers = [name for name, step in pipe.steps if _is_sampler(step)]
        if samplers:
            raise DataError(
                f"Pipeline requires y to be passed, but the target y is None: sampler step "
                f"{samplers[0]!r} needs the class label of every row."
            )
    memory = _check_memory(pipe)
    fit_transform_cached = memory.cache(_fit_transform_one)
    use_clone = not (hasattr(memory, "location") and memory.location is None)
    for idx, (name, step) in enumerate(pipe.steps[:-1]):
        with _timed(pipe, idx):
            if _is_passthrough(step):
                continue
            if _is_sampler(step):
                later = [(n, routed[n]) for n, _ in pipe.steps[idx + 1 :]]
                keep = pipe.transform_input or ()
                X, y = _resample_step(step, name, X, y, routed[name], later, keep)
                continue
            params = _with_transform_input(pipe, idx, routed[name])
            n_in = _n_rows(X)
            X, fitted = fit_transform_cached(clone(step) if use_clone else step, X, y, params)
            n_out = _n_rows(X)
            if n_in is not None and n_out is not None and n_out != n_in:
                raise DataError(
                    f"step {name!r} ({type(step).__name__}) changed the number of rows from "
                    f"{n_in} to {n_out} in fit_transform; a step that adds or removes "
                    "rows must be a sampler, with fit_resample."
                )
            pipe.steps[idx] = (name, fitted)
    return X, y


def _last_step(pipe, routed):
    """The last step's name, object and fit parameters."""
    name, last = pipe.steps[-1]
    return name, last, _with_transform_input(pipe, len(pipe.steps) - 1, routed[name])


class Pipeline(_SkPipeline):
    """A chain of transformers and samplers with an optional final estimator.

    Like :class:`sklearn.pipeline.Pipeline`, with one addition: any step may
    be a sampler (an object with ``fit_resample``, such as
    :class:`~balancekit.over_sampling.SMOTE`). Samplers resample the data
    flowing through them when the pipeline is fitted (``fit``,
    ``fit_transform``, ``fit_predict``, and ``fit_resample`` when the last step
    is a sampler) and are skipped by ``predict``, ``predict_proba``,
    ``predict_log_proba``, ``decision_function``, ``score``,
    ``score_samples``, ``transform`` and ``inverse_transform``. Put a sampler
    in a pipeline and cross-validate the pipeline: each sampler sees only the
    training rows of each split, so no information from the rows the model
    is scored on leaks into training.

    Intermediate steps must be transformers (``fit`` and ``transform``),
    samplers or ``'passthrough'``/``None``; the last step must implement
    ``fit`` (or be a sampler, ``'passthrough'`` or ``None``). The same object
    may not appear at two steps. Trailing ``'passthrough'`` steps change
    nothing: the pipeline is a sampler (it has ``fit_resample``, and no
    ``transform``) when its last other step is a sampler, and otherwise a
    transformer as in scikit-learn, so that it can be nested in another
    pipeline.

    Fit parameters are given as ``stepname__parameter=value`` (or routed with
    scikit-learn's metadata routing when it is enabled). When a sampler has
    resampled the rows, the per-row fit parameters of the later steps follow
    the rows: ``sample_weight`` is passed to the sampler, which carries it to
    its output (copied rows keep their weight, synthetic rows inherit the
    weight of the row they were generated from), and the later steps receive
    the resampled weights; other arrays (and lists) with one entry per
    training row are indexed by the sampler's ``sample_indices_``, except held-out data named
    as such (``X_val``, ``y_val``, ``sample_weight_val``, ``eval_set``,
    ``eval_*``, ``valid_*``), which pass through unchanged.

    Parameters
    ----------
    steps : list of (str, estimator) tuples
        The steps, in order: ``(name, transformer, sampler or estimator)``.
    transform_input : list of str, default=None
        Metadata passed to ``fit`` (other than ``X``) to transform with the
        fitted transformers before the step that consumes them (a validation
        set, for instance). Samplers are not applied to them. Needs metadata
        routing (``sklearn.set_config(enable_metadata_routing=True)``).
    memory : str, object with the joblib.Memory interface or None, default=None
        Caches the fitted transformers (not the samplers): a directory path or
        a ``joblib.Memory``. With caching, the transformers are cloned before
        fitting, so inspect them through ``named_steps``.
    verbose : bool, default=False
        Print the time each step took to fit.

    Attributes
    ----------
    named_steps : :class:`~sklearn.utils.Bunch`
        The steps by name.
    classes_ : ndarray of shape (n_classes,)
        The class labels, when the last step is a classifier.
    n_features_in_ : int
        Number of features seen by the first step in ``fit``.
    feature_names_in_ : ndarray of str
        Column names seen by the first step in ``fit``, when ``X`` has them.

    See Also
    --------
    make_pipeline : build a pipeline without naming the steps.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_val_score
    >>> from sklearn.preprocessing import StandardScaler
    >>> from balancekit.over_sampling import SMOTE
    >>> from balancekit.pipeline import Pipeline
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> model = Pipeline([
    ...     ("scale", StandardScaler()),
    ...     ("smote", SMOTE(random_state=0)),
    ...     ("model", LogisticRegression()),
    ... ])
    >>> scores = cross_val_score(model, X, y, scoring="balanced_accuracy")
    >>> model.set_params(smote__k_neighbors=3).fit(X, y).predict(X[:2]).shape
    (2,)
    """

    def __init__(self, steps, *, transform_input=None, memory=None, verbose=False):
        self.steps = steps
        self.transform_input = transform_input
        self.memory = memory
        self.verbose = verbose

    # -- fitting --------------------------------------------------------------

    def fit(self, X, y=None, **params):
        """Fit the steps in turn, resampling the training data at each sampler.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Training data, as the first step accepts it.
        y : array-like of shape (n_samples,), default=None
            Training targets; required when the pipeline has a sampler.
        **params : dict of str -> object
            Fit parameters as ``stepname__parameter=value`` (or, with metadata
            routing enabled, as requested by the steps). Per-row parameters of
            the steps after a sampler follow the resampled rows.

        Returns
        -------
        self : Pipeline
            The pipeline, with fitted steps.
        """
        routed = _route_fit_params(self, "fit", params)
        Xt, yt = _fit_head(self, X, y, routed)
        name, last, last_params = _last_step(self, routed)
        with _timed(self, len(self.steps) - 1):
            if _is_sampler(last):
                _resample_step(last, name, Xt, yt, last_params, [])
            elif not _is_passthrough(last):
                last.fit(Xt, yt, **last_params["fit"])
        return self

    @available_if(_can_fit_transform)
    def fit_transform(self, X, y=None, **params):
        """Fit the steps and return the last step's transform of the training data.

        The rows returned are those flowing into the last step, so they are the
        resampled rows when the pipeline has samplers.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,), default=None
            Training targets; required when the pipeline has a sampler.
        **params : dict of str -> object
            Fit parameters, as for :meth:`fit`.

        Returns
        -------
        Xt : {ndarray, sparse matrix, dataframe} of shape (n_rows, n_features_out)
            The transformed (and resampled) training data.
        """
        routed = _route_fit_params(self, "fit_transform", params)
        Xt, yt = _fit_head(self, X, y, routed)
        _, last, last_params = _last_step(self, routed)
        with _timed(self, len(self.steps) - 1):
            if _is_passthrough(last):
                return Xt
            if hasattr(last, "fit_transform"):
                return last.fit_transform(Xt, yt, **last_params["fit_transform"])
            return last.fit(Xt, yt, **last_params["fit"]).transform(
                Xt, **last_params["transform"]
            )

    @available_if(_final_has("fit_predict"))
    def fit_predict(self, X, y=None, **params):
        """Fit the steps and return the last step's ``fit_predict`` on the training data.

        The predictions are for the rows flowing into the last step (the
        resampled rows when the pipeline has samplers).

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,), default=None
            Training targets; required when the pipeline has a sampler.
        **params : dict of str -> object
            Fit parameters, as for :meth:`fit`.

        Returns
        -------
        y_pred : ndarray
            The result of the last step's ``fit_predict``.
        """
        routed = _route_fit_params(self, "fit_predict", params)
        Xt, yt = _fit_head(self, X, y, routed)
        _, last, last_params = _last_step(self, routed)
        with _timed(self, len(self.steps) - 1):
            return last.fit_predict(Xt, yt, **last_params["fit_predict"])

    @available_if(_can_fit_resample)
    def fit_resample(self, X, y=None, **params):
        """Fit the steps and resample with the last step other than 'passthrough', a sampler.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,), default=None
            Training targets.
        **params : dict of str -> object
            Fit parameters, as for :meth:`fit`.

        Returns
        -------
        X_resampled : {ndarray, sparse matrix, dataframe}
            The transformed and resampled data.
        y_resampled : {ndarray, Series}
            The matching labels.
        """
        routed = _route_fit_params(self, "fit_resample", params)
        Xt, yt = _fit_head(self, X, y, routed)
        name, last, last_params = _last_step(self, routed)
        with _timed(self, len(self.steps) - 1):
            if _is_passthrough(last):
                return Xt, yt
            return _resample_step(last, name, Xt, yt, last_params, [])

    # -- applying the fitted pipeline: samplers are skipped -------------------

    def _apply(self, X, method, params, *, with_final=False, route=True):
        """Transform ``X`` through the fitted transformers (never the samplers).

        Returns the transformed data and the parameters for the last step's
        ``method``.
        """
        check_is_fitted(self)
        routed = None
        if _routing_enabled() and route:
            routed = process_routing(self, method, **params)
        elif params and method in ("decision_function", "transform", "inverse_transform"):
            raise InvalidParameterError(
                f"Pipeline.{method} only accepts parameters ({sorted(params)}) when metadata "
                "routing is enabled (sklearn.set_config(enable_metadata_routing=True))."
            )
        steps = self.steps if with_final else self.steps[:-1]
        Xt = X
        for name, step in steps:
            if _is_passthrough(step) or _is_sampler(step):
                continue
            step_params = _routed(routed, name, "transform")
            Xt = step.transform(Xt, **step_params)
        last_name = self.steps[-1][0]
        last_params = params if routed is None else _routed(routed, last_name, method)
        return Xt, last_params

    @available_if(_final_has("predict"))
    def predict(self, X, **params):
        """Transform the data (skipping samplers) and predict with the last step.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            The samples to predict.
        **params : dict of str -> object
            Parameters of the last step's ``predict`` (or, with metadata
            routing enabled, as requested by the steps).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The predictions.
        """
        Xt, last_params = self._apply(X, "predict", params)
        return self.steps[-1][1].predict(Xt, **last_params)

    @available_if(_final_has("predict_proba"))
    def predict_proba(self, X, **params):
        """Transform the data (skipping samplers) and return class probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            The samples.
        **params : dict of str -> object
            Parameters of the last step's ``predict_proba`` (or routed).

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            The last step's probabilities.
        """
        Xt, last_params = self._apply(X, "predict_proba", params)
        return self.steps[-1][1].predict_proba(Xt, **last_params)

    @available_if(_final_has("predict_log_proba"))
    def predict_log_proba(self, X, **params):
        """Transform the data (skipping samplers) and return log-probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            The samples.
        **params : dict of str -> object
            Parameters of the last step's ``predict_log_proba`` (or routed).

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            The last step's log-probabilities.
        """
        Xt, last_params = self._apply(X, "predict_log_proba", params)
        return self.steps[-1][1].predict_log_proba(Xt, **last_params)

    @available_if(_final_has("decision_function"))
    def decision_function(self, X, **params):
        """Transform the data (skipping samplers) and return decision scores.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            The samples.
        **params : dict of str -> object
            Only with metadata routing enabled: parameters requested by the steps.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The last step's decision scores.
        """
        Xt, last_params = self._apply(X, "decision_function", params)
        return self.steps[-1][1].decision_function(Xt, **last_params)

    @available_if(_final_has("score_samples"))
    def score_samples(self, X):
        """Transform the data (skipping samplers) and apply ``score_samples``.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            The last step's ``score_samples``.
        """
        Xt, _ = self._apply(X, "score_samples", {}, route=False)
        return self.steps[-1][1].score_samples(Xt)

    @available_if(_final_has("score"))
    def score(self, X, y=None, sample_weight=None, **params):
        """Transform the data (skipping samplers) and score with the last step.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            The samples.
        y : array-like of shape (n_samples,), default=None
            The true targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to the last step's ``score`` when given.
        **params : dict of str -> object
            Only with metadata routing enabled: parameters requested by the steps.

        Returns
        -------
        score : float
            The last step's score.
        """
        if _routing_enabled():
            Xt, last_params = self._apply(X, "score", {"sample_weight": sample_weight, **params})
        else:
            if params:
                raise InvalidParameterError(
                    f"Pipeline.score only accepts sample_weight unless metadata routing is "
                    f"enabled; got {sorted(params)}."
                )
            Xt, _ = self._apply(X, "score", {}, route=False)
            last_params = {} if sample_weight is None else {"sample_weight": sample_weight}
        return self.steps[-1][1].score(Xt, y, **last_params)

    @available_if(_can_transform)
    def transform(self, X, **params):
        """Apply every transformer, the last step included; samplers are skipped.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            The data to transform; all of its rows are kept.
        **params : dict of str -> object
            Only with metadata routing enabled: parameters requested by the steps.

        Returns
        -------
        Xt : {ndarray, sparse matrix, dataframe} of shape (n_samples, n_features_out)
            The transformed data.
        """
        Xt, _ = self._apply(X, "transform", params, with_final=True)
        return Xt

    @available_if(_can_inverse_transform)
    def inverse_transform(self, X=None, *, Xt=None, **params):
        """Apply ``inverse_transform`` of every transformer in reverse order; samplers are skipped.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_out), default=None
            Data in the space of the pipeline's output.
        Xt : array-like of shape (n_samples, n_features_out), default=None
            The same data under imbalanced-learn's name for it, so that
            ``inverse_transform(Xt=...)`` works too; give ``X`` or ``Xt``, not both.
        **params : dict of str -> object
            Only with metadata routing enabled: parameters requested by the steps.

        Returns
        -------
        X_original : array-like of shape (n_samples, n_features)
            The data in the input space.
        """
        if Xt is not None:
            if X is not None:
                raise InvalidParameterError(
                    "Pipeline.inverse_transform takes the data as X or as Xt (imbalanced-learn's "
                    "name for it), not both."
                )
            X = Xt
        elif X is None:
            raise InvalidParameterTypeError(
                "Pipeline.inverse_transform needs the data to map back: pass X (or Xt, "
                "imbalanced-learn's name for it)."
            )
        check_is_fitted(self)
        routed = None
        if _routing_enabled():
            routed = process_routing(self, "inverse_transform", **params)
        elif params:
            raise InvalidParameterError(
                f"Pipeline.inverse_transform only accepts parameters ({sorted(params)}) when "
                "metadata routing is enabled (sklearn.set_config(enable_metadata_routing=True))."
            )
        for name, step in reversed(self.steps):
            if _is_passthrough(step) or _is_sampler(step):
                continue
            X = step.inverse_transform(X, **_routed(routed, name, "inverse_transform"))
        return X

    def get_feature_names_out(self, input_features=None):
        """Output feature names, through every transformer (samplers keep the columns).

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names.

        Returns
        -------
        feature_names_out : ndarray of str
            The transformed feature names.
        """
        names = input_features
        for name, step in self.steps:
            if _is_passthrough(step):
                continue
            if _is_sampler(step):
                # A fitted sampler knows the columns it saw (feature_names_in_), so a
                # pipeline that starts with one still names them.
                if hasattr(step, "get_feature_names_out") and hasattr(step, "n_features_in_"):
                    names = step.get_feature_names_out(names)
                continue
            if not hasattr(step, "get_feature_names_out"):
                raise AttributeError(
                    f"Estimator {name} does not provide get_feature_names_out. Did you mean "
                    "to call pipeline[:-1].get_feature_names_out()?"
                )
            names = step.get_feature_names_out(names)
        return names

    def __sklearn_is_fitted__(self):
        """Whether the last step that is not 'passthrough' (or None) is fitted."""
        for _, step in reversed(self.steps):
            if not _is_passthrough(step):
                try:
                    check_is_fitted(step)
                except NotFittedError:
                    return False
                return True
        return True

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        try:
            if any(_is_sampler(step) for _, step in self.steps):
                # Samplers need the class labels: fitting without y is an error.
                tags.target_tags.required = True
        except (TypeError, ValueError):
            # steps is not a list of (name, estimator) pairs yet; fit will say so.
            pass
        return tags

    def get_metadata_routing(self):
        """Metadata routing of the pipeline.

        Transformers and the last step receive metadata as in
        :class:`sklearn.pipeline.Pipeline`. Samplers do not consume metadata
        themselves: when a later step receives ``sample_weight``, the pipeline
        passes it to the sampler, so that it follows the resampled rows.

        Returns
        -------
        routing : MetadataRouter
            The routing information.
        """
        router = MetadataRouter(owner=self)
        for name, step in self.steps[:-1]:
            if _is_passthrough(step) or _is_sampler(step):
                continue
            mapping = MethodMapping()
            if hasattr(step, "fit_transform"):
                for caller in ("fit", "fit_transform", "fit_predict"):
                    mapping.add(caller=caller, callee="fit_transform")
            else:
                for caller in ("fit", "fit_transform", "fit_predict"):
                    mapping.add(caller=caller, callee="fit").add(caller=caller, callee="transform")
            for caller in (
                "predict",
                "predict_proba",
                "decision_function",
                "predict_log_proba",
                "transform",
                "score",
            ):
                mapping.add(caller=caller, callee="transform")
            mapping.add(caller="inverse_transform", callee="inverse_transform")
            router.add(method_mapping=mapping, **{name: step})
        name, last = self.steps[-1]
        if _is_passthrough(last):
            return router
        mapping = MethodMapping()
        if _is_sampler(last):
            mapping.add(caller="fit", callee="fit")
            router.add(method_mapping=mapping, **{name: last})
            return router
        if hasattr(last, "fit_transform"):
            mapping.add(caller="fit_transform", callee="fit_transform")
        else:
            mapping.add(caller="fit_transform", callee="fit").add(
                caller="fit_transform", callee="transform"
            )
        for method in (
            "fit",
            "predict",
            "fit_predict",
            "predict_proba",
            "decision_function",
            "predict_log_proba",
            "transform",
            "inverse_transform",
            "score",
        ):
            mapping.add(caller=method, callee=method)
        router.add(method_mapping=mapping, **{name: last})
        return router


def make_pipeline(*steps, memory=None, transform_input=None, verbose=False):
    """Build a :class:`Pipeline` from its steps, named after their classes.

    Parameters
    ----------
    *steps : estimators, samplers, 'passthrough' or None
        The steps, in order. Each is named after its class in lower case
        (``SMOTE()`` -> ``'smote'``), with ``-1``, ``-2``, ... added to repeated
        names, as in :func:`sklearn.pipeline.make_pipeline`.
    memory : str, object with the joblib.Memory interface or None, default=None
        Caches the fitted transformers; see :class:`Pipeline`.
    transform_input : list of str, default=None
        Metadata to transform before the step that consumes it; see
        :class:`Pipeline`.
    verbose : bool, default=False
        Print the time each step took to fit.

    Returns
    -------
    pipeline : Pipeline
        A balancekit :class:`Pipeline`.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.preprocessing import StandardScaler
    >>> from balancekit.pipeline import make_pipeline
    >>> from balancekit.under_sampling import RandomUnderSampler
    >>> pipe = make_pipeline(StandardScaler(), RandomUnderSampler(), LogisticRegression())
    >>> [name for name, _ in pipe.steps]
    ['standardscaler', 'randomundersampler', 'logisticregression']
    """
    for position, step in enumerate(steps, start=1):
        if isinstance(step, type):
            raise InvalidParameterTypeError(
                f"make_pipeline: step {position} is the class {step.__name__}, not an instance; "
                f"write {step.__name__}() instead."
            )
    named = _sk_make_pipeline(*steps).steps
    return Pipeline(named, transform_input=transform_input, memory=memory, verbose=verbose)
