"""Shared steps of the combined samplers: over-sample, then clean the result."""

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.utils import check_random_state

from .._base import BaseSampler, Resampled
from .._kernels import LazyRows
from .._strategy import resolve_sampling_strategy
from ..exceptions import InvalidParameterTypeError


def over_sample(sampler, X, y, rng):
    """Run an over-sampler's algorithm on checked data.

    Returns the over-sampler's :class:`Resampled` and the stacked data
    ``(X_all, y_all)``: the rows it keeps followed by the new ones.
    """
    targets = resolve_sampling_strategy(sampler.sampling_strategy, y, sampler._sampling_type)
    sampler.sampling_strategy_ = targets
    sampler.n_features_in_ = X.shape[1]
    result = sampler._fit_resample(X, y, targets=targets, rng=rng)
    synthetic = result.synthetic
    if isinstance(synthetic, LazyRows):
        synthetic = synthetic.toarray()
    indices = np.asarray(result.indices, dtype=np.intp)
    kept = X[indices]
    if synthetic is None:
        return Resampled(indices), kept, y[indices]
    if sp.issparse(kept):
        X_all = sp.vstack([kept, sp.csr_matrix(synthetic, dtype=kept.dtype)], format="csr")
    else:
        X_all = np.concatenate([kept, np.asarray(synthetic, dtype=kept.dtype)], axis=0)
    y_all = np.concatenate([y[indices], np.asarray(result.y_synthetic)])
    result = Resampled(indices, synthetic=synthetic, y_synthetic=result.y_synthetic,
                       origin=result.origin)
    return result, X_all, y_all


def keep_rows(result, kept):
    """Restrict an over-sampler's result to the stacked rows ``kept`` (increasing)."""
    n_kept = result.indices.size
    old = kept[kept < n_kept]
    new = kept[kept >= n_kept] - n_kept
    if result.synthetic is None:
        return Resampled(result.indices[old])
    synthetic = result.synthetic[new]
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
    if not (isinstance(sampler, BaseSampler) and sampler._sampling_type == "over-sampling"
            and sampler._input == "numeric"):
        raise InvalidParameterTypeError(
            "smote must be a balancekit over-sampler working on numeric data, such as "
            f"balancekit.over_sampling.SMOTE; got {sampler!r} of type {type(sampler).__name__}."
        )
    sampler = clone(sampler)
    return sampler, check_random_state(getattr(sampler, "random_state", None))
