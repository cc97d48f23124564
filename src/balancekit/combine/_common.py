"""Shared steps of the combined samplers: over-sample, then clean the result."""

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone

from .. import _frames
from .._base import BaseSampler, Resampled
from .._exact import check_n_jobs
from .._kernels import LazyRows, SparseRows
from .._strategy import resolve_sampling_strategy
from .._validation import check_not_a_class, check_seed
from ..exceptions import InvalidParameterError, InvalidParameterTypeError
from ..over_sampling import SMOTE, SMOTEN, SMOTENC


def check_noting_kinds(combined, check, X, y, one_class):
    """``check(X, y, one_class)`` (the base class's ``_check_X_y``), noting in
    ``combined._written_kinds`` how the output's columns will hold new values: the
    cleaning step judges the rows it returns (integers rounded, booleans thresholded),
    not the floats they were computed as."""
    X_checked, y_arr = check(X, y, one_class)
    combined._written_kinds = _frames.written_kinds(combined._output_source(X, X_checked))
    return X_checked, y_arr


def over_sample(sampler, X, y, rng, kinds=None):
    """Run an over-sampler's algorithm on checked data.

    Returns the over-sampler's :class:`Resampled` and the stacked data
    ``(X_all, y_all)``: the rows it keeps followed by the new ones, these with the
    values the output's columns will hold (``kinds``, of :func:`_frames.written_kinds`).
    """
    targets = resolve_sampling_strategy(sampler.sampling_strategy, y, sampler._sampling_type)
    sampler.sampling_strategy_ = targets
    sampler.n_features_in_ = X.shape[1]
    result = sampler._fit_resample(X, y, targets=targets, rng=rng)
    synthetic = result.synthetic
    indices = (np.arange(y.shape[0]) if result.indices is None
               else np.asarray(result.indices, dtype=np.intp))
    y_synthetic = result.y_synthetic
    if synthetic is not None and y_synthetic is None:
        y_synthetic = y[result.origin]
    if synthetic is None:
        return Resampled(indices), X[indices], y[indices]
    if sp.issparse(X):
        if isinstance(synthetic, SparseRows):  # what the SMOTE family gives for sparse X
            synthetic = synthetic.tocsr()
        synthetic = sp.csr_matrix(synthetic, dtype=X.dtype, copy=True)
        _frames.as_written(synthetic, kinds)
        X_all = sp.vstack([X[indices], synthetic], format="csr")
    else:
        # One array for the stacked data, the new rows written straight into it; they
        # stay a view of it.
        X = np.asarray(X)
        X_all = np.empty((indices.size + synthetic.shape[0], X.shape[1]), dtype=X.dtype)
        np.take(X, indices, axis=0, out=X_all[:indices.size], mode="clip")  # indices are ours
        if isinstance(synthetic, LazyRows):
            synthetic.write(X_all[indices.size:])
        else:
            X_all[indices.size:] = np.asarray(synthetic)
        synthetic = X_all[indices.size:]
        _frames.as_written(synthetic, kinds)
    y_all = np.concatenate([y[indices], np.asarray(y_synthetic)])
    result = Resampled(indices, synthetic=synthetic, y_synthetic=y_synthetic,
                       origin=result.origin)
    return result, X_all, y_all


def keep_rows(result, kept):
    """Restrict an over-sampler's result to the stacked rows ``kept`` (increasing)."""
    n_kept = result.indices.size
    old = kept[kept < n_kept]
    new = kept[kept >= n_kept] - n_kept
    if result.synthetic is None:
        return Resampled(result.indices[old])
    if sp.issparse(result.synthetic):
        synthetic = result.synthetic[new]
    else:
        # Copied from the stacked data straight into the output when it is written.
        source = result.synthetic
        synthetic = LazyRows(source.shape[1], source.dtype)
        synthetic.add(new.size, lambda out: np.take(source, new, axis=0, out=out, mode="clip"))
    return Resampled(
        result.indices[old],
        synthetic=synthetic,
        y_synthetic=np.asarray(result.y_synthetic)[new],
        origin=np.asarray(result.origin)[new],
    )


def over_sampler(combined, default):
    """The over-sampler of a combined sampler: a clone of the one given, or ``default``.

    Returns the sampler and the generator it draws from: the combined
    sampler's own when it made the default, else one seeded by the given
    sampler's ``random_state`` (so that it draws what it would draw alone).
    """
    if combined.smote is None:
        return default, None
    sampler = combined.smote
    check_not_a_class("smote", sampler, "a balancekit over-sampler")
    if isinstance(sampler, (SMOTENC, SMOTEN)):
        raise InvalidParameterTypeError(
            f"smote must be an over-sampler of numeric data; {type(sampler).__name__} makes rows "
            "holding categories, which the cleaning step's Euclidean distances cannot compare. "
            "Encode the categories and use SMOTE, or run the over-sampler and then a cleaning "
            "rule on the encoded data in a balancekit.pipeline.Pipeline."
        )
    if not (isinstance(sampler, BaseSampler) and sampler._sampling_type == "over-sampling"
            and sampler._input == "numeric"):
        raise InvalidParameterTypeError(
            "smote must be a balancekit over-sampler working on numeric data, such as "
            f"balancekit.over_sampling.SMOTE; got {sampler!r} of type {type(sampler).__name__}."
        )
    sampler = clone(sampler)
    return sampler, check_seed(getattr(sampler, "random_state", None))


def check_up_front(combined, name, rule, check):
    """Check ``n_jobs`` of the combined sampler and, with ``check(rule)``, the parameters
    of its cleaning rule (given as parameter ``name``), before SMOTE runs: a typo there
    would otherwise fail after the over-sampling. The rule's errors name it."""
    check_n_jobs(combined.n_jobs)
    try:
        check(rule)
    except (InvalidParameterError, InvalidParameterTypeError) as exc:
        raise type(exc)(f"{name}: {exc}") from None


def smote_then_clean(combined, X, y, rng, clean):
    """Over-sample with the combined sampler's SMOTE, then keep the rows ``clean`` keeps.

    ``clean(X_all, y_all)`` returns the kept rows (increasing) of the stacked
    original and synthetic data. Sets ``smote_`` and ``sampling_strategy_``.
    """
    default = SMOTE(sampling_strategy=combined.sampling_strategy,
                    random_state=combined.random_state)
    combined.smote_, own_rng = over_sampler(combined, default)
    result, X_all, y_all = over_sample(
        combined.smote_, X, y, rng if own_rng is None else own_rng,
        getattr(combined, "_written_kinds", None),
    )
    combined.sampling_strategy_ = combined.smote_.sampling_strategy_
    return keep_rows(result, clean(X_all, y_all))
