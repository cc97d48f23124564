"""NearMiss: keep the rows of the large classes that are nearest to the minority."""

import warnings

import numpy as np
from sklearn.base import clone
from sklearn.neighbors import NearestNeighbors

from .._base import BaseSampler, Resampled
from .._exact import Points, check_n_jobs, top_k
from .._neighbors import check_neighbors, kneighbors
from .._validation import check_int, unique_labels
from ..exceptions import BalancekitWarning, DataError, SmallClassWarning
from ._rules import is_euclidean, minority_label


class _Search:
    """Distances from rows to their nearest (or farthest) rows of a set."""

    def __init__(self, X, n_jobs):
        self.X = X
        self.n_jobs = n_jobs
        self._points = None

    @property
    def points(self):
        if self._points is None:
            self._points = Points(self.X)
        return self._points

    def distances(self, queries, refs, k, estimator, *, farthest=False):
        """``(dist, idx)`` of the ``k`` nearest rows of ``refs`` (a row is its own
        nearest when it is in ``refs``), sorted by increasing distance; with
        ``farthest``, the ``k`` farthest ones, still by increasing distance."""
        if estimator is None or is_euclidean(estimator):
            sq, idx = top_k(
                self.points, queries, refs, k, farthest=farthest, exclude_self=False,
                n_jobs=self.n_jobs,
            )
            dist = np.sqrt(sq)
            if farthest:
                dist, idx = dist[:, ::-1], idx[:, ::-1]
            return dist, idx
        n = refs.size if farthest else k
        dist, idx = kneighbors(
            self.X[refs], n, query=self.X[queries], estimator=estimator, n_jobs=self.n_jobs,
            return_distance=True,
        )
        if farthest:
            dist, idx = dist[:, -k:], idx[:, -k:]
        return dist, refs[idx]


def _score(dist):
    """Sum of the distances of each row (in increasing order, as the mean up to a factor)."""
    return np.sort(dist, axis=1).sum(axis=1)


