"""ADASYN: more synthetic rows where the class is harder to learn."""

import warnings

import numpy as np

from .._base import BaseSampler
from .._kernels import segment_points
from .._neighbors import (
    check_neighbors,
    estimated_recall,
    kneighbors,
    neighbors_attribute,
    neighbors_for_class,
    search_options,
)
from ..exceptions import BalancekitWarning, DataError
from ._smote import grow_classes, output_rows, smote_class


def count_other(y, nn, label):
    """For each row of the neighbour table ``nn``, how many neighbours are not of ``label``."""
    return np.count_nonzero(y[nn] != label, axis=1)


def allocate_counts(weights, total):
    """Split ``total`` into integers proportional to ``weights``, summing exactly to ``total``.

    Largest-remainder rounding: every entry gets the floor of its share, and
    the units left over go to the largest fractional parts (ties to the lower
    position).

    Parameters
    ----------
    weights : ndarray of shape (n,)
        Non-negative weights, not all zero.
    total : int
        The number to split.

    Returns
    -------
    counts : ndarray of int of shape (n,)
        ``counts.sum() == total``; an entry with zero weight gets zero.
    """
    weights = np.asarray(weights, dtype=np.float64)
    raw = weights / weights.sum() * total
    counts = np.floor(raw).astype(np.intp)
    remainder = raw - counts
    short = int(total - counts.sum())
    if short > 0:
        # Only entries with a positive weight may receive a unit.
        remainder[weights <= 0] = -1.0
        counts[np.argsort(-remainder, kind="stable")[:short]] += 1
    elif short < 0:  # floating-point excess: take units back from the smallest remainders
        remainder[counts <= 0] = np.inf
        counts[np.argsort(remainder, kind="stable")[:-short]] -= 1
    return counts


def check_reference_size(name, k, n_samples):
    """Raise a :class:`DataError` when ``X`` has too few rows for ``k`` neighbours."""
    if k >= n_samples:
        raise DataError(
            f"{name}={k} needs at least {k + 1} samples in X to find {k} neighbours of each "
            f"row, but X has {n_samples}. Lower {name}."
        )


def smote_fallback(sampler, reason, X, members, n_new, k, estimator, rng, label, n_jobs=None,
                   search=None):
    """Grow a class with plain SMOTE from all its rows, after a :class:`BalancekitWarning`.

    Used by the selective SMOTE variants when their selection step leaves no
    row to generate from, so that the class still reaches its target count.
    ``search`` holds extra keyword arguments of the neighbour search (see
    :func:`~balancekit._neighbors.search_options`).
    """
    warnings.warn(
        f"{sampler}: {reason} for class {label!r}; growing that class with plain SMOTE from all "
        f"of its {members.size} samples instead, to reach the {members.size + n_new} samples "
        "asked for.",
        BalancekitWarning,
        stacklevel=4,
    )
    return smote_class(X, members, n_new, k, estimator, rng, label, n_jobs, search=search)


