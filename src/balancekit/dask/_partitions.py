"""Any sampler on each partition of a dask collection, independently."""

import numpy as np
from sklearn.base import BaseEstimator, clone

from .._validation import check_seed
from ..exceptions import BalancekitError, InvalidParameterTypeError
from ..over_sampling import RandomOverSampler
from ..under_sampling import ClusterCentroids
from ._collections import Partitions, labels_of


class PartitionSampler(BaseEstimator):
    """Run any sampler on each partition of a dask collection on its own.

    Each partition is resampled by a clone of ``sampler``, as if it were the
    whole data: its sampling strategy is resolved on the partition's labels,
    and neighbours are searched among the partition's rows only. This is an
    approximation of the sampler on the whole data, good where the partitions
    are random samples of it large enough for the rule (shuffle the rows
    first otherwise: partitions of one class, or of one period, resample
    badly). The other samplers of :mod:`balancekit.dask` are exact instead:
    use them where they fit.

    Pandas rows keep their index labels where the sampler gives back input
    rows only (under-samplers, cleaning rules, ``RandomOverSampler`` without
    shrinkage); where it makes new rows, each partition's output takes a
    fresh index ``0, 1, ...``, as the sampler gives it (as dask's
    ``reset_index`` numbers each partition). Which is read from the sampler's
    class before any partition is computed: a sampler of your own keeps the
    labels when its ``_sampling_type`` is ``'under-sampling'`` or
    ``'clean-sampling'``, and an over-sampler of your own that only copies
    rows is numbered as one that makes new rows.

    Parameters
    ----------
    sampler : balancekit sampler
        The sampler to run on each partition (any object with
        ``fit_resample`` that scikit-learn can clone), e.g.
        ``EditedNearestNeighbours()``.
    random_state : int, RandomState instance or None, default=None
        Seeds the random state of each partition's clone (``sampler``'s own
        ``random_state`` is replaced): the same seed and partitions give the
        same rows.

    Examples
    --------
    >>> import dask.array as da
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.dask import PartitionSampler
    >>> from balancekit.under_sampling import EditedNearestNeighbours
    >>> X, y = make_classification(n_samples=4000, weights=[0.9], random_state=0)
    >>> X, y = da.from_array(X, chunks=1000), da.from_array(y, chunks=1000)
    >>> X_res, y_res = PartitionSampler(EditedNearestNeighbours()).fit_resample(X, y)
    >>> X_res.compute().shape[0] < 4000
    True
    """

    def __init__(self, sampler, *, random_state=None):
        self.sampler = sampler
        self.random_state = random_state

    def fit_resample(self, X, y):
        """Resample each partition of ``X`` and ``y``, lazily.

        Parameters
        ----------
        X : dask DataFrame or 2-D dask Array of shape (n_samples, n_features)
            The training data.
        y : dask Series or 1-D dask Array of shape (n_samples,)
            The class labels, in the partitions of ``X``.

        Returns
        -------
        X_resampled : same kind as X
            The resampled partitions, in order; compute it together with
            ``y_resampled`` (``dask.compute(X_resampled, y_resampled)``).
        y_resampled : same kind as y
            The matching labels.
        """
        if not hasattr(self.sampler, "fit_resample"):
            raise InvalidParameterTypeError(
                f"sampler must be a sampler with fit_resample (e.g. "
                f"balancekit.under_sampling.EditedNearestNeighbours()); got "
                f"{type(self.sampler).__name__}."
            )
        sampler = clone(self.sampler)  # the caller's sampler is left unfitted
        parts = Partitions(X, y, type(self).__name__)
        n_parts = len(parts.x_parts)
        seeds = check_seed(self.random_state, owner=type(self).__name__).randint(
            0, 2**32, size=n_parts, dtype=np.int64)
        x_parts, y_parts = parts.map(_resample_partition, [sampler] * n_parts, seeds)
        renumber = False if _keeps_rows(sampler) else "partition"
        return parts.restore(*parts.rebuild(x_parts, y_parts, renumber=renumber))


def _keeps_rows(sampler):
    """Whether ``sampler`` gives back input rows only, which keep their index labels in
    memory (the under-samplers, the cleaning rules, ``RandomOverSampler`` without
    shrinkage; a ``FunctionSampler``'s function is taken to do so)."""
    if isinstance(sampler, RandomOverSampler):
        return sampler.shrinkage is None
    if isinstance(sampler, ClusterCentroids):
        return sampler.voting == "hard"
    return getattr(sampler, "_sampling_type", None) in ("under-sampling", "clean-sampling",
                                                        "bypass")


def _resample_partition(x, y, i, sampler, seed):
    labels_of(y, i, len(x))  # the partition's labels, checked against its rows
    if len(x) == 0:  # nothing to resample (e.g. a partition a filter emptied)
        return x, y
    sampler = clone(sampler)
    if "random_state" in sampler.get_params(deep=False):
        sampler.set_params(random_state=int(seed))
    try:
        return sampler.fit_resample(x, y)
    except BalancekitError as exc:
        raise type(exc)(f"partition {i}: {exc}") from exc
