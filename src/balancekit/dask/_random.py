"""Random under- and over-sampling of dask collections, partition by partition, with the
counts and the draws of a sampler that sees the whole data."""

import numpy as np

from .. import _frames, over_sampling, under_sampling
from ..exceptions import DataError, InvalidParameterTypeError
from ._base import DaskSamplerMixin
from ._collections import labels_of, numeric_rows, take

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
    rows = np.array(parts.lengths(), dtype=np.int64)
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
    shrinkage : float, dict or None, default=None
        ``None`` copies rows exactly. A float >= 0 (or ``{label: float}``)
        draws the in-memory sampler's smoothed bootstrap: each copy gets
        Gaussian noise of standard deviation ``shrinkage * (4 / ((n_features +
        2) * n_samples)) ** (1 / (n_features + 4)) * std``, ``n_samples`` the
        rows of the whole collection and ``std`` each feature's standard
        deviation within the class over every partition (one more pass over
        ``X``). The output then holds new rows, and pandas objects take a fresh
        index, as in memory: the rows' positions ``0, 1, ...`` in the output.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each grown class has after resampling.
    shrinkage_ : dict or None
        The shrinkage used per class.
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of str
        Column names of a dask DataFrame ``X``.

    See Also
    --------
    balancekit.over_sampling.RandomOverSampler : the same on data in memory.
    """

    def _resample_partitions(self, parts, targets, totals):
        self.shrinkage_ = self._check_shrinkage(targets, list(totals))
        draws, seeds = self._streams(len(parts.x_parts))

        def copies(label, held, target):
            if target > held.sum():
                return draws.multinomial(target - held.sum(), held / held.sum())
            return None

        quotas, rows = _quotas(parts, targets, copies, added=True)
        noise = None
        if self.shrinkage_ is not None:
            noise = self._noise_scales(parts, [label for label in targets
                                               if targets[label] > totals[label]])
        x_parts, y_parts = parts.map(_over_partition, quotas, seeds, [noise] * len(quotas))
        # Noisy copies are new rows: a fresh index, as in memory.
        return parts.rebuild(x_parts, y_parts, rows, renumber=noise is not None)

    def _noise_scales(self, parts, grown):
        """``(dtype, {label: scale of each feature})`` of the smoothed bootstrap: the class's
        standard deviations over every partition, as the in-memory sampler computes them."""
        meta = parts.X._meta
        if parts.frame:
            self._refuse_non_numeric(_frames.column_kinds(meta))
        dtypes = list(meta.dtypes) if parts.frame else [parts.X.dtype]
        dtype = np.float32 if all(d == np.float32 for d in dtypes) else np.float64
        moments = parts.map_reduce(_class_moments, _merge_moments, grown)
        n_features = len(dtypes) if parts.frame else parts.X.shape[1]
        n_rows = sum(parts.lengths())
        smoothing = (4 / ((n_features + 2) * n_rows)) ** (1 / (n_features + 4))
        return dtype, {label: self.shrinkage_[label] * smoothing * np.sqrt(m2 / n)
                       for label, (n, _, m2) in moments.items()}


def _class_moments(x, y, i, offset, grown):
    """``{label: (rows, mean, sum of squared deviations)}`` of each class in ``grown``."""
    labels = labels_of(y, i, len(x))
    values = numeric_rows(x, i, None, np.float64)
    found = {}
    for label in grown:
        rows = values[labels == label]
        mean = rows.mean(axis=0) if rows.shape[0] else np.zeros(values.shape[1])
        found[label] = (rows.shape[0], mean, ((rows - mean) ** 2).sum(axis=0))
    return found


def _merge_moments(first, second):
    """The moments of two parts together (Chan, Golub and LeVeque's pairwise update)."""
    merged = {}
    for label, (n_a, mean_a, m2_a) in first.items():
        n_b, mean_b, m2_b = second[label]
        n = n_a + n_b
        if n == 0:
            merged[label] = (0, mean_a, m2_a)
            continue
        delta = mean_b - mean_a
        merged[label] = (n, mean_a + delta * (n_b / n), m2_a + m2_b + delta**2 * (n_a * n_b / n))
    return merged


def _over_partition(x, y, i, quota, seed, noise):
    """Every row of the partition, then ``n`` copies of rows of each class (``quota[label] =
    (held, n)``); with ``noise = (dtype, scales)``, the copies moved by Gaussian noise."""
    labels = labels_of(y, i, len(x))
    draws = np.random.default_rng(seed)
    every = np.arange(labels.shape[0])
    copies = [members[draws.integers(0, members.size, size=k)]
              for members, k in ((_members(labels, label, counted, i), k)
                                 for label, (counted, k) in quota.items())]
    drawn = np.concatenate([np.zeros(0, dtype=np.intp), *copies])
    if noise is None:
        rows = np.concatenate([every, drawn])
        return take(x, rows), take(y, rows)
    dtype, scales = noise
    new = numeric_rows(x, i, drawn, dtype).copy()
    start = 0
    for label, block in zip(quota, copies, strict=True):
        stop = start + block.size
        new[start:stop] += draws.standard_normal(size=(block.size, new.shape[1])).astype(
            dtype) * scales[label].astype(dtype)
        start = stop
    # The noisy rows are new rows: the container layer rounds integer columns, as in memory.
    return (_frames.take_x(x, every, new),
            _frames.take_y(y, labels, every, labels[drawn]))