class ADASYN(BaseSampler):
    """Adaptive Synthetic sampling (ADASYN).

    Like SMOTE, each new row lies on the segment between a row of the class
    being grown and one of its ``n_neighbors`` nearest neighbours in that
    class: ``x + u * (neighbour - x)`` with ``u`` uniform on [0, 1). Unlike
    SMOTE, the rows are not used equally: a row whose ``n_neighbors``
    nearest neighbours in the whole data set (itself excluded) hold many
    samples of other classes is harder to learn and gets more synthetic
    rows. Its weight is the fraction of such neighbours (one class against
    the rest), and the neighbour of each new row is drawn uniformly.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to grow and to what size; see
        :func:`balancekit.resolve_sampling_strategy`.
    random_state : int, RandomState instance or None, default=None
        Seeds the single random generator of each call.
    n_neighbors : int or estimator, default=5
        Number of nearest neighbours used both to weight the rows (over the
        whole data set) and to interpolate with (within the class), or an
        object with ``fit`` and ``kneighbors`` whose ``n_neighbors`` counts
        the point itself (as in imbalanced-learn). A class with
        ``n_neighbors`` samples or fewer interpolates with all of its other
        samples, with a :class:`~balancekit.exceptions.SmallClassWarning`.
    n_jobs : int, default=None
        Threads for the neighbour search (``None``: every core for the exact
        search on large dense data, one thread for faiss's approximate
        search; ``-1``: every core).
    neighbors : {'exact', 'approximate'}, default='exact'
        How the nearest neighbours are found (a balancekit extension, not in
        imbalanced-learn). ``'exact'``: exact search, the neighbours of a
        float64 search with ties to the lower row index (on large dense data,
        distances are screened in float32 blocks and near-ties decided in
        float64). ``'approximate'`` (needs faiss-cpu and dense
        ``X``): faiss's inverted-file index, tuned on each search to return
        about 97% of the true nearest neighbours, several times faster again
        on large data (searches of fewer than 3e9 query x reference pairs,
        and of data of at most 6 features, where the exact search is faster,
        run exactly); the estimated recall
        is kept in ``neighbors_recall_``. An estimator passed as ``n_neighbors``
        is used as given.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each grown class has after resampling.
    nn_ : estimator object
        The neighbours estimator of ``n_neighbors``, not fitted (balancekit searches
        with its own search): ``NearestNeighbors(n_neighbors=n_neighbors + 1)``, or a
        clone of the estimator given.
    neighbors_recall_ : float or None
        With ``neighbors='approximate'``, the fraction of the true nearest
        neighbours that the searches returned, estimated on a sample of 200
        rows per search checked against exact search; ``None`` with exact
        search.
    sample_weight_ : ndarray of shape (n_samples_new,) or None
        The weights of the output rows when ``sample_weight`` is given to
        ``fit_resample`` (each row keeps the weight of the input row it was
        copied or generated from); ``None`` otherwise.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit_resample``, when ``X`` has them.

    See Also
    --------
    SMOTE : every row of the class weighs the same.
    BorderlineSMOTE : only rows near the class border generate.

    Notes
    -----
    **Exact counts.** imbalanced-learn rounds each row's share separately, so
    the class may end a few samples above or below the requested size.
    Here the requested number of new rows is split over the rows by their
    weights with largest-remainder rounding, so every grown class has exactly
    the size asked for.

    **No hard rows.** When no row of a class has a neighbour of another
    class, the weights are undefined (imbalanced-learn raises a
    ``RuntimeError``). The class is then grown by plain SMOTE from all its
    rows, with a :class:`~balancekit.exceptions.BalancekitWarning`.

    ``n_jobs`` is accepted for compatibility with older imbalanced-learn
    releases, which had it.

    References
    ----------
    H. He, Y. Bai, E. A. Garcia, S. Li, "ADASYN: Adaptive synthetic sampling
    approach for imbalanced learning", IJCNN 2008.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.over_sampling import ADASYN
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> X_res, y_res = ADASYN(random_state=0).fit_resample(X, y)
    >>> (y_res == 0).sum() == (y_res == 1).sum()
    np.True_
    """

    _sampling_type = "over-sampling"
    _accept_sparse = True

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        n_neighbors=5,
        n_jobs=None,
        neighbors="exact",
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_jobs = n_jobs
        self.neighbors = neighbors

    def _fit_resample(self, X, y, *, targets, rng):
        k, estimator = check_neighbors("n_neighbors", self.n_neighbors)
        self.nn_ = neighbors_attribute(k, estimator, self.n_jobs)
        search = search_options(self.neighbors, X, rng, output_rows(y, targets))

        def generate(label, members, n_new):
            hardness = self._hardness(X, y, label, members, k, estimator, search)
            if not hardness.any():
                new, origin = smote_fallback(
                    "ADASYN",
                    f"no sample has a neighbour of another class among its {k} nearest "
                    "neighbours, so the ADASYN weights are undefined",
                    X, members, n_new, k, estimator, rng, label, self.n_jobs, search=search,
                )
            else:
                per_row = allocate_counts(hardness, n_new)
                new, origin = self._generate(X, members, per_row, k, estimator, rng, label, search)
            return new, origin

        result = grow_classes(X, y, targets, generate)
        self.neighbors_recall_ = estimated_recall(search)
        return result

    def _hardness(self, X, y, label, members, k, estimator, search):
        """For each row of ``members``, how many of its ``k`` nearest rows of ``X`` (itself
        excluded) are not of class ``label``."""
        check_reference_size("n_neighbors", k, y.shape[0])
        # Only the counts are kept, block by block: not the lists of the whole class.
        return np.concatenate(kneighbors(
            X, k, query_indices=members, estimator=estimator, n_jobs=self.n_jobs,
            reduce=lambda nn: count_other(y, nn, label), **search,
        ))

    def _generate(self, X, members, per_row, k, estimator, rng, label, search):
        """``per_row[i]`` new rows from ``X[members[i]]`` toward its class neighbours."""
        k = neighbors_for_class("n_neighbors", k, members.size, label)
        active = np.flatnonzero(per_row)
        nn = kneighbors(
            X, k, rows=members, query_indices=active, estimator=estimator, n_jobs=self.n_jobs,
            **search,
        )
        rows = np.repeat(np.arange(active.size), per_row[active])
        cols = rng.randint(0, k, size=rows.size)
        gap = rng.uniform(size=rows.size)
        base = members[active[rows]]
        return segment_points(X, base, members[nn[rows, cols]], gap), base