class NearMiss(BaseSampler):
    """Keep the rows of the large classes that are nearest to the minority class.

    Each class being under-sampled keeps as many rows as the strategy asks,
    chosen by their distances to the minority class (the smallest class):

    * ``version=1``: the rows whose ``n_neighbors`` nearest minority rows are
      nearest on average;
    * ``version=2``: the rows whose ``n_neighbors`` farthest minority rows are
      nearest on average;
    * ``version=3``: first the rows that are among the ``n_neighbors_ver3``
      nearest of some minority row, then, of those, the ones whose
      ``n_neighbors`` nearest minority rows are farthest on average. This may
      keep fewer rows than asked (with a warning).

    Ties in the average distance go to the row that comes first. The kept
    rows stay in their original order.

    The rows kept are the ones imbalanced-learn's ``NearMiss`` keeps.
    Version 2 is found without sorting all distances to the minority class,
    only their largest ``n_neighbors``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to shrink and to what size; see
        :func:`balancekit.resolve_sampling_strategy`. ``'auto'`` shrinks every
        class but the minority to the minority's size.
    version : {1, 2, 3}, default=1
        The NearMiss heuristic.
    n_neighbors : int or estimator, default=3
        Number of minority rows whose distances are averaged. An object with
        ``fit`` and ``kneighbors`` (e.g. ``NearestNeighbors``) finds them
        instead; its ``n_neighbors`` is the number of neighbours (the rows
        searched are not the query's class).
    n_neighbors_ver3 : int or estimator, default=3
        For version 3: number of nearest rows of each class taken around each
        minority row in the first step.
    n_jobs : int, default=None
        Threads for the neighbour searches (``None`` or ``-1``: all cores).

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each shrunk class has after resampling.
    nn_ : estimator object
        The neighbours estimator of ``n_neighbors`` (not fitted).
    nn_ver3_ : estimator object
        The neighbours estimator of ``n_neighbors_ver3`` (version 3 only; not
        fitted).
    sample_indices_ : ndarray of shape (n_samples_new,)
        Rows of the input that were kept, in increasing order.
    sample_weight_ : ndarray of shape (n_samples_new,) or None
        The weights of the output rows when ``sample_weight`` is given to
        ``fit_resample`` (each row keeps the weight of the input row it was
        copied or generated from); ``None`` otherwise.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit_resample``, when ``X`` has them.

    Notes
    -----
    The minority class is the smallest class of ``y``; among equally small
    classes, the one seen first in ``y``. Distances are Euclidean. Of equally
    near rows, the one of lower index is the nearer, and of rows of equal
    mean distance the one of lower index is kept: on data without distance
    ties the rows kept are imbalanced-learn's, while with ties (integer-valued
    features, duplicates) its choice depends on scikit-learn's search and
    can differ.

    References
    ----------
    I. Mani, I. Zhang, "kNN approach to unbalanced data distributions: a case
    study involving information extraction", ICML workshop on learning from
    imbalanced datasets, 2003.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.under_sampling import NearMiss
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> X_res, y_res = NearMiss(version=2).fit_resample(X, y)
    >>> int((y_res == 0).sum()) == int((y_res == 1).sum())
    True
    """

    _sampling_type = "under-sampling"
    _accept_sparse = True

    def __init__(
        self, *, sampling_strategy="auto", version=1, n_neighbors=3, n_neighbors_ver3=3,
        n_jobs=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.version = version
        self.n_neighbors = n_neighbors
        self.n_neighbors_ver3 = n_neighbors_ver3
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y, *, targets, rng):
        version = check_int("version", self.version, min_value=1, max_value=3)
        check_n_jobs(self.n_jobs)
        # The neighbours are rows of another class than the query: an estimator's
        # n_neighbors is the number of neighbours itself (as in imbalanced-learn).
        k, estimator = check_neighbors("n_neighbors", self.n_neighbors, counts_itself=False)
        self.nn_ = NearestNeighbors(n_neighbors=k, n_jobs=self.n_jobs) if estimator is None \
            else clone(estimator)
        # Checked whatever the version, as imbalanced-learn does: a bad value is not left
        # to surface when the version changes.
        k3, estimator3 = check_neighbors("n_neighbors_ver3", self.n_neighbors_ver3,
                                         counts_itself=False)
        if version == 3:
            self.nn_ver3_ = NearestNeighbors(n_neighbors=k3, n_jobs=self.n_jobs) \
                if estimator3 is None else clone(estimator3)
        elif hasattr(self, "nn_ver3_"):
            del self.nn_ver3_  # stale from an earlier call with version=3
        minority = minority_label(y)
        minority_rows = np.flatnonzero(y == minority)
        if k > minority_rows.size and version == 2:
            # Its farthest minority rows: all of them, as in imbalanced-learn.
            warnings.warn(
                f"n_neighbors={k} is more than the {minority_rows.size} samples of the minority "
                f"class {minority!r}; NearMiss version 2 averages the distances to all of them.",
                SmallClassWarning,
                stacklevel=3,
            )
            k = minority_rows.size
        if k > minority_rows.size:
            raise DataError(
                f"n_neighbors={k} needs at least {k} samples of the minority class "
                f"{minority!r}, but the training data has {minority_rows.size}. Use a smaller "
                "n_neighbors."
            )
        search = _Search(X, self.n_jobs)
        keep = []
        for label in unique_labels(y):
            members = np.flatnonzero(y == label)
            key = label.item() if isinstance(label, np.generic) else label
            if key not in targets:
                keep.append(members)
                continue
            n_samples = targets[key]
            if version == 1:
                dist, _ = search.distances(members, minority_rows, k, estimator)
                order = np.argsort(_score(dist), kind="stable")
                chosen = members[order[:n_samples]]
            elif version == 2:
                dist, _ = search.distances(members, minority_rows, k, estimator, farthest=True)
                order = np.argsort(_score(dist), kind="stable")
                chosen = members[order[:n_samples]]
            else:
                if k3 > members.size:
                    raise DataError(
                        f"n_neighbors_ver3={k3} needs at least {k3} samples of class {key!r}, "
                        f"but the training data has {members.size}. Use a smaller "
                        "n_neighbors_ver3."
                    )
                _, idx = search.distances(minority_rows, members, k3, estimator3)
                candidates = np.unique(idx)
                dist, _ = search.distances(candidates, minority_rows, k, estimator)
                order = np.argsort(-_score(dist), kind="stable")
                if candidates.size < n_samples:
                    warnings.warn(
                        f"NearMiss version 3 keeps {candidates.size} samples of class {key!r}, "
                        f"fewer than the {n_samples} asked: only that many are among the "
                        f"n_neighbors_ver3={k3} nearest of a minority sample.",
                        BalancekitWarning,
                        stacklevel=3,
                    )
                chosen = candidates[order[:n_samples]]
            keep.append(chosen)
        return Resampled(np.sort(np.concatenate(keep)))
