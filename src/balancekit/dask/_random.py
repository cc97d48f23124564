"""Random under- and over-sampling of dask collections, partition by partition, with the
counts and the draws of a sampler that sees the whole data."""

import numpy as np

from .. import over_sampling, under_sampling
from ..exceptions import DataError, InvalidParameterError, InvalidParameterTypeError
from ._base import DaskSamplerMixin
from ._collections import labels_of, take

# numpy's multivariate hypergeometric draw takes fewer rows than this in all.
_HYPERGEOMETRIC_LIMIT = 10**9


class RandomUnderSampler(DaskSamplerMixin, under_sampling.RandomUnderSampler):
    """Shrink classes of a dask collection to their targets by drawing rows at random.

    The result has the distribution of the in-memory
    :class:`balancekit.under_sampling.RandomUnderSampler` on the whole data:
    each class keeps exactly its target number of rows, a uniform draw
    without replacement (with ``replacement=True``, with replacement) from all
    its rows. The draw is made without moving rows between partitions: the
    number kept from each partition is drawn first (a multivariate
    hypergeometric draw over the partitions' class counts; multinomial with
    replacement), then the rows within each partition. The rows kept stay in
    their partition and order, with their index.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to shrink and to what size, resolved on the labels of
        all partitions; see :func:`balancekit.resolve_sampling_strategy` (a
        callable is called with the dask ``y``).
    random_state : int, RandomState instance or None, default=None
        Seeds every draw of a call: the same seed and partitions give the same
        rows.
    replacement : bool, default=False
        Whether rows are drawn with replacement.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each shrunk class has after resampling.
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of str
        Column names of a dask DataFrame ``X``.

    See Also
    --------
    balancekit.under_sampling.RandomUnderSampler : the same on data in memory.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> from balancekit.dask import RandomUnderSampler
    >>> df = dd.from_pandas(pd.DataFrame({"x": range(100), "y": [0] * 90 + [1] * 10}),
    ...                     npartitions=4)
    >>> X_res, y_res = RandomUnderSampler(random_state=0).fit_resample(df[["x"]], df["y"])
    >>> y_res.value_counts().compute().sort_index().tolist()
    [10, 10]
    """

    def _resample_partitions(self, parts, targets, totals):
        if not isinstance(self.replacement, (bool, np.bool_)):
            raise InvalidParameterTypeError(
                f"replacement must be True or False; got {self.replacement!r}."
            )
        draws, seeds = self._streams(len(parts.x_parts))

        def kept(label, held, target):
            if self.replacement:
                return draws.multinomial(target, held / held.sum())
            if held.sum() < _HYPERGEOMETRIC_LIMIT:
                return draws.multivariate_hypergeometric(held, target)
            raise DataError(
                f"class {label!r} has {held.sum():,} rows; RandomUnderSampler in "
                f"balancekit.dask draws without replacement from classes of fewer than "
                f"{_HYPERGEOMETRIC_LIMIT:,} rows (numpy's exact draw). Use replacement=True."
            )

        quotas, rows = _quotas(parts, targets, kept, added=False)
        x_parts, y_parts = parts.map(_under_partition, quotas, seeds,
                                     [bool(self.replacement)] * len(quotas))
        return parts.rebuild(x_parts, y_parts, rows)


def _quotas(parts, targets, allot, added):
    """Each partition's ``{label: (held, n)}`` from ``allot(label, held, target)`` (the
    number of rows of the class each partition holds, and the class's target), which gives
    ``n`` for every partition (``None``: the class is left alone); and the partitions'
    output lengths, with ``n`` rows ``added`` to the class's rows or kept instead of them."""
    quotas = [{} for _ in parts.counts]
    rows = np.array([sum(counts.values()) for counts in parts.counts], dtype=np.int64)
    for label, target in targets.items():
        held = parts.per_partition(label)
        drawn = allot(label, held, target)
        if drawn is None:
            continue
        rows += drawn if added else drawn - held
        for quota, counted, n in zip(quotas, held, drawn, strict=True):
            quota[label] = (int(counted), int(n))
    return quotas, rows


def _members(labels, label, counted, i):
    """Rows of class ``label`` in partition ``i``, checked against the count made before."""
    members = np.flatnonzero(labels == label)
    if members.size != counted:
        raise DataError(
            f"partition {i} holds {members.size:,} rows of class {label!r} now, but held "
            f"{counted:,} when the labels were counted: the data changed between the two "
            "passes (files written meanwhile?). Resample data that stay as they are."
        )
    return members


def _under_partition(x, y, i, quota, seed, replacement):
    """Keep ``n`` rows of each class of the partition (``quota[label] = (held, n)``), drawn
    with ``seed``."""
    labels = labels_of(y, i, len(x))
    draws = np.random.default_rng(seed)
    n = labels.shape[0]
    times = np.ones(n, dtype=np.intp)  # how often each row is kept, as in the in-memory one
    for label, (counted, k) in quota.items():
        members = _members(labels, label, counted, i)
        chosen = members[draws.choice(members.size, size=k, replace=replacement)]
        times[members] = 0
        times += np.bincount(chosen, minlength=n)
    rows = np.repeat(np.arange(n), times)
    return take(x, rows), take(y, rows)


class RandomOverSampler(DaskSamplerMixin, over_sampling.RandomOverSampler):
    """Grow classes of a dask collection to their targets by copying rows at random.

    The result has the distribution of the in-memory
    :class:`balancekit.over_sampling.RandomOverSampler` on the whole data: each
    class gets exactly its target number of rows, its new rows drawn uniformly
    with replacement from all its rows. The number of copies each partition
    makes is drawn first (multinomial over the partitions' class counts); each
    partition then draws its copies among its own rows and appends them
    after its rows, so no row moves between partitions.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to grow and to what size, resolved on the labels of all
        partitions; see :func:`balancekit.resolve_sampling_strategy` (a
        callable is called with the dask ``y``).
    random_state : int, RandomState instance or None, default=None
        Seeds every draw of a call: the same seed and partitions give the same
        rows.
    shrinkage : None, default=None
        The smoothed bootstrap of the in-memory sampler is not available on
        dask collections; must stay ``None``.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each grown class has after resampling.
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of str
        Column names of a dask DataFrame ``X``.

    See Also
    --------
    balancekit.over_sampling.RandomOverSampler : the same on data in memory.
    """

    def _resample_partitions(self, parts, targets, totals):
        if self.shrinkage is not None:
            raise InvalidParameterError(
                f"shrinkage={self.shrinkage!r} is not supported by RandomOverSampler in "
                "balancekit.dask, which copies rows only; leave shrinkage=None, or use SMOTE "
                "from balancekit.dask for new rows that are not copies."
            )
        draws, seeds = self._streams(len(parts.x_parts))

        def copies(label, held, target):
            if target > held.sum():
                return draws.multinomial(target - held.sum(), held / held.sum())
            return None

        quotas, rows = _quotas(parts, targets, copies, added=True)
        x_parts, y_parts = parts.map(_over_partition, quotas, seeds)
        return parts.rebuild(x_parts, y_parts, rows)


def _over_partition(x, y, i, quota, seed):
    """Every row of the partition, then ``n`` copies of rows of each class (``quota[label] =
    (held, n)``)."""
    labels = labels_of(y, i, len(x))
    draws = np.random.default_rng(seed)
    rows = [np.arange(labels.shape[0])]
    for label, (counted, k) in quota.items():
        members = _members(labels, label, counted, i)
        rows.append(members[draws.integers(0, members.size, size=k)])
    rows = np.concatenate(rows)
    return take(x, rows), take(y, rows)
